// The entry of a probe process (see isolate.ts): `node probe.mjs <name> <json args>` runs one
// probe and prints its result as one JSON line. A thrown error exits non-zero with its stack.
import { probes } from './index.js'

const [name, json] = process.argv.slice(2)
if (!name || !(name in probes))
  throw new Error(`no probe named ${name}; known: ${Object.keys(probes).join(', ')}`)
const probe = probes[name as keyof typeof probes] as (args: unknown) => unknown
console.log(JSON.stringify(await probe(JSON.parse(json ?? '{}'))))
