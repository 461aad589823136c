import type { RatingProfileDocument } from '@tollgate/core';
import type { ImportIssues } from './import-issue.js';
import { parseActivationTime } from './parse-activation-time.js';
import { type CsvRow, readIdCell } from './read-csv-table.js';

export const RATING_PROFILES_FILE = 'RatingProfiles.csv';
/** CGRateS 0.10 names the last column RatesFallbackSubject in some plans; only its position counts. */
export const RATING_PROFILE_COLUMNS = [
  'Tenant',
  'Category',
  'Subject',
  'ActivationTime',
  'RatingPlanId',
  'FallbackSubject',
] as const;
export type RatingProfileColumn = (typeof RATING_PROFILE_COLUMNS)[number];

/**
 * Each row is one profile. Two rows for the same tenant, category and subject from the same
 * instant would leave the plan in force ambiguous, so that is an error.
 */
export function convertCgratesRatingProfiles(
  rows: readonly CsvRow<RatingProfileColumn>[],
  known: { readonly ratingPlanIds: ReadonlySet<string>; readonly timeZone: string },
  issues: ImportIssues,
): RatingProfileDocument[] {
  const lineByKey = new Map<string, number>();
  const documents: RatingProfileDocument[] = [];
  for (const row of rows) {
    const profile = convertRow(row, known, issues);
    if (profile === undefined) continue;
    const key = JSON.stringify([profile.tenant, profile.category, profile.subject, profile.activationTime]);
    const earlierLine = lineByKey.get(key);
    if (earlierLine !== undefined) {
      issues.error(
        { file: RATING_PROFILES_FILE, line: row.line, column: 'ActivationTime' },
        'duplicate_rating_profile',
        `line ${earlierLine} already activates a plan for ${profile.tenant}/${profile.category}/` +
          `${profile.subject} at ${profile.activationTime}`,
      );
      continue;
    }
    lineByKey.set(key, row.line);
    documents.push(profile);
  }
  return documents;
}

function convertRow(
  row: CsvRow<RatingProfileColumn>,
  known: { readonly ratingPlanIds: ReadonlySet<string>; readonly timeZone: string },
  issues: ImportIssues,
): RatingProfileDocument | undefined {
  const at = (column: RatingProfileColumn) => ({ file: RATING_PROFILES_FILE, line: row.line, column });
  const tenant = readIdCell(RATING_PROFILES_FILE, row, 'Tenant', issues);
  const category = readIdCell(RATING_PROFILES_FILE, row, 'Category', issues);
  const subject = readIdCell(RATING_PROFILES_FILE, row, 'Subject', issues);
  const activationTime = parseActivationTime(row.values.ActivationTime, known.timeZone);
  if (!activationTime.ok) {
    issues.error(
      at('ActivationTime'),
      activationTime.error.code,
      `ActivationTime ${activationTime.error.message}`,
    );
  }
  const ratingPlan = readIdCell(RATING_PROFILES_FILE, row, 'RatingPlanId', issues);
  if (ratingPlan !== undefined && !known.ratingPlanIds.has(ratingPlan)) {
    issues.error(
      at('RatingPlanId'),
      'unknown_rating_plan',
      `no rating plan ${ratingPlan} in RatingPlans.csv`,
    );
  }
  if (tenant === undefined || category === undefined || subject === undefined || ratingPlan === undefined) {
    return undefined;
  }
  if (!activationTime.ok) return undefined;
  const fallbackSubjects = row.values.FallbackSubject.split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return {
    tenant,
    category,
    subject,
    activationTime: activationTime.value,
    ratingPlan,
    ...(fallbackSubjects.length > 0 ? { fallbackSubjects } : {}),
  };
}
