import { computedProbe, latestProbe } from './logic.js'
import { memoryProbe } from './memory.js'
import { notifyProbe } from './notify.js'
import { transportProbe } from './transport.js'
import { txnOverheadProbe } from './txnOverhead.js'
import { writeCostProbe } from './writeCost.js'

/** What a probe process can run, by name: JSON-serializable arguments in, a result out. */
export const probes = {
  notify: notifyProbe,
  'write-cost': writeCostProbe,
  'txn-overhead': txnOverheadProbe,
  memory: memoryProbe,
  'logic-computed': computedProbe,
  'logic-latest': latestProbe,
  transport: transportProbe,
}
export type Probes = typeof probes
