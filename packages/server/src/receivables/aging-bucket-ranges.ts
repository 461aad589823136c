import { AGING_BUCKETS, type AgingBucket, agingBucketOf, dayOfIsoDate, isoDateOfDay } from '@tollgate/core';

/** The due dates of one aging bucket as of a day: `dueFrom` is the earliest in it (null: no limit). */
export interface AgingBucketRange {
  readonly bucket: AgingBucket;
  readonly dueFrom: string | null;
}

/** Days past due looked at to find where buckets change; the last bucket must be open-ended by then. */
const SCAN_DAYS = 400;

/**
 * The buckets as ranges of due dates, from the newest (current) to the oldest, so that a grouped
 * SQL query can sum each with a comparison on due_on. They are found by asking core's
 * agingBucketOf day by day, so the rule of the buckets lives in one place; a change there that
 * makes them other than consecutive ranges in AGING_BUCKETS order fails here, loudly.
 */
export function agingBucketRanges(asOf: string): AgingBucketRange[] {
  const asOfDay = dayOfIsoDate(asOf);
  const first = AGING_BUCKETS[0];
  if (first === undefined || agingBucketOf(isoDateOfDay(asOfDay + 1), asOf) !== first)
    throw new Error('agingBucketRanges: a due date after the day must be in the first bucket');
  const ranges: { bucket: AgingBucket; dueFrom: string | null }[] = [{ bucket: first, dueFrom: null }];
  for (let late = 0; late <= SCAN_DAYS; late++) {
    const dueOn = isoDateOfDay(asOfDay - late);
    const bucket = agingBucketOf(dueOn, asOf);
    const current = ranges[ranges.length - 1]!;
    if (bucket === current.bucket) {
      current.dueFrom = dueOn;
      continue;
    }
    if (AGING_BUCKETS.indexOf(bucket) !== ranges.length)
      throw new Error(`agingBucketRanges: bucket ${bucket} at ${late} days past due is out of order`);
    ranges.push({ bucket, dueFrom: dueOn });
  }
  if (ranges.length !== AGING_BUCKETS.length)
    throw new Error(
      `agingBucketRanges: ${ranges.length} buckets within ${SCAN_DAYS} days, not ${AGING_BUCKETS.length}`,
    );
  // The oldest bucket takes every earlier due date too.
  ranges[ranges.length - 1]!.dueFrom = null;
  return ranges;
}
