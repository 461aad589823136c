import type { UsageProfile } from './demo-usage.js';

/**
 * Anna's own phone: calls in the day and evening, mostly to mobiles, now and then to the USA,
 * within her allowances.
 */
const ANNA: UsageProfile = {
  hours: 'personal',
  callsPerDay: 3,
  smsPerDay: 1.5,
  dataSessionsPerDay: 3,
  weekend: { calls: 0.8, sms: 1.2, data: 1.3 },
  callMedianSeconds: 70,
  dataMedianBytes: 16_000_000,
  targets: [
    ['berlin', 30],
    ['fixed', 10],
    ['mobile', 45],
    ['usa', 2],
    ['voicemail', 5],
  ],
  favourites: ['+4915112345679'],
};

/** Her daughter's line: texts and streams past its data allowance, calls little. */
const ANNA_SECOND_LINE: UsageProfile = {
  hours: 'personal',
  callsPerDay: 1.2,
  smsPerDay: 3,
  dataSessionsPerDay: 4,
  weekend: { calls: 1, sms: 1.3, data: 1.4 },
  callMedianSeconds: 50,
  dataMedianBytes: 20_000_000,
  targets: [
    ['berlin', 15],
    ['fixed', 3],
    ['mobile', 75],
    ['voicemail', 3],
  ],
  favourites: ['+4915112345678'],
};

/** Luis on prepaid: friends in the USA, and a little more data than his allowance, paid from his balance. */
const LUIS: UsageProfile = {
  hours: 'personal',
  callsPerDay: 2.2,
  smsPerDay: 1.5,
  dataSessionsPerDay: 3,
  weekend: { calls: 0.9, sms: 1.2, data: 1.3 },
  callMedianSeconds: 80,
  dataMedianBytes: 28_000_000,
  targets: [
    ['berlin', 25],
    ['fixed', 8],
    ['mobile', 50],
    ['usa', 4],
    ['voicemail', 4],
  ],
};

/** Kiezfunk's office line: busy in office hours, quiet at weekends, a router's backup data. */
const KIEZFUNK: UsageProfile = {
  hours: 'business',
  callsPerDay: 9,
  smsPerDay: 0.3,
  dataSessionsPerDay: 0.6,
  weekend: { calls: 0.1, sms: 0.1, data: 0.2 },
  callMedianSeconds: 140,
  dataMedianBytes: 4_000_000,
  targets: [
    ['berlin', 50],
    ['fixed', 25],
    ['mobile', 22],
    ['usa', 2],
    ['voicemail', 1],
  ],
};

/** How each demo line (by its E.164 MSISDN) is used. */
const LINE_PROFILES: ReadonlyMap<string, UsageProfile> = new Map([
  ['+4915112345678', ANNA],
  ['+4915112345679', ANNA_SECOND_LINE],
  ['+4917698765432', LUIS],
  ['+49302345678', KIEZFUNK],
]);

/** The usage profile of a demo line; a line the demo does not know is used like Anna's phone. */
export function lineProfileOf(msisdn: string): UsageProfile {
  return LINE_PROFILES.get(msisdn) ?? ANNA;
}
