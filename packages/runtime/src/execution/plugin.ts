import type { KernelEventListener, KernelEventName } from './events.js'
import type { PolicyDefinition } from './policy.js'
import type { ExecutionNode } from './ports.js'

/**
 * A transport is how an adapter reaches a remote (fetch for HTTP, later a gRPC channel).
 * Registering one under a name lets an app or a test swap it without touching the adapter.
 */
export interface Transport {
  name: string
  /** Sends one request; its arguments and result are the adapter's own. */
  // biome-ignore lint/suspicious/noExplicitAny: transports are adapter-defined; each adapter narrows its own.
  send: (...args: any[]) => Promise<unknown>
}

/** The capabilities a plugin is given; nothing is injected implicitly (docs/architecture.md §6). */
export interface PluginContext {
  /** Devtools are on: nodes may fill `NodeTrace` (it costs previews of every request). */
  debug: boolean
  /** The execution kernel. */
  execution: {
    /** Registers a backend node that policies can route reads and writes to. */
    registerNode(node: ExecutionNode): void
  }
  /** The execution policies. */
  policy: {
    /** Registers a named execution policy. */
    registerPolicy(policy: PolicyDefinition): void
  }
  /** Transports by name. */
  transport: {
    /** Registers a transport; a later one with the same name replaces it. */
    registerTransport(transport: Transport): void
    /** The transport registered under `name`, if any. */
    getTransport(name: string): Transport | undefined
  }
  /** The kernel's events. */
  events: {
    /** Listens to one kernel event; returns the function that stops listening. */
    on<E extends KernelEventName>(event: E, listener: KernelEventListener<E>): () => void
  }
}
