// Bundles a page entry the way an app's bundler would (React in `mode`, workspace packages from
// their sources) and serves it on loopback: what the devtools benchmark and the panel's Chromium
// tests load.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'

export async function bundlePage(entry: string, mode: 'development' | 'production'): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: mode === 'development' ? ['@atoma/source', 'development'] : ['@atoma/source'],
    jsx: 'automatic',
    minify: mode === 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    logLevel: 'silent',
  })
  const [file] = result.outputFiles
  if (!file) throw new Error('esbuild produced no bundle')
  return file.text
}

export interface ServedPage {
  url: string
  close(): void
}

/** An HTML page with a `#root` that loads `script()` (read on each request, so it can be swapped). */
export async function servePage(script: () => string, title: string): Promise<ServedPage> {
  const server = createServer((request, response) => {
    if (request.url === '/page.js')
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script())
    else
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><title>${title}</title><div id="root"></div><script type="module" src="/page.js"></script>`,
        )
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() }
}
