/**
 * Country calling codes (ITU-T E.164 assignments): one-digit codes are 1 (NANP) and 7; these are
 * the two-digit ones; every other assigned code has three digits. The codes form a prefix code,
 * so the first digits of a number tell its code without a full table of three-digit codes.
 */
const TWO_DIGIT_CODES: ReadonlySet<string> = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/**
 * The country calling code of an E.164 number ("+4930..." -> "49", "+1212..." -> "1",
 * "+881..." -> "881"); null for anything that is not a number in international form. NANP
 * countries share code 1, so the USA, Canada and the Caribbean are one "country" here.
 */
export function countryCallingCode(destination: string): string | null {
  const match = /^\+?([1-9][0-9]{2,14})$/.exec(destination);
  if (match === null) return null;
  const digits = match[1]!;
  if (digits.startsWith('1') || digits.startsWith('7')) return digits[0]!;
  const two = digits.slice(0, 2);
  return TWO_DIGIT_CODES.has(two) ? two : digits.slice(0, 3);
}
