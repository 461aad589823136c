import type { Avp, AvpType, AvpValueOf } from './avp.js';

/**
 * A dictionary entry: how an AVP is named, typed and flagged. `mandatory` is the M bit we set
 * when we send it (RFC 6733 4.1: the sender decides, following the AVP's specification).
 */
export interface AvpDefinition<T extends AvpType = AvpType> {
  readonly name: string;
  readonly code: number;
  readonly vendorId: number | undefined;
  readonly type: T;
  readonly mandatory: boolean;
  /**
   * Unknown AVPs with the M bit inside this group are tolerated: 3GPP Service-Information
   * (TS 32.299) carries hundreds of AVPs, of which the Gy/Ro server reads only a few.
   */
  readonly opaqueChildren?: boolean;
}

export function defineAvp<T extends AvpType>(
  name: string,
  code: number,
  type: T,
  flags: { readonly mandatory?: boolean; readonly vendorId?: number; readonly opaqueChildren?: boolean } = {},
): AvpDefinition<T> {
  return {
    name,
    code,
    type,
    vendorId: flags.vendorId,
    mandatory: flags.mandatory ?? true,
    ...(flags.opaqueChildren === true ? { opaqueChildren: true } : {}),
  };
}

/** An AVP of a dictionary type, flagged as the dictionary says. */
export function makeAvp<T extends AvpType>(definition: AvpDefinition<T>, value: AvpValueOf<T>): Avp {
  // The cast joins what TypeScript cannot correlate: `type` T and a value of AvpValueOf<T>.
  return {
    code: definition.code,
    vendorId: definition.vendorId,
    mandatory: definition.mandatory,
    protected: false,
    type: definition.type,
    value,
  } as Avp;
}
