import { AtomaError, toErrorInfo } from '../errors.js'
import { CircuitBreaker } from './breaker.js'
import { checkQueryResult, checkWriteResult } from './checkNodeResult.js'
import { ExecutionError } from './executionError.js'
import type { PluginContext } from './plugin.js'
import type {
  ExecutionMeta,
  ExecutionNode,
  QueryExecutionInput,
  QueryExecutionOutput,
  RouteStep,
  WriteExecutionInput,
  WriteExecutionOutput,
} from './ports.js'
import { createRegistry, type PluginRegistry, type RegisteredPolicy } from './registry.js'
import { runRoute } from './runRoute.js'

export interface KernelOptions {
  /** The policy used when a call names none (default `direct-local`). */
  defaultPolicy?: string
  /** Clock in ms for route timings and breaker cooldowns (default `Date.now`); injectable for tests. */
  now?: () => number
  /** Backoff waits (default: a timer cut short by the signal); injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** In [0, 1), for backoff jitter (default `Math.random`); injectable for tests. */
  random?: () => number
  /** What the plugins registered (default: an empty registry whose `context` the kernel exposes). */
  registry?: PluginRegistry
}

type Kind = 'query' | 'write'

export interface ExecutionKernel {
  /** What plugins' `setup(ctx)` receive. */
  readonly context: PluginContext
  /** The policy `undefined` stands for in the methods below. */
  readonly defaultPolicy: string
  /**
   * Whether the policy hands writes to a queue that keeps their order per id itself (`sync-queue`):
   * the runtime then dispatches each write at once instead of after the earlier ones it overlaps.
   */
  queued(policy: string | undefined): boolean
  /** Registered nodes, in registration order. */
  nodes(): readonly ExecutionNode[]
  /**
   * The nodes a policy tries for this kind, in order (only nodes implementing the kind).
   * Throws `INVALID_ARGUMENT` for an unknown policy (the message lists the known ones).
   */
  route(policy: string | undefined, kind: Kind): readonly ExecutionNode[]
  /** Throws `NO_EXECUTION_NODE` naming the store, the policy and the missing kind(s) when a route is empty. */
  assertRoutable(store: string, policy: string | undefined): void
  /** QueryExecutionPort for one policy. Rejects with an `ExecutionError` (an `AtomaError` carrying `route`). */
  query(policy: string | undefined, input: QueryExecutionInput): Promise<QueryExecutionOutput>
  /** WriteExecutionPort for one policy. Per-entry rejections are a result (`rejected`/`partial`), not a throw. */
  write(policy: string | undefined, input: WriteExecutionInput): Promise<WriteExecutionOutput>
}

/** A timer that ends early, without error, when the signal aborts (the caller checks the signal). */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * The execution kernel (docs/architecture.md §6): routes each query/write by policy to the registered nodes,
 * with retries, timeouts, circuit breaking and fallback, and reports the route it took. It knows
 * nothing of stores: its inputs and outputs are the ports' shapes.
 */
export function createKernel(options: KernelOptions = {}): ExecutionKernel {
  const clock = {
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  }
  const defaultPolicy = options.defaultPolicy ?? 'direct-local'
  const registry = options.registry ?? createRegistry()
  const { nodes: registered, policies, events } = registry
  // Remote nodes have one, made on first use: every policy routing to a node shares it.
  const breakers = new Map<ExecutionNode, CircuitBreaker>()
  const breakerOf = (node: ExecutionNode): CircuitBreaker | undefined => {
    if (node.source !== 'remote') return undefined
    let breaker = breakers.get(node)
    if (!breaker) {
      breaker = new CircuitBreaker(node, events.emit)
      breakers.set(node, breaker)
    }
    return breaker
  }

  function policyOf(name: string | undefined): RegisteredPolicy {
    const policy = policies.get(name ?? defaultPolicy)
    if (policy) return policy
    throw new AtomaError(
      'INVALID_ARGUMENT',
      `unknown execution policy '${name ?? defaultPolicy}' (known: ${[...policies.keys()].join(', ')}); a plugin registers others with ctx.policy.registerPolicy`,
    )
  }

  function routeOf(policy: RegisteredPolicy, kind: Kind): readonly ExecutionNode[] {
    const capable = registered.filter((node) => typeof node[kind] === 'function')
    const { name } = policy.definition
    let routed: unknown
    try {
      routed = policy.definition.route(kind, capable)
    } catch (error) {
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `policy '${name}' failed to route a ${kind}: ${String(error)}`,
        { cause: error },
      )
    }
    if (!Array.isArray(routed))
      throw new AtomaError(
        'INVALID_ARGUMENT',
        `policy '${name}' routed a ${kind} to ${String(routed)}, expected an array of nodes`,
      )
    for (const node of routed as unknown[])
      if (!capable.includes(node as ExecutionNode))
        throw new AtomaError(
          'INVALID_ARGUMENT',
          `policy '${name}' routed a ${kind} to '${String((node as ExecutionNode | undefined)?.id)}', which is not a registered node implementing ${kind}`,
        )
    return routed as ExecutionNode[]
  }

  function describeNodes(): string {
    if (registered.length === 0) return 'none'
    return registered
      .map(
        (node) =>
          `'${node.id}' (${node.source}: ${(['query', 'write'] as const).filter((k) => node[k]).join(', ')})`,
      )
      .join(', ')
  }

  function noNode(store: string, policy: string, missing: readonly Kind[]): AtomaError {
    return new AtomaError(
      'NO_EXECUTION_NODE',
      `store '${store}' uses execution policy '${policy}', which finds no ${missing.map((k) => `${k} node`).join(' and no ')} ` +
        `(registered nodes: ${describeNodes()}); add a backend plugin that registers one, or choose another policy`,
      { store },
    )
  }

  /** What both operations share: policy and route resolution, the route run and the settled event. */
  async function execute<R>(
    kind: Kind,
    policyName: string | undefined,
    store: string,
    signal: AbortSignal | undefined,
    call: (node: ExecutionNode, signal: AbortSignal) => Promise<R>,
    onStart: (policy: string) => void,
    onSettled: (policy: string, ok: boolean, meta: ExecutionMeta, error?: AtomaError) => void,
  ): Promise<{ value: R; meta: ExecutionMeta }> {
    const policy = policyOf(policyName)
    const name = policy.definition.name
    const nodes = routeOf(policy, kind)
    const first = nodes[0]
    if (!first) throw noNode(store, name, [kind])
    onStart(name)
    try {
      const { value, node, route } = await runRoute({
        kind,
        store,
        policy: name,
        nodes,
        options: kind === 'write' ? policy.writeOptions : policy.options,
        signal,
        call,
        breakerOf,
        clock,
      })
      const meta: ExecutionMeta = { source: node.source, route }
      onSettled(name, true, meta)
      return { value, meta }
    } catch (error) {
      // runRoute rejects with ExecutionError; only a broken injected `sleep` could throw something else.
      const route: RouteStep[] = error instanceof ExecutionError ? [...error.route] : []
      const last = route.at(-1)
      const failedMeta: ExecutionMeta = { source: last?.source ?? first.source, route }
      onSettled(name, false, failedMeta, error instanceof AtomaError ? error : undefined)
      throw error
    }
  }

  return {
    context: registry.context,
    defaultPolicy,
    queued: (policy) => policyOf(policy).definition.queued === true,
    nodes: () => [...registered],
    route: (policy, kind) => routeOf(policyOf(policy), kind),
    assertRoutable(store, policyName) {
      const policy = policyOf(policyName)
      const missing = (['query', 'write'] as const).filter((kind) => routeOf(policy, kind).length === 0)
      if (missing.length > 0) throw noNode(store, policy.definition.name, missing)
    },
    async query(policyName, input) {
      const { value, meta } = await execute(
        'query',
        policyName,
        input.store,
        input.signal,
        // Routed nodes implement `query` (routeOf checks it).
        async (node, signal) => checkQueryResult(node.id, await node.query!({ ...input, signal })),
        () => {},
        (policy, ok, meta, error) =>
          events.emit('query:settled', {
            store: input.store,
            policy,
            ok,
            meta,
            ...(error === undefined ? {} : { error: toErrorInfo(error) }),
          }),
      )
      return {
        items: value.items,
        ...(value.versions === undefined ? {} : { versions: value.versions }),
        meta: value.cursor === undefined ? meta : { ...meta, cursor: value.cursor },
      }
    },
    async write(policyName, input) {
      const { value, meta } = await execute(
        'write',
        policyName,
        input.store,
        input.signal,
        // The same entries (hence idempotency keys) on every attempt; routed nodes implement `write`.
        async (node, signal) =>
          checkWriteResult(node.id, input.entries, await node.write!({ ...input, signal })),
        (policy) => events.emit('write:dispatched', { store: input.store, policy, entries: input.entries }),
        (policy, ok, meta, error) =>
          events.emit('write:settled', {
            store: input.store,
            policy,
            ok,
            meta,
            ...(error === undefined ? {} : { error: toErrorInfo(error) }),
          }),
      )
      return { status: value.status, items: value.items, meta }
    },
  }
}
