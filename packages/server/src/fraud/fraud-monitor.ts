import type { Kysely } from 'kysely';
import type { Database } from '../db/database-schema.js';
import { AccountTouchEvaluator } from '../jobs/account-touch-evaluator.js';
import { evaluateFraudRules, MAX_ACCOUNTS_PER_FRAUD_EVALUATION } from './evaluate-fraud-rules.js';
import type { RecordedFinding } from './record-fraud-findings.js';

/**
 * The fraud rules of the lines each batch of usage touched or opened sessions on, evaluated off
 * the charging path as the bill-shock thresholds are (jobs/account-touch-evaluator.ts). Cases are
 * decided by the database (one open case per line and kind), so a burst is one case.
 */
export class FraudMonitor extends AccountTouchEvaluator<RecordedFinding> {
  constructor(
    db: Kysely<Database>,
    now: () => Date,
    onError: (error: unknown) => void = () => {},
    onFound: (found: readonly RecordedFinding[]) => void = () => {},
  ) {
    super(
      (touches) => evaluateFraudRules(db, touches, now()),
      MAX_ACCOUNTS_PER_FRAUD_EVALUATION,
      onError,
      onFound,
    );
  }
}
