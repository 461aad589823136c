import type { Avp, AvpType, AvpValueOf } from './avp.js';
import type { AvpDefinition } from './avp-definition.js';

export function isAvp(avp: Avp, definition: AvpDefinition): boolean {
  return avp.code === definition.code && avp.vendorId === definition.vendorId;
}

/** The first AVP of this definition among `avps` (not searching inside groups). */
export function findAvp(avps: readonly Avp[], definition: AvpDefinition): Avp | undefined {
  for (const avp of avps) if (isAvp(avp, definition)) return avp;
  return undefined;
}

/** The value of the first AVP of this definition, when it has the definition's type. */
export function findValue<T extends AvpType, V = AvpValueOf<T>>(
  avps: readonly Avp[],
  definition: AvpDefinition<T>,
): V | undefined {
  const avp = findAvp(avps, definition);
  // Decoding by the same dictionary gives the definition's type; anything else is not this AVP.
  if (avp === undefined || avp.type !== definition.type) return undefined;
  return avp.value as V;
}

export function findAllAvps(avps: readonly Avp[], definition: AvpDefinition): Avp[] {
  return avps.filter((avp) => isAvp(avp, definition));
}

/** The children of the first grouped AVP of this definition, or an empty list. */
export function findGroup(
  avps: readonly Avp[],
  definition: AvpDefinition<'Grouped'>,
): readonly Avp[] | undefined {
  return findValue(avps, definition);
}
