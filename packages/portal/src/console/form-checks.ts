import { ApiError } from '../api/client.js';
import { isAmount } from './decimal-amount.js';

/**
 * The checks a console form makes before asking the server, so the common slips (no reason, an
 * amount of "12,50") are named beside their field; the server still checks everything.
 */
export interface Problems {
  readonly [field: string]: string | undefined;
}

export function amountProblem(text: string): string | undefined {
  return isAmount(text) && /[1-9]/.test(text) ? undefined : 'Enter an amount above zero, like 12.50';
}

export function reasonProblem(text: string): string | undefined {
  return text.trim() === '' ? 'Give the reason' : undefined;
}

export function hasProblems(problems: Problems): boolean {
  return Object.values(problems).some((message) => message !== undefined);
}

/** The server's complaint about one field of the last request, to show beside that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldMessage(field) : undefined;
}
