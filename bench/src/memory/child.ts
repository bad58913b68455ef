// One contender's memory, alone in its own Node process (`node --expose-gc`), so no other
// contender's garbage or JIT state is on its heap. Prints one JSON line: MB used after the
// collection is built and after the transactions.
import { entityId, makeEntities } from '../data.js'
import { lcg } from '../harness.js'
import { collectionContenders } from '../peers/index.js'

const [name, size, transactions] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])]
const contender = collectionContenders.find((c) => c.name === name)
if (!contender) throw new Error(`memory: no contender named ${name}`)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('memory: run with --expose-gc')

const heapMB = () => {
  // Two collections: the first can leave finalizable objects for the second to free.
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

const store = contender.create(makeEntities(size))
const built = heapMB()
const next = lcg()
for (let i = 0; i < transactions; i++) store.bump(entityId(next(size)))
const after = heapMB()
// Reading `store` after the measurement keeps it alive through it.
store.watch(entityId(0), () => {})
console.log(JSON.stringify({ built, after }))
