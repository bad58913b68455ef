import type { KernelEventListener, KernelEventName } from './events.js'
import type { PolicyDefinition } from './policy.js'
import type { ExecutionNode } from './ports.js'

/**
 * A transport is how an adapter reaches a remote (fetch for HTTP, later a gRPC channel).
 * Registering one under a name lets an app or a test swap it without touching the adapter.
 */
export interface Transport {
  name: string
  // biome-ignore lint/suspicious/noExplicitAny: transports are adapter-defined; each adapter narrows its own.
  send: (...args: any[]) => Promise<unknown>
}

/** The capabilities a plugin is given; nothing is injected implicitly (DESIGN §6). */
export interface PluginContext {
  /** Devtools are on: nodes may fill `NodeTrace` (it costs previews of every request). */
  debug: boolean
  execution: { registerNode(node: ExecutionNode): void }
  policy: { registerPolicy(policy: PolicyDefinition): void }
  transport: {
    registerTransport(transport: Transport): void
    getTransport(name: string): Transport | undefined
  }
  events: { on<E extends KernelEventName>(event: E, listener: KernelEventListener<E>): () => void }
}
