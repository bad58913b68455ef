/**
 * Coalesces ops issued in the same tick into one request: the first op of a batch starts a
 * timer (`maxDelayMs`, default 0 = the next macrotask, so everything issued synchronously or in
 * microtasks of this tick joins); a batch that reaches `maxSize` goes at once.
 */
export interface BatchOptions {
  maxSize?: number
  maxDelayMs?: number
}

interface Queued<Op, Result> {
  op: Op
  resolve(result: Result): void
  reject(error: unknown): void
}

export class BatchEngine<Op, Result> {
  private queue: Queued<Op, Result>[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly maxSize: number
  private readonly maxDelayMs: number

  /** `send` answers one result per op, in order, or throws for the whole batch. */
  constructor(
    private readonly send: (ops: Op[]) => Promise<Result[]>,
    options: BatchOptions = {},
  ) {
    this.maxSize = Math.max(1, options.maxSize ?? 50)
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 0)
  }

  enqueue(op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ op, resolve, reject })
      if (this.queue.length >= this.maxSize) this.flush()
      else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs)
    })
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    this.send(batch.map((q) => q.op)).then(
      (results) => {
        for (const [i, q] of batch.entries()) q.resolve(results[i] as Result)
      },
      (error: unknown) => {
        for (const q of batch) q.reject(error)
      },
    )
  }
}
