/**
 * Numbers a suspended line may still call: the European 112 and the national emergency numbers
 * most networks route (911, 999, 000, 110, 118, 119, 15, 17, 18). Regulators require emergency
 * calls from any line that can make calls, paid up or not, so suspension for non-payment never
 * refuses them. Tariffs price them (operators give them a zero rate).
 */
export const DEFAULT_EMERGENCY_NUMBERS: ReadonlySet<string> = new Set([
  '112',
  '911',
  '999',
  '000',
  '110',
  '118',
  '119',
  '15',
  '17',
  '18',
]);

/** Whether a dialled destination is an emergency number: its digits exactly, as dialled. */
export function isEmergencyNumber(destination: string | undefined, numbers: ReadonlySet<string>): boolean {
  if (destination === undefined) return false;
  return numbers.has(destination.replace(/[^0-9]/g, ''));
}
