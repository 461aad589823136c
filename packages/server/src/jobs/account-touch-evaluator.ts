/** Accounts a committed batch of usage touched, and which of their lines. */
export interface AccountTouch {
  readonly tenantId: string;
  readonly accountId: string;
  /** The lines with usage; none named: every line of the account. */
  readonly subscriptionIds?: readonly string[];
  /** Lines whose spending cap refused a request or was used up (bill-shock thresholds). */
  readonly capsReached?: readonly string[];
}

/**
 * Runs an evaluation of the accounts usage touched (bill-shock thresholds, fraud rules) off the
 * charging path: the engine's afterCommit hands it the accounts a batch touched and returns at
 * once; one evaluation runs at a time and gathers whatever batches commit meanwhile into the next
 * (an account charged by ten batches is looked at once), so under load it falls behind by one
 * evaluation, never by a queue. Errors go to onError and never reach the charge. What the
 * evaluation finds is decided by the database (unique firings, one open case), so a crash between
 * commit and evaluation loses only a look that the next usage brings back.
 */
export class AccountTouchEvaluator<Found> {
  readonly #pending = new Map<
    string,
    { tenantId: string; accountId: string; lines: Set<string>; caps: Set<string> }
  >();
  #running: Promise<void> | null = null;

  constructor(
    private readonly evaluate: (touches: readonly AccountTouch[]) => Promise<readonly Found[]>,
    /** The most accounts one evaluation takes (its queries' parameter budget). */
    private readonly maxAccounts: number,
    private readonly onError: (error: unknown) => void,
    private readonly onFound: (found: readonly Found[]) => void,
  ) {}

  /** Fire and forget, for the charging engine's afterCommit. */
  afterCharge(touches: readonly AccountTouch[]): void {
    for (const touch of touches) {
      let pending = this.#pending.get(touch.accountId);
      if (pending === undefined) {
        pending = { tenantId: touch.tenantId, accountId: touch.accountId, lines: new Set(), caps: new Set() };
        this.#pending.set(touch.accountId, pending);
      }
      for (const id of touch.subscriptionIds ?? []) pending.lines.add(id);
      for (const id of touch.capsReached ?? []) pending.caps.add(id);
    }
    if (this.#running === null) this.#running = this.#drain();
  }

  /** Evaluates now and waits, for mediation batches (whose callers may exit right after). */
  async afterUsage(touches: readonly AccountTouch[]): Promise<void> {
    try {
      for (let i = 0; i < touches.length; i += this.maxAccounts) {
        const found = await this.evaluate(touches.slice(i, i + this.maxAccounts));
        if (found.length > 0) this.onFound(found);
      }
    } catch (error) {
      this.onError(error);
    }
  }

  /** Resolves once every evaluation asked for so far has run (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.size > 0) {
        const batch = [...this.#pending.values()].slice(0, this.maxAccounts);
        for (const touch of batch) this.#pending.delete(touch.accountId);
        await this.afterUsage(
          batch.map((t) => ({
            tenantId: t.tenantId,
            accountId: t.accountId,
            subscriptionIds: [...t.lines],
            capsReached: [...t.caps],
          })),
        );
      }
    } finally {
      this.#running = null;
    }
  }
}
