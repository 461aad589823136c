/** RFC 6733 section 5 and RFC 4006 section 3: the commands the Gy/Ro server speaks. */
export const COMMAND = {
  capabilitiesExchange: 257,
  deviceWatchdog: 280,
  disconnectPeer: 282,
  creditControl: 272,
} as const;

/** RFC 6733 2.4: application ids. */
export const APPLICATION = {
  /** Base protocol messages (CER, DWR, DPR) use application 0. */
  common: 0,
  /** RFC 4006 section 1.3: Diameter Credit-Control Application. */
  creditControl: 4,
  /** A relay advertises 0xffffffff: it forwards every application. */
  relay: 0xffffffff,
} as const;

/** RFC 4006 8.3 CC-Request-Type. */
export const CC_REQUEST_TYPE = { initial: 1, update: 2, termination: 3, event: 4 } as const;

/** RFC 4006 8.47 Subscription-Id-Type. */
export const SUBSCRIPTION_ID_TYPE = { e164: 0, imsi: 1, sipUri: 2, nai: 3, private: 4 } as const;

/** RFC 4006 8.41 Requested-Action. */
export const REQUESTED_ACTION = { directDebiting: 0 } as const;

/** RFC 4006 8.35 Final-Unit-Action. */
export const FINAL_UNIT_ACTION = { terminate: 0 } as const;

/** RFC 6733 5.4.3 Disconnect-Cause. */
export const DISCONNECT_CAUSE = { rebooting: 0, busy: 1, doNotWantToTalkToYou: 2 } as const;
