import type { Avp } from './avp.js';
import type { AvpDefinition } from './avp-definition.js';
import { minimumDataBytes } from './decode-avp-data.js';

/**
 * RFC 6733 7.5: for DIAMETER_MISSING_AVP the Failed-AVP holds "an example of the missing AVP":
 * its code and vendor with a zero-filled payload of the minimum size of its type.
 */
export function missingAvp(definition: AvpDefinition): Avp {
  return {
    code: definition.code,
    vendorId: definition.vendorId,
    mandatory: definition.mandatory,
    type: 'OctetString',
    value: Buffer.alloc(minimumDataBytes(definition.type)),
  };
}
