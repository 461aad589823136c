import { describe, expect, it } from 'vitest';
import type { SubscriptionStatus } from './account-tables.js';
import { CHANGE_KINDS, type ChangeKind } from './subscription-schemas.js';
import { statusAfter } from './subscription-transitions.js';

const STATUSES: readonly SubscriptionStatus[] = ['active', 'paused', 'suspended', 'terminated'];

describe('statusAfter', () => {
  it.each<[SubscriptionStatus, ChangeKind, SubscriptionStatus]>([
    ['active', 'paused', 'paused'],
    ['paused', 'resumed', 'active'],
    ['active', 'suspended', 'suspended'],
    ['suspended', 'restored', 'active'],
    ['active', 'terminated', 'terminated'],
    ['paused', 'terminated', 'terminated'],
    ['suspended', 'terminated', 'terminated'],
    ['suspended', 'plan_changed', 'suspended'],
    ['paused', 'addon_added', 'paused'],
    ['active', 'addon_removed', 'active'],
  ])('%s, then %s: %s', (from, change, to) => {
    expect(statusAfter(from, change)).toBe(to);
  });

  it.each<[SubscriptionStatus, ChangeKind]>([
    ['active', 'resumed'],
    ['active', 'restored'],
    ['paused', 'paused'],
    ['paused', 'suspended'],
    ['paused', 'restored'],
    ['suspended', 'paused'],
    ['suspended', 'resumed'],
    ['suspended', 'suspended'],
  ])('refuses %s, then %s', (from, change) => {
    expect(statusAfter(from, change)).toBeNull();
  });

  it('takes nothing after terminated', () => {
    for (const change of CHANGE_KINDS) expect(statusAfter('terminated', change)).toBeNull();
  });

  it('never leads back to a status from which the line cannot move, except terminated', () => {
    for (const from of STATUSES)
      for (const change of CHANGE_KINDS) {
        const to = statusAfter(from, change);
        if (to === null || to === 'terminated') continue;
        expect(CHANGE_KINDS.some((next) => statusAfter(to, next) !== null)).toBe(true);
      }
  });
});
