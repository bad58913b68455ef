import { AtomaError } from '@atoma/runtime'
import type { Phase } from '../inspect/registry.js'

/**
 * A capability used in the wrong phase: a run-phase one (`read`, `dispatch`, `query`, `write`)
 * during setup, or a registration (`onAction`, `use`, `lifecycle.onInit`...) after it. An
 * `AtomaError` (`INVALID_ARGUMENT`), so `createRuntime` fails with it as it is; it is also
 * reported as the diagnostic `logic::invalid_phase`.
 */
export class LogicPhaseError extends AtomaError {
  readonly diagnostic = 'logic::invalid_phase'

  constructor(
    readonly logic: string,
    readonly capability: string,
    /** The phase the logic was in. */
    readonly phase: Phase,
    /** The phase the capability belongs to. */
    readonly required: 'setup' | 'run',
  ) {
    super('INVALID_ARGUMENT', `logic '${logic}': ${capability} ${explain(phase, required)}`)
  }
}

function explain(phase: Phase, required: 'setup' | 'run'): string {
  if (required === 'setup')
    return 'registers, so it can only be called during setup (the synchronous body of defineLogic)'
  if (phase === 'disposed') return 'cannot be called once the runtime is disposed'
  return "is a run-phase capability and cannot be called during setup; call it in a watcher's handler or in $.lifecycle.onInit"
}
