import { errorInfo, OpFailure } from '../errors.js'

/**
 * What one request may still answer, in rows and bytes of item JSON, over all its ops. A query
 * that would go over fails with RESPONSE_TOO_LARGE having spent the budget (the database did
 * read that much), so the request's later queries fail at once instead of each reading up to
 * the cap again: 100 heavy ops cost about what one does.
 */
export class Budget {
  private rowsLeft: number
  private bytesLeft: number
  private charged = false
  private exhausted = false

  constructor(
    readonly maxRows: number,
    readonly maxBytes: number,
  ) {
    this.rowsLeft = maxRows
    this.bytesLeft = maxBytes
  }

  get rows(): number {
    return this.rowsLeft
  }

  get bytes(): number {
    return this.bytesLeft
  }

  /** Nothing charged yet: a failure now would fail again in a request of its own. */
  get untouched(): boolean {
    return !this.charged
  }

  get spent(): boolean {
    return this.exhausted
  }

  charge(rows: number, bytes: number): void {
    this.charged = true
    this.rowsLeft = Math.max(0, this.rowsLeft - rows)
    this.bytesLeft = Math.max(0, this.bytesLeft - bytes)
  }

  spend(): void {
    this.charge(this.rowsLeft, this.bytesLeft)
    this.exhausted = true
  }

  /**
   * The error of an answer that does not fit. Retryable only when something else in the
   * request had used part of the budget: alone, the same op may fit.
   */
  tooLarge(what: string, untouched: boolean): OpFailure {
    const budget = `${this.maxRows} rows or ${this.maxBytes} bytes`
    const message = untouched
      ? `${what} exceeds the per-request budget of ${budget}: ask for less (a limit, a narrower where)`
      : `${what} does not fit in what is left of the per-request budget of ${budget}: send it in a request of its own`
    return new OpFailure(errorInfo('RESPONSE_TOO_LARGE', message, !untouched))
  }
}
