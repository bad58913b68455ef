import { memoryBackend } from '../../src/adapters/memory/memoryBackend.js'
import { describeBackendConformance } from './backendConformance.js'

describeBackendConformance('memoryBackend', async () => ({
  plugin: memoryBackend(),
  cleanup: async () => {},
}))
