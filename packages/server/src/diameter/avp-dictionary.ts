import type { AvpDefinition } from './avp-definition.js';
import { BASE_AVPS } from './base-avps.js';
import { CREDIT_CONTROL_AVPS } from './credit-control-avps.js';

/** Finds an AVP's definition by code and vendor, to decode its data by type. */
export class AvpDictionary {
  private readonly withoutVendor = new Map<number, AvpDefinition>();
  private readonly byVendor = new Map<number, Map<number, AvpDefinition>>();

  constructor(definitions: Iterable<AvpDefinition>) {
    for (const definition of definitions) this.add(definition);
  }

  find(code: number, vendorId: number | undefined): AvpDefinition | undefined {
    if (vendorId === undefined) return this.withoutVendor.get(code);
    return this.byVendor.get(vendorId)?.get(code);
  }

  private add(definition: AvpDefinition): void {
    if (definition.vendorId === undefined) {
      this.withoutVendor.set(definition.code, definition);
      return;
    }
    let codes = this.byVendor.get(definition.vendorId);
    if (codes === undefined) {
      codes = new Map();
      this.byVendor.set(definition.vendorId, codes);
    }
    codes.set(definition.code, definition);
  }
}

/** Everything the Gy/Ro server understands: the base protocol and credit control. */
export const GY_DICTIONARY = new AvpDictionary([
  ...Object.values(BASE_AVPS),
  ...Object.values(CREDIT_CONTROL_AVPS),
]);
