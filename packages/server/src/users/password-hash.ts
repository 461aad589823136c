import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id } from 'hash-wasm';

/**
 * Argon2id with the OWASP Password Storage Cheat Sheet's first recommendation: 19 MiB of memory,
 * 2 iterations, 1 lane (RFC 9106 section 4 names argon2id the one to use). Salt 16 bytes, hash
 * 32 bytes. Stored in the PHC string form, which carries its own parameters, so they can be raised
 * later and old hashes still verify (and are rehashed at the next login, see needsRehash).
 */
export const PASSWORD_HASH_PARAMETERS = {
  memoryKiB: 19_456,
  iterations: 2,
  parallelism: 1,
  saltBytes: 16,
  hashBytes: 32,
} as const;

/**
 * Bounds on what a stored hash may ask for: a damaged or planted row must not make the server
 * allocate gigabytes or loop for minutes.
 */
const LIMITS = { memoryKiB: 262_144, iterations: 16, parallelism: 8, hashBytes: 64 } as const;

export async function hashPassword(password: string): Promise<string> {
  const p = PASSWORD_HASH_PARAMETERS;
  return argon2id({
    password: password.normalize('NFC'),
    salt: randomBytes(p.saltBytes),
    memorySize: p.memoryKiB,
    iterations: p.iterations,
    parallelism: p.parallelism,
    hashLength: p.hashBytes,
    outputType: 'encoded',
  });
}

interface EncodedHash {
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const ENCODED =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

function parseEncoded(encoded: string): EncodedHash | null {
  const match = ENCODED.exec(encoded);
  if (match === null) return null;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const parsed = {
    memoryKiB: Number(m),
    iterations: Number(t),
    parallelism: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
  const sane =
    parsed.iterations >= 1 &&
    parsed.iterations <= LIMITS.iterations &&
    parsed.parallelism >= 1 &&
    parsed.parallelism <= LIMITS.parallelism &&
    parsed.memoryKiB >= 8 * parsed.parallelism &&
    parsed.memoryKiB <= LIMITS.memoryKiB &&
    parsed.hash.length >= 16 &&
    parsed.hash.length <= LIMITS.hashBytes;
  return sane ? parsed : null;
}

/**
 * Whether the password matches the stored hash. The hash is recomputed with the stored parameters
 * and compared with timingSafeEqual, so the comparison takes the same time wherever the first
 * differing byte is (hash-wasm's own argon2Verify compares strings with ===). A stored value that is
 * not an argon2id hash within bounds never matches.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parseEncoded(encoded);
  if (stored === null) return false;
  const computed = await argon2id({
    password: password.normalize('NFC'),
    salt: stored.salt,
    memorySize: stored.memoryKiB,
    iterations: stored.iterations,
    parallelism: stored.parallelism,
    hashLength: stored.hash.length,
    outputType: 'binary',
  });
  return timingSafeEqual(Buffer.from(computed), stored.hash);
}

/** Whether a stored hash was made with other parameters than today's, so it should be redone. */
export function needsRehash(encoded: string): boolean {
  const stored = parseEncoded(encoded);
  const p = PASSWORD_HASH_PARAMETERS;
  return (
    stored === null ||
    stored.memoryKiB !== p.memoryKiB ||
    stored.iterations !== p.iterations ||
    stored.parallelism !== p.parallelism ||
    stored.salt.length !== p.saltBytes ||
    stored.hash.length !== p.hashBytes
  );
}

/**
 * A hash of a random password nobody knows (it was thrown away), made with today's parameters so
 * that verifying against it costs what a real verification costs. Fixed in the source rather than
 * made at start-up, so not even the first unknown e-mail of a process answers at another speed.
 */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$KiP5MyuOFQnY+63BBFygUg$1TNnhXVt1FBUZh0rOoQBQoSDRZENYBFk53xHOfBxbso';
let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verification and answers false. Sign-ins for an unknown e-mail run
 * it, so they take as long as a wrong password for a known one, and the timing does not tell which
 * e-mails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  // Should the parameters change without DUMMY_HASH following, a fresh one keeps the timing equal.
  dummyHash ??= needsRehash(DUMMY_HASH)
    ? hashPassword(randomBytes(32).toString('base64url'))
    : Promise.resolve(DUMMY_HASH);
  await verifyPassword(password, await dummyHash);
  return false;
}
