/**
 * When a request must be done. Checked between ops and between write entries; on PostgreSQL
 * each transaction also gets the time left as its `statement_timeout`, so a single heavy
 * statement is cut too. PGlite cannot cancel a running statement, so there one statement may
 * overrun the deadline, bounded by the row and byte budget.
 */
export class Deadline {
  readonly at: number

  constructor(ms: number, now = Date.now()) {
    this.at = now + ms
  }

  remainingMs(): number {
    return Math.max(0, this.at - Date.now())
  }

  get expired(): boolean {
    return Date.now() >= this.at
  }

  /** Throws DeadlinePassed once the time is up: no statement is started that could not finish. */
  check(): void {
    if (this.expired) throw new DeadlinePassed('the request ran out of time')
  }
}

/** The request's time ran out before a statement could start (answered like a cancelled statement). */
export class DeadlinePassed extends Error {}
