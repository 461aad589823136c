/** Who we are to our peers: the AVPs every answer we send carries (RFC 6733 6.2). */
export interface LocalIdentity {
  readonly originHost: string;
  readonly originRealm: string;
  /** RFC 6733 8.16: changes whenever we restart, so peers learn that our state was lost. */
  readonly originStateId: number;
}
