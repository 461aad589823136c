import type { ServiceUnitKind, SubscriberIdentity } from '../charging/credit-control.js';

/** A CCR as a client describes it (RFC 4006 3.1), without Diameter's encoding. */
export interface CreditControlCall {
  readonly sessionId: string;
  readonly requestType: 'initial' | 'update' | 'termination' | 'event';
  readonly requestNumber: number;
  readonly subscriber?: SubscriberIdentity | undefined;
  /** Sent as IMS-Information/Called-Party-Address (TS 32.299), `tel:` for a number. */
  readonly destination?: string | undefined;
  readonly services: readonly ServiceUnitsCall[];
}

export interface ServiceUnitsCall {
  readonly ratingGroup: number;
  /** The AVP the units travel in: CC-Time, CC-Total-Octets or CC-Service-Specific-Units. */
  readonly unit: ServiceUnitKind;
  /** Units asked for; 'default' sends an empty Requested-Service-Unit; absent sends none. */
  readonly requestedUnits?: bigint | 'default' | undefined;
  readonly usedUnits?: bigint | undefined;
}

/** A CCA as plain values (RFC 4006 3.2). */
export interface CreditControlResult {
  readonly resultCode: number;
  readonly sessionId: string | undefined;
  readonly requestType: number | undefined;
  readonly requestNumber: number | undefined;
  readonly errorMessage: string | undefined;
  /** One per MSCC; in single-service form, one with rating group 0 from the command level. */
  readonly services: readonly ServiceUnitsResult[];
}

export interface ServiceUnitsResult {
  readonly ratingGroup: number;
  readonly resultCode: number | undefined;
  readonly unit: ServiceUnitKind | undefined;
  readonly grantedUnits: bigint | undefined;
  readonly validityTimeSeconds: number | undefined;
  readonly finalUnit: boolean;
}
