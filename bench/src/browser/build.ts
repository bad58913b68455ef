import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build, defaultClientConditions } from 'vite'

export interface BuiltApp {
  dir: string
  remove(): void
}

const benchRoot = fileURLToPath(new URL('../..', import.meta.url))

// The same plain table look for every app; layout and paint are part of what is measured.
const style = `body{font:14px sans-serif;margin:8px}button{margin:2px}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:2px 6px}
tr.danger{background:#f2dede}td button{border:0;background:none;color:#337ab7;cursor:pointer}`

/**
 * A React 19 production build of one app entry (`src/apps/...`), made by Vite into a temp
 * directory with an `index.html` that loads it. Every library's app is built the same way.
 */
export async function buildApp(entry: string): Promise<BuiltApp> {
  const dir = mkdtempSync(join(tmpdir(), 'atoma-bench-app-'))
  await build({
    configFile: false,
    root: benchRoot,
    mode: 'production',
    logLevel: 'error',
    plugins: [react()],
    // Atoma's packages are resolved to their sources, as the playground and the tests do.
    resolve: { conditions: ['@atoma/source', ...defaultClientConditions] },
    build: {
      outDir: dir,
      emptyOutDir: true,
      modulePreload: false,
      rolldownOptions: { input: join(benchRoot, entry), output: { entryFileNames: 'app.js' } },
    },
  })
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>bench</title><style>${style}</style>
<div id="main"></div><script type="module" src="/app.js"></script>`,
  )
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
