// @atoma/runtime — the framework-agnostic core. Everything public is exported here.
export {
  type HeadersOption,
  type HttpBackendOptions,
  httpBackend,
  httpNode,
} from './adapters/http/httpBackend.js'
export { type IndexedDbBackendOptions, indexedDbBackend } from './adapters/indexeddb/indexedDbBackend.js'
export {
  type MemoryBackendOptions,
  type MemoryRow,
  type MemoryStorage,
  memoryBackend,
} from './adapters/memory/memoryBackend.js'
export { composeMiddleware } from './bus/composeMiddleware.js'
export { debugObserver } from './bus/debugObserver.js'
export type { EffectOp, EffectOpKind, EffectOpMeta, Middleware } from './bus/effectOp.js'
export { logger } from './bus/logger.js'
export { whenSettled } from './bus/whenSettled.js'
export {
  type AnyDef,
  createRuntime,
  type DehydratedState,
  type DevtoolsOptions,
  type Runtime,
  type RuntimeDebug,
  type RuntimeOptions,
} from './createRuntime.js'
export { dataProblem } from './data.js'
export type { DebugEventInput, DebugEventKind, DebugSink, RuntimeDebugEvent } from './debug/events.js'
export {
  clearDevtoolsEvents,
  type DevtoolsInstanceHandle,
  type DevtoolsInstanceInfo,
  type DevtoolsSnapshot,
  getDevtoolsInstance,
  getDevtoolsSnapshot,
  subscribeDevtoolsSnapshot,
} from './debug/hub.js'
export { type JsonValue, safeStringify, toSerializable } from './debug/serialize.js'
export {
  AtomaError,
  type AtomaErrorCode,
  type ErrorInfo,
  fromErrorInfo,
  isAtomaError,
  toErrorInfo,
} from './errors.js'
export type { KernelEventListener, KernelEventName, KernelEvents } from './execution/events.js'
export type { PluginContext, Transport } from './execution/plugin.js'
export type { BreakerOptions, PolicyDefinition, PolicyOptions, RetryOptions } from './execution/policy.js'
export type {
  ConflictResolution,
  EntryResult,
  ExecutionMeta,
  ExecutionNode,
  NodeQueryResult,
  NodeTrace,
  NodeWriteResult,
  QueryExecutionInput,
  QueryExecutionOutput,
  QueryExecutionPort,
  RouteStep,
  RuntimeApplyPort,
  Source,
  WritebackInput,
  WritebackItem,
  WritebackResult,
  WriteEntry,
  WriteExecutionInput,
  WriteExecutionOutput,
  WriteExecutionPort,
  WriteOp,
  WriteStatus,
} from './execution/ports.js'
export type { Patch, PatchPath } from './patch.js'
export type { ActionListener, AtomaPlugin, PluginExtensions, PluginRuntime } from './plugin.js'
export { type Cursor, decodeCursor, encodeCursor, isPaged } from './query/evaluate.js'
export type { FieldOps, Id, Query, Scalar, SortDirection, Where } from './query/types.js'
export type { MergePolicy } from './read/merge.js'
export type { QueryOptions, QueryResult } from './read/queryFlow.js'
export type { CollectionDraftApi } from './store/collectionDraft.js'
export type { CollectionHandle } from './store/collectionHandle.js'
export { type CollectionDef, type CollectionOptions, defineCollection } from './store/defineCollection.js'
export {
  type ActionRecipe,
  type ActionRecipes,
  defineStore,
  type Payloads,
  type StoreDef,
  type StoreOptions,
} from './store/defineStore.js'
export { EntityMap, isEntityMap } from './store/entityMap.js'
export type { ActionArgs, CollectionReadHandle, CollectionState, StoreHandle } from './store/handles.js'
export type { Commit, CommitObserver, EntityListener, Listener } from './store/storeCell.js'
export type { Trait, TraitAttachment, TraitHost } from './trait.js'
export type { CollectionRecipe, StoreRecipe } from './txn/transactor.js'
export type { Instrumentation, OriginKind, TxnOrigin, TxnRecord } from './txn/types.js'
export type { CollectionWriter, EntryOutcome, WriteHandle, WriteResult } from './write/types.js'
