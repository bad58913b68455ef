import type { EffectOp, Middleware } from './effectOp.js'

/** Runs an op through a composed stack. */
export type OpRunner = <R>(op: EffectOp<R>) => R

const runOp: OpRunner = (op) => op.run()

/**
 * Composes a stack outermost-first: `stack[0]` sees the op first and its result last, as the seed's
 * `reduceRight` does. The chain is built once here, so running an op allocates nothing beyond what
 * the middleware themselves allocate; an empty stack runs `op.run()` directly.
 *
 * The stack is read once: changing the array afterwards does not change the composed runner.
 * Errors thrown (or rejections returned) by a middleware or by `run` propagate unchanged to the
 * caller; the bus never swallows or wraps them.
 */
export function composeMiddleware(stack: readonly Middleware[]): OpRunner {
  let runner = runOp
  for (let index = stack.length - 1; index >= 0; index--) {
    const middleware = stack[index]
    if (middleware === undefined) continue // a hole in a sparse array
    const inner = runner
    runner = <R>(op: EffectOp<R>): R => middleware(op, inner)
  }
  return runner
}
