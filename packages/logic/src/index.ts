// @atoma/logic — watchers with concurrency modes, a setup and a run phase, and fields kept by
// traits. Each export lives in its own module: an app that imports only `computed` loads no
// watcher code.
export { inspectLogic } from './inspect/inspectLogic.js'
export type {
  LogicInspection,
  LogicSource,
  LogicStatus,
  Phase,
  TraitNode,
  WatcherStatus,
} from './inspect/registry.js'
export { defineLogic } from './logic/defineLogic.js'
export { LogicPhaseError } from './logic/LogicPhaseError.js'
export type {
  ActionContext,
  ActionContextOf,
  ActionEvent,
  Logic,
  LogicApi,
  LogicErrorInfo,
  LogicOptions,
  Reader,
  RunContext,
  Source,
  StateContext,
  StateWatchOptions,
  StoreReader,
  ValueContext,
  WatchOptions,
} from './logic/types.js'
export { type ComputedOptions, computed } from './trait/computed.js'
export { type LinkOptions, link } from './trait/link.js'
export { type QueryFn, type SourceState, source, sourceIdle } from './trait/source.js'
export type { Mode, RunCounts } from './watch/runner.js'
