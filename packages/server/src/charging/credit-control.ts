/**
 * The online charging use cases as every network interface sees them: the JSON charging API and
 * the Diameter Gy/Ro server both translate their requests into these calls, so both charge
 * alike. The semantics are those of RFC 4006 credit control: a session is initiated (units are
 * priced and reserved), updated (used units committed, more reserved) and terminated (used units
 * committed, the rest released); an event is charged at once.
 */

/** The kind of units a service is granted and reported in (RFC 4006 section 8.18). */
export type ServiceUnitKind = 'seconds' | 'bytes' | 'messages' | 'units';

/** The subscriber as the network names them (RFC 4006 Subscription-Id, section 8.46). */
export interface SubscriberIdentity {
  readonly kind: 'msisdn' | 'imsi' | 'sip_uri' | 'username';
  readonly value: string;
}

/** One service (rating group) of a request: RFC 4006 Multiple-Services-Credit-Control. */
export interface ServiceUsageRequest {
  /** The rating group; the tenant's charging settings map it to a tariff category. */
  readonly ratingGroup: number;
  /** The number called or messaged, for services priced by destination. */
  readonly destination?: string | undefined;
  /** Units asked for (Requested-Service-Unit); absent: the service's default grant. */
  readonly requestedUnits?: bigint | undefined;
  /** Units used since the previous report of this rating group (Used-Service-Unit). */
  readonly usedUnits?: bigint | undefined;
}

export interface CreditControlRequest {
  readonly tenantId: string;
  /** Unique per session (Diameter Session-Id); events use a fresh one each. */
  readonly sessionId: string;
  /** CC-Request-Number: 0 for the first request of a session, then increasing. */
  readonly requestNumber: number;
  /** Required to initiate a session or charge an event; later requests find the session by id. */
  readonly subscriber?: SubscriberIdentity | undefined;
  readonly services: readonly ServiceUsageRequest[];
}

/** Business outcomes for one rating group (RFC 4006 Result-Code inside the MSCC). */
export type ServiceResultCode =
  | 'success'
  /** DIAMETER_CREDIT_LIMIT_REACHED (4012): nothing at all can be granted. */
  | 'insufficient_balance'
  /** DIAMETER_RATING_FAILED (5031): the tariff has no price for this usage. */
  | 'rating_failed'
  /** DIAMETER_END_USER_SERVICE_DENIED (4010): the rating group maps to no service. */
  | 'service_denied';

export interface ServiceUsageAnswer {
  readonly ratingGroup: number;
  readonly resultCode: ServiceResultCode;
  readonly unit: ServiceUnitKind;
  /** Granted-Service-Unit; 0 when nothing was granted. */
  readonly grantedUnits: bigint;
  /** Final-Unit-Indication: this grant is the last; the network ends the service when it is used. */
  readonly finalUnit: boolean;
  /** Validity-Time: the grant lapses (and is returned) if not reported within this many seconds. */
  readonly validityTimeSeconds: number;
  /** Money committed for this rating group by this request, in micro-units of the account currency. */
  readonly chargedMicros: bigint;
  /** Human-readable reason for a refusal. */
  readonly message?: string | undefined;
}

/** Request-level refusals (RFC 4006 Result-Code at command level). */
export type CreditControlErrorCode =
  /** DIAMETER_USER_UNKNOWN (5030). */
  | 'unknown_subscriber'
  /** DIAMETER_UNKNOWN_SESSION_ID (5002). */
  | 'unknown_session'
  /** The session's reservations lapsed before this request; nothing was charged (5002 over Diameter). */
  | 'session_expired'
  /** A request number out of order, or a request for a session that already ended (5004/5002). */
  | 'invalid_request'
  /** DIAMETER_CREDIT_LIMIT_REACHED (4012) for a whole event or a one-service request. */
  | 'insufficient_balance'
  /** The balance store could not answer; nothing was charged; retry (DIAMETER_TOO_BUSY 3004). */
  | 'charging_unavailable';

export type CreditControlAnswer =
  | {
      readonly ok: true;
      readonly sessionId: string;
      readonly requestNumber: number;
      readonly accountId: string;
      /** The account's currency: the unit of chargedMicros. */
      readonly currency: string;
      readonly services: readonly ServiceUsageAnswer[];
    }
  | {
      readonly ok: false;
      readonly sessionId: string;
      readonly requestNumber: number;
      readonly code: CreditControlErrorCode;
      readonly message: string;
    };

/**
 * The four credit-control operations. Retried requests (same session id and request number)
 * return the first answer and charge nothing twice.
 */
export interface CreditControl {
  initiate(request: CreditControlRequest): Promise<CreditControlAnswer>;
  update(request: CreditControlRequest): Promise<CreditControlAnswer>;
  terminate(request: CreditControlRequest): Promise<CreditControlAnswer>;
  /** A one-shot debit (RFC 4006 EVENT_REQUEST with DIRECT_DEBITING): all or nothing. */
  event(request: CreditControlRequest): Promise<CreditControlAnswer>;
}
