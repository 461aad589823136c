/**
 * A problem found while importing a tariff, pointing at the place a person must fix: the file, its
 * 1-based line (0 when the issue is about the file as a whole or about the import options) and,
 * where one field is at fault, the column's name.
 */
export interface ImportIssue {
  readonly file: string;
  readonly line: number;
  readonly column?: string;
  readonly code: string;
  readonly message: string;
}

/** Where an issue is: a file, a line, and optionally a column. */
export interface IssueLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: string;
}

/**
 * A bound on the issues kept, so a huge broken file cannot exhaust memory; the count of dropped
 * issues is still reported.
 */
const MAX_ISSUES_KEPT = 1000;

/**
 * Collects errors (which reject the import) and warnings (which do not) across every file, so the
 * user sees all problems at once instead of fixing them one run at a time.
 */
export class ImportIssues {
  readonly errors: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  #droppedErrors = 0;
  #droppedWarnings = 0;

  error(at: IssueLocation, code: string, message: string): void {
    if (this.errors.length < MAX_ISSUES_KEPT) this.errors.push(makeIssue(at, code, message));
    else this.#droppedErrors += 1;
  }

  warn(at: IssueLocation, code: string, message: string): void {
    if (this.warnings.length < MAX_ISSUES_KEPT) this.warnings.push(makeIssue(at, code, message));
    else this.#droppedWarnings += 1;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /** The errors, followed by one issue saying how many more were dropped, if any were. */
  errorList(): ImportIssue[] {
    return withDropped(this.errors, this.#droppedErrors, 'errors');
  }

  warningList(): ImportIssue[] {
    return withDropped(this.warnings, this.#droppedWarnings, 'warnings');
  }
}

function makeIssue(at: IssueLocation, code: string, message: string): ImportIssue {
  return at.column === undefined
    ? { file: at.file, line: at.line, code, message }
    : { file: at.file, line: at.line, column: at.column, code, message };
}

function withDropped(kept: readonly ImportIssue[], dropped: number, noun: string): ImportIssue[] {
  if (dropped === 0) return [...kept];
  const note: ImportIssue = {
    file: '',
    line: 0,
    code: 'too_many_issues',
    message: `${dropped} more ${noun} not shown (only the first ${MAX_ISSUES_KEPT} are kept)`,
  };
  return [...kept, note];
}
