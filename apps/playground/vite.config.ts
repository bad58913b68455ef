import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// Where @atoma/server listens; `npm start` and the tests set it to the port they got.
const apiUrl = process.env.ATOMA_API_URL ?? 'http://127.0.0.1:4000'

// Production builds resolve @atoma/devtools to its no-op entry; VITE_ATOMA_DEVTOOLS=true ships
// the real panel on purpose (the app reads the same variable to turn the runtime's hub on).
const devtoolsInBuild = process.env.VITE_ATOMA_DEVTOOLS === 'true'

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The workspace packages' TypeScript sources: no package build before `vite`, and edits to a
    // package show up in the playground at once.
    conditions: ['@atoma/source', ...defaultClientConditions],
    alias: devtoolsInBuild ? [{ find: /^@atoma\/devtools$/, replacement: '@atoma/devtools/panel' }] : [],
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: apiUrl } },
  },
  preview: { host: '127.0.0.1' },
})
