import { formatDecimal, parseDecimal } from '@tollgate/core';

/**
 * A numeric column's text in its shortest exact form: numeric(24, 12) comes back as
 * "1.085000000000", which the API shows as "1.085".
 */
export function shortestDecimal(numeric: string): string {
  const parsed = parseDecimal(numeric);
  if (!parsed.ok) throw new RangeError(`"${numeric}" from the database is no decimal`);
  return formatDecimal(parsed.value);
}
