// @atoma/connect — the Connect/gRPC adapter (docs/architecture.md §11): a remote node over Connect-ES.
export { type ConnectBackendOptions, connectBackend, connectNode } from './connectBackend.js'
export { connectPokes, type PokesOptions } from './connectPokes.js'
