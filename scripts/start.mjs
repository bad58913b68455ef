#!/usr/bin/env node
// `npm start`: will build the packages, start @atoma/server on the embedded database and the
// playground's Vite dev server. Until the playground lands (issue: playground app), say so plainly.
console.log(`Atoma playground — not built yet.

When it lands, \`npm start\` will:
  1. build the packages it needs,
  2. start @atoma/server on the embedded PostgreSQL (PGlite, data in ./.atoma-data),
  3. start the playground (a task board with the devtools panel) and print its URL.

Meanwhile: \`npm test\` runs lint, typecheck and every test; \`npm run build\` builds all packages.`)
