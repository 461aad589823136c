import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.js';
import { AccountTouchEvaluator } from '../../jobs/account-touch-evaluator.js';
import { evaluateThresholds, MAX_ACCOUNTS_PER_EVALUATION } from './evaluate-thresholds.js';
import type { ThresholdFiring } from './threshold-firing.js';

/**
 * Bill-shock thresholds of the accounts each batch of usage touched, evaluated off the charging
 * path (jobs/account-touch-evaluator.ts). Firings are decided by the database
 * (notification_firings), so each threshold fires once per cycle whatever evaluates at once.
 */
export class ThresholdEvaluator extends AccountTouchEvaluator<ThresholdFiring> {
  constructor(
    db: Kysely<Database>,
    now: () => Date,
    onError: (error: unknown) => void = () => {},
    onFired: (firings: readonly ThresholdFiring[]) => void = () => {},
  ) {
    super((touches) => evaluateThresholds(db, touches, now()), MAX_ACCOUNTS_PER_EVALUATION, onError, onFired);
  }
}
