export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; the bound keeps one login's hashing work bounded. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The password rules, after NIST SP 800-63B section 5.1.1.2: a minimum length and no composition
 * rules (they make passwords harder to remember, not to guess), and not the account's own e-mail.
 * Length counts characters (code points), not UTF-16 units. Returns the broken rule, or null.
 */
export function checkPasswordRules(password: string, email: string): string | null {
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN_LENGTH) return `the password needs at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `the password may have at most ${PASSWORD_MAX_LENGTH} characters`;
  const lowered = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const localPart = address.split('@')[0] ?? address;
  if (lowered === address || lowered === localPart) return 'the password must not be the e-mail address';
  return null;
}
