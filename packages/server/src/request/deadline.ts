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
}
