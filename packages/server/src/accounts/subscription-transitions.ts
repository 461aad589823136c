import type { SubscriptionStatus } from './account-tables.js';
import type { ChangeKind } from './subscription-schemas.js';

/**
 * The subscription state machine: the status each change leads to from each status, or absent
 * where the change is refused. Pause and resume are the customer's (active <-> paused); suspend
 * and restore the operator's (active <-> suspended, e.g. for non-payment); terminated is final.
 * Plan and add-on changes leave the status as it is.
 */
const TRANSITIONS: Readonly<Record<ChangeKind, Partial<Record<SubscriptionStatus, SubscriptionStatus>>>> = {
  paused: { active: 'paused' },
  resumed: { paused: 'active' },
  suspended: { active: 'suspended' },
  restored: { suspended: 'active' },
  terminated: { active: 'terminated', paused: 'terminated', suspended: 'terminated' },
  plan_changed: { active: 'active', paused: 'paused', suspended: 'suspended' },
  addon_added: { active: 'active', paused: 'paused', suspended: 'suspended' },
  addon_removed: { active: 'active', paused: 'paused', suspended: 'suspended' },
};

/** The status after `change`, or null when a subscription in `status` cannot take it. */
export function statusAfter(status: SubscriptionStatus, change: ChangeKind): SubscriptionStatus | null {
  return TRANSITIONS[change][status] ?? null;
}
