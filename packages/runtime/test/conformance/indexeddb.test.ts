import { IDBFactory } from 'fake-indexeddb'
import { indexedDbBackend } from '../../src/adapters/indexeddb/indexedDbBackend.js'
import { describeBackendConformance } from './backendConformance.js'

describeBackendConformance('indexedDbBackend', async () => {
  const indexedDB = new IDBFactory()
  return {
    plugin: indexedDbBackend({ name: 'conformance', indexedDB }),
    // Deleting also proves the backend lets go of its connection when asked to.
    cleanup: () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('conformance')
        request.onsuccess = () => resolve()
        request.onerror = () => reject(request.error)
        request.onblocked = () => reject(new Error('the backend kept the database open'))
      }),
  }
})
