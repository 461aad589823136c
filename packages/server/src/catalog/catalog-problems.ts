import { type FieldError, HttpProblem, type ProblemCode } from '../http/problem.js';
import type { CatalogIssue } from './prepare-tariff-document.js';

/** A broken deck can hold thousands of problems; a response lists this many and counts the rest. */
export const MAX_REPORTED_ISSUES = 200;

/** A problem listing every issue (up to the bound) as `errors[]`, each at its field, file or line. */
export function issuesProblem(
  code: ProblemCode,
  subject: string,
  issues: readonly CatalogIssue[],
): HttpProblem {
  const shown: FieldError[] = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({ ...issue }));
  const hidden = issues.length - shown.length;
  if (hidden > 0) shown.push({ field: '/', message: `${hidden} more problems not shown` });
  const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  const first = issues[0];
  const detail =
    first === undefined
      ? `${subject}: ${count}`
      : `${subject}: ${count}; first: ${first.field}: ${first.message}`;
  return new HttpProblem(code, detail, shown);
}

/**
 * An instant from a request: the schema has checked its form, but some valid RFC 3339 texts
 * (a leap second, 23:59:60) are no JavaScript date; those are the caller's mistake, not ours.
 */
export function instantOf(text: string, field: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    const message = `"${text}" is not an instant this server can store`;
    throw new HttpProblem('validation_failed', message, [{ field, message }]);
  }
  return date;
}
