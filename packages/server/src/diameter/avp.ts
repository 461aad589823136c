/**
 * An AVP (RFC 6733 section 4.1) with its data decoded by type (section 4.2 and 4.3). The
 * header's V bit is implied by `vendorId` being present; the P bit is kept only so that a
 * decoded AVP encodes back to the same bytes (RFC 6733 says it SHOULD be 0).
 */
export type AvpValue =
  | { readonly type: 'OctetString'; readonly value: Buffer }
  | { readonly type: 'UTF8String'; readonly value: string }
  /** RFC 6733 4.3.1: an FQDN or realm, ASCII. */
  | { readonly type: 'DiameterIdentity'; readonly value: string }
  | { readonly type: 'DiameterURI'; readonly value: string }
  | { readonly type: 'Integer32'; readonly value: number }
  | { readonly type: 'Unsigned32'; readonly value: number }
  /** RFC 6733 4.3.1: Enumerated is an Integer32 whose values the dictionary names. */
  | { readonly type: 'Enumerated'; readonly value: number }
  | { readonly type: 'Integer64'; readonly value: bigint }
  | { readonly type: 'Unsigned64'; readonly value: bigint }
  | { readonly type: 'Float32'; readonly value: number }
  | { readonly type: 'Float64'; readonly value: number }
  /** RFC 6733 4.3.1: seconds since 1900-01-01 UTC, the first four bytes of an NTP timestamp. */
  | { readonly type: 'Time'; readonly value: number }
  /** RFC 6733 4.3.1: an IANA address family (1 IPv4, 2 IPv6) and the address bytes. */
  | { readonly type: 'Address'; readonly value: AddressValue }
  | { readonly type: 'Grouped'; readonly value: readonly Avp[] };

export interface AddressValue {
  readonly family: number;
  readonly bytes: Buffer;
}

export type AvpType = AvpValue['type'];

/** The value type an AVP data type decodes to, e.g. `bigint` for Unsigned64. */
export type AvpValueOf<T extends AvpType> = Extract<AvpValue, { readonly type: T }>['value'];

export interface AvpHeader {
  readonly code: number;
  /** Present when the V bit is set (RFC 6733 4.1). */
  readonly vendorId?: number | undefined;
  readonly mandatory: boolean;
  readonly protected?: boolean | undefined;
}

export type Avp = AvpHeader & AvpValue;
