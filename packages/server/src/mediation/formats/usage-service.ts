import { Type } from '@sinclair/typebox';
import type { UsageUnit } from '../usage-record.js';

/**
 * A service is the tariff category (rating group) a record is priced under: `call`, `sms`, `data`
 * or a custom one. Its unit says how its usage is counted.
 */
const SERVICE_NAME = /^[a-z0-9_-]{1,64}$/;

export const USAGE_UNITS = ['seconds', 'bytes', 'messages', 'units'] as const satisfies readonly UsageUnit[];

export const ServiceNameSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  // The length is in the pattern too: as a key pattern (services), only the pattern applies.
  pattern: '^[a-z0-9_-]{1,64}$',
  description: 'A service (tariff category): lower-case letters, digits, _ and -, e.g. call, sms, data',
});

export const UsageUnitSchema = Type.Union(
  USAGE_UNITS.map((unit) => Type.Literal(unit)),
  { description: 'How usage of the service is counted: seconds, bytes, messages or units' },
);

/** Units of the services every operator has (DESIGN.md section 3); any other counts in units. */
const DEFAULT_SERVICE_UNITS: ReadonlyMap<string, UsageUnit> = new Map([
  ['call', 'seconds'],
  ['sms', 'messages'],
  ['mms', 'messages'],
  ['data', 'bytes'],
]);

export function isServiceName(text: string): boolean {
  return SERVICE_NAME.test(text);
}

/**
 * The unit of a service: the source's own setting first, then the usual one. Own-property lookup,
 * because a service read from a file may be named like an Object.prototype member.
 */
export function unitOfService(services: Readonly<Record<string, UsageUnit>>, service: string): UsageUnit {
  if (Object.hasOwn(services, service)) return services[service]!;
  return DEFAULT_SERVICE_UNITS.get(service) ?? 'units';
}
