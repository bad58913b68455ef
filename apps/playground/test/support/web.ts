import { createServer as createNetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createServer, preview, type ViteDevServer } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))
const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url))

export interface Web {
  url: string
  close(): Promise<void>
}

/** The playground's Vite dev server, proxying /api to `apiOrigin` (as `npm start` does). */
export async function startDevServer(apiOrigin: string): Promise<Web> {
  process.env.ATOMA_API_URL = apiOrigin
  const server: ViteDevServer = await createServer({
    root,
    configFile,
    logLevel: 'warn',
    // No file watching: nothing edits the sources during a test run.
    server: { port: await freePort(), strictPort: true, watch: null },
  })
  await server.listen()
  return { url: server.resolvedUrls?.local[0] ?? '', close: () => server.close() }
}

/** Vite's preview server over a production build in `outDir`, with the same /api proxy. */
export async function startPreview(apiOrigin: string, outDir: string): Promise<Web> {
  process.env.ATOMA_API_URL = apiOrigin
  const server = await preview({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: await freePort(), strictPort: true },
  })
  return { url: server.resolvedUrls?.local[0] ?? '', close: () => server.close() }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}
