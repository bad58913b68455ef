import { opfsStorage } from '@atoma/journal/opfs'
import { serveStorage } from '@atoma/journal/remote'

// The dedicated worker of the page: OPFS with synchronous access handles, served to the page.
serveStorage(opfsStorage())
postMessage({ inPlace: 'createSyncAccessHandle' in FileSystemFileHandle.prototype })
