/**
 * A whole number from an environment variable, or `fallback` when it is unset: the bench's sizes
 * that have no command-line flag are overridden this way. A value that is not a whole number of at
 * least `min` throws, so a mistyped override never runs a bench of some other size.
 */
export function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name}: a whole number of at least ${min}, got ${raw}`);
  return value;
}
