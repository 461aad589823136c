/** Exit codes that scripts can rely on; documented in README.md. */
export const ExitCode = {
  ok: 0,
  /** A bug or an infrastructure failure (unreadable file, broken pipe). */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** The tariff is invalid: nothing was rated. */
  invalidTariff: 3,
  /** Some requests could not be rated; their error results were written. */
  someNotRated: 4,
  /** `tollgate audit verify`: the audit chain is broken somewhere; every break was printed. */
  auditBroken: 5,
  /** `tollgate ledger verify`: the ledger breaks an invariant somewhere; every problem was printed. */
  ledgerBroken: 6,
  /** The request was understood but refused in the current state (a closed account, a balance that cannot pay). */
  refused: 7,
} as const;
