import {
  AtomaError,
  type CollectionDef,
  type CollectionHandle,
  type CollectionWriter,
  isAtomaError,
  type WriteHandle,
  type WriteResult,
} from '@atoma/runtime'
import { type MutateOptions, MutationObserver, notifyManager } from '@tanstack/query-core'
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react'
import { useAtomaContext } from './context.js'

/** Makes the writes: `(write, vars) => write.create(vars)`. Runs synchronously inside `mutate`. */
export type MutationFn<T, V> = (write: CollectionWriter<T>, vars: V) => WriteHandle<T>

/** The callbacks of `useMutation`, called for each `mutate` call in the order listed. */
export interface UseMutationOptions<T, V, C = unknown> {
  /** Runs after the optimistic commit (the write is already visible); its result is `context` below. */
  onMutate?: (vars: V) => C | Promise<C>
  /** After the write settled with an entry confirmed (`result.status` `confirmed` or `partial`). */
  onSuccess?: (result: WriteResult<T>, vars: V, context: C | undefined) => unknown
  /** After the write was rejected (and rolled back), or the mutation function threw. */
  onError?: (error: AtomaError, vars: V, context: C | undefined) => unknown
  /** Last, after `onSuccess` or `onError`, with the result or the error. */
  onSettled?: (
    result: WriteResult<T> | undefined,
    error: AtomaError | null,
    vars: V,
    context: C | undefined,
  ) => unknown
}

/**
 * Callbacks of one `mutate(vars, callbacks)` call, after the hook's own; as in TanStack Query they
 * run only for the latest call, and only while the component is mounted.
 */
export interface MutateCallbacks<T, V, C = unknown> {
  /** After the hook's `onSuccess`. */
  onSuccess?: (result: WriteResult<T>, vars: V, context: C | undefined) => unknown
  /** After the hook's `onError`. */
  onError?: (error: AtomaError, vars: V, context: C | undefined) => unknown
  /** After the hook's `onSettled`. */
  onSettled?: (
    result: WriteResult<T> | undefined,
    error: AtomaError | null,
    vars: V,
    context: C | undefined,
  ) => unknown
}

/** What `useMutation` returns: the functions that write and the state of the latest call. */
export interface UseMutationResult<T, V, C = unknown> {
  /** Writes at once (optimistically) and never throws: failures land in `error` and `onError`. */
  mutate: (vars: V, callbacks?: MutateCallbacks<T, V, C>) => void
  /** As `mutate`, and resolves with the write's result or rejects with its `AtomaError`. */
  mutateAsync: (vars: V, callbacks?: MutateCallbacks<T, V, C>) => Promise<WriteResult<T>>
  /** Of the latest call. */
  status: 'idle' | 'pending' | 'success' | 'error'
  error: AtomaError | null
  data: WriteResult<T> | undefined
  /** The latest call's variables (`undefined` while idle). */
  variables: V | undefined
  /** When the latest call was made (ms since epoch; 0 while idle). */
  submittedAt: number
  isIdle: boolean
  isPending: boolean
  isSuccess: boolean
  isError: boolean
  /** Back to `idle`; writes in flight still settle. */
  reset: () => void
}

/** What the synchronous part of a call produced: the write, or what the mutation function threw. */
type Started<T> = { write: WriteHandle<T> } | { error: AtomaError }

// Layout effects keep the latest function before any event can call `mutate`; on the server
// there are no events, and React 18 warns about layout effects there.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect

/**
 * Writes to a collection with query-core's mutation state and callbacks. Optimistic at once:
 * `mutate` runs `fn` synchronously, so the change is committed (and visible to every hook) before
 * `mutate` returns; query-core then awaits the write's outcome, and a rejected write (already
 * rolled back by the runtime) becomes `error`.
 */
export function useMutation<T, V = void, C = unknown>(
  collection: CollectionDef<T>,
  fn: MutationFn<T, V>,
  options: UseMutationOptions<T, V, C> = {},
): UseMutationResult<T, V, C> {
  const { runtime, queryClient } = useAtomaContext('useMutation')
  const handle = runtime.store(collection)
  const latest = useRef({ handle, fn, options })
  useIsomorphicLayoutEffect(() => {
    latest.current = { handle, fn, options }
  })
  const [observer] = useState(
    () =>
      new MutationObserver<WriteResult<T>, AtomaError, V, C | undefined>(queryClient, {
        // By collection, for useIsMutating(collection) and useMutationState({ collection }).
        mutationKey: ['atoma', handle.name],
        // Stable wrappers: the observer's options never change after this, see `mutateAsync`.
        onMutate: (vars) => latest.current.options.onMutate?.(vars),
        onSuccess: (result, vars, context) => latest.current.options.onSuccess?.(result, vars, context),
        onError: (error, vars, context) => latest.current.options.onError?.(error, vars, context),
        onSettled: (result, error, vars, context) =>
          latest.current.options.onSettled?.(result, error, vars, context),
      }),
  )
  const state = useSyncExternalStore(
    useCallback((onChange: () => void) => observer.subscribe(notifyManager.batchCalls(onChange)), [observer]),
    () => observer.getCurrentResult(),
    () => observer.getCurrentResult(),
  )

  const mutateAsync = useCallback(
    (vars: V, callbacks?: MutateCallbacks<T, V, C>) => {
      const started = start(latest.current.handle, latest.current.fn, vars)
      // query-core calls `mutationFn` only after awaiting `onMutate`, so the write is made above,
      // synchronously, and each call's Mutation gets its own function settling that write. The
      // observer copies its options into the Mutation it builds in `mutate`; assigning (rather
      // than `setOptions`) leaves the options of an earlier, still pending Mutation alone.
      observer.options = {
        ...observer.options,
        mutationFn: () => ('write' in started ? started.write.unwrap() : Promise.reject(started.error)),
      }
      return observer.mutate(vars, callbacks && perCall(callbacks))
    },
    [observer],
  )
  const mutate = useCallback(
    (vars: V, callbacks?: MutateCallbacks<T, V, C>) => {
      mutateAsync(vars, callbacks).catch(noop)
    },
    [mutateAsync],
  )

  return {
    mutate,
    mutateAsync,
    status: state.status,
    error: state.error,
    data: state.data,
    variables: state.variables,
    submittedAt: state.submittedAt,
    isIdle: state.isIdle,
    isPending: state.isPending,
    isSuccess: state.isSuccess,
    isError: state.isError,
    reset: observer.reset,
  }
}

/** The per-call callbacks in query-core's shape (it adds a function context Atoma has no use for). */
function perCall<T, V, C>(
  callbacks: MutateCallbacks<T, V, C>,
): MutateOptions<WriteResult<T>, AtomaError, V, C | undefined> {
  const { onSuccess, onError, onSettled } = callbacks
  return {
    ...(onSuccess && { onSuccess: (result, vars, context) => void onSuccess(result, vars, context) }),
    ...(onError && { onError: (error, vars, context) => void onError(error, vars, context) }),
    ...(onSettled && {
      onSettled: (result, error, vars, context) => void onSettled(result, error, vars, context),
    }),
  }
}

function start<T, V>(handle: CollectionHandle<T>, fn: MutationFn<T, V>, vars: V): Started<T> {
  try {
    return { write: fn(handle.write, vars) }
  } catch (error) {
    // The runtime throws AtomaErrors (a create of an existing id, a schema failure); anything
    // else is a bug in `fn`, kept as the cause so the error type stays the one documented.
    return {
      error: isAtomaError(error)
        ? error
        : new AtomaError('RECIPE_FAILED', `useMutation('${handle.name}'): the mutation function threw`, {
            store: handle.name,
            cause: error,
          }),
    }
  }
}

function noop(): void {}
