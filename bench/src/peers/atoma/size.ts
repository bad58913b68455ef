// What a minimal Atoma app imports (README "Use"): the runtime, a backend and the React bindings.
export { RuntimeProvider, useEntity, useMutation, useQuery, useStore } from '@atoma/react'
export { createRuntime, defineCollection, defineStore, memoryBackend } from '@atoma/runtime'
