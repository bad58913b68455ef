import { AtomaError, type PluginRuntime, type Runtime } from '@atoma/runtime'
import { type LogicEntry, logicOf } from '../inspect/registry.js'
import { LogicInstance, logicBrand } from './logicInstance.js'
import type { Logic, LogicApi, LogicOptions } from './types.js'

/**
 * Defines a logic: `build` is its setup phase, run once per runtime when `createRuntime({ logic })`
 * starts it. It only registers — watchers (`$.onAction`, `$.onState`, `$.on`), readers (`$.use`)
 * and lifecycle hooks; the run phase (watchers subscribed, `onInit`) starts once the runtime is
 * ready, and `runtime.dispose()` aborts every run still going.
 *
 * A definition holds no state: the same one can serve several runtimes (tests, one per server
 * request). Set up twice in one runtime (listed twice, or a second definition of the same name, as
 * a hot reload makes one), it runs once, and `logic::duplicate_setup` says so.
 */
export function defineLogic(
  name: string,
  build: ($: LogicApi) => unknown,
  options: LogicOptions = {},
): Logic {
  if (typeof name !== 'string' || name.length === 0)
    throw new AtomaError(
      'INVALID_ARGUMENT',
      `defineLogic: the name must be a non-empty string, got ${String(name)}`,
    )
  if (typeof build !== 'function')
    throw new AtomaError('INVALID_ARGUMENT', `defineLogic('${name}'): the setup must be a function`)
  const instances = new WeakMap<Runtime, LogicInstance>()
  return {
    ...logicBrand,
    kind: 'logic',
    name,
    setup() {},
    start(runtime: PluginRuntime) {
      let registry = logicOf.get(runtime.runtime)
      if (!registry) {
        registry = new Map<string, LogicEntry>()
        logicOf.set(runtime.runtime, registry)
      }
      if (registry.has(name)) {
        runtime.diagnostic(
          'logic::duplicate_setup',
          `logic '${name}' was set up again in this runtime (listed twice, or redefined as a hot reload does); it runs once, as first set up`,
          { logic: name },
        )
        return
      }
      const instance = new LogicInstance(name, runtime, registry, options)
      instances.set(runtime.runtime, instance)
      registry.set(name, instance)
      instance.setup(build)
    },
    dispose(runtime: PluginRuntime) {
      instances.get(runtime.runtime)?.dispose()
    },
  }
}
