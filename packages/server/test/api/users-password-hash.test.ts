import { describe, expect, it } from 'vitest';
import { checkPasswordRules } from '../../src/users/check-password-rules.js';
import {
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from '../../src/users/password-hash.js';

describe('password hashing (argon2id)', () => {
  it('hashes with the OWASP parameters and a fresh salt, and verifies', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(needsRehash(first)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false);
    expect(await verifyAgainstDummy('correct horse battery staple')).toBe(false);
  });

  it('treats composed and decomposed accents as the same password (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait, bitte');
    expect(await verifyPassword('cafe\u0301 au lait, bitte', hash)).toBe(true);
  });

  it.each([
    ['not a hash', 'plain text'],
    [
      'another algorithm',
      '$argon2i$v=19$m=19456,t=2,p=1$KiP5MyuOFQnY+63BBFygUg$1TNnhXVt1FBUZh0rOoQBQoSDRZENYBFk53xHOfBxbso',
    ],
    [
      'a gigabyte of memory',
      '$argon2id$v=19$m=1048576,t=2,p=1$KiP5MyuOFQnY+63BBFygUg$1TNnhXVt1FBUZh0rOoQBQoSDRZENYBFk53xHOfBxbso',
    ],
    [
      'a thousand iterations',
      '$argon2id$v=19$m=19456,t=999,p=1$KiP5MyuOFQnY+63BBFygUg$1TNnhXVt1FBUZh0rOoQBQoSDRZENYBFk53xHOfBxbso',
    ],
    ['a short hash', '$argon2id$v=19$m=19456,t=2,p=1$KiP5MyuOFQnY+63BBFygUg$1TNnhXVt'],
  ])('never matches a stored value that is %s, and asks for a rehash', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  });

  it.each([
    ['eleven char', 'a@b.test', 'the password needs at least 12 characters'],
    ['x'.repeat(257), 'a@b.test', 'the password may have at most 256 characters'],
    [' Someone@Example.COM ', 'someone@example.com', 'the password must not be the e-mail address'],
    ['someone.long', 'someone.long@example.com', 'the password must not be the e-mail address'],
    ['twelve chars', 'a@b.test', null],
    ['\u{1F511}'.repeat(12), 'a@b.test', null],
  ])('checks %j for %s', (password, email, problem) => {
    expect(checkPasswordRules(password, email)).toBe(problem);
  });
});
