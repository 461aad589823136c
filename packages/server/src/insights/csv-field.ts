/**
 * One CSV field as RFC 4180 section 2 writes it: quoted when it holds a comma, a double quote,
 * a carriage return or a line feed (or starts or ends with a space, which some readers trim),
 * with each double quote doubled; otherwise as it is.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record: fields joined by commas, ended by CRLF (RFC 4180 section 2, rule 1). */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
