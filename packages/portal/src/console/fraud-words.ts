import type { FraudRuleKind } from '../api/types.js';

/** What each fraud rule looks for, in the words staff use. */
export const FRAUD_KIND_LABELS: Readonly<Record<FraudRuleKind, string>> = {
  premium_destination: 'Premium or high-risk destination',
  short_call_burst: 'Many short calls to many destinations',
  simultaneous_sessions: 'Too many simultaneous sessions',
  spend_spike: 'Spend far above the usual',
  unexpected_country: 'Usage from an unexpected country',
};

export function fraudKindLabel(kind: string): string {
  return (FRAUD_KIND_LABELS as Record<string, string>)[kind] ?? kind.replace(/_/g, ' ');
}

/** A parameter or evidence key as words: `maxDurationSeconds` reads "max duration seconds". */
export function keyWords(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words === '' ? key : words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value of evidence or of a rule's parameters as one line of text (nested objects as JSON). */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null))
    return value.length === 0 ? 'None' : value.map((item) => String(item)).join(', ');
  return JSON.stringify(value);
}
