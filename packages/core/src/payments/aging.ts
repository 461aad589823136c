import { dayOfIsoDate } from '../billing/bill-cycle.js';

/** The buckets of an accounts-receivable aging report, by days past the due date. */
export type AgingBucket = 'current' | 'days_1_30' | 'days_31_60' | 'days_61_90' | 'days_over_90';

export const AGING_BUCKETS: readonly AgingBucket[] = [
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
];

/** The bucket of an amount due on `dueOn` as of `asOf` (ISO dates): not yet due is current. */
export function agingBucketOf(dueOn: string, asOf: string): AgingBucket {
  const late = dayOfIsoDate(asOf) - dayOfIsoDate(dueOn);
  if (late <= 0) return 'current';
  if (late <= 30) return 'days_1_30';
  if (late <= 60) return 'days_31_60';
  if (late <= 90) return 'days_61_90';
  return 'days_over_90';
}
