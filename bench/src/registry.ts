import { devtoolsPanel } from './benchmarks/devtoolsPanel.js'
import { logic } from './benchmarks/logic.js'
import { memory } from './benchmarks/memory.js'
import { notify } from './benchmarks/notify.js'
import { optimistic } from './benchmarks/optimistic.js'
import { persistBench } from './benchmarks/persist.js'
import { rows } from './benchmarks/rows.js'
import { size } from './benchmarks/size.js'
import { syncBench } from './benchmarks/sync.js'
import { transport } from './benchmarks/transport.js'
import { txnOverhead } from './benchmarks/txnOverhead.js'
import { writeCost } from './benchmarks/writeCost.js'
import type { Benchmark } from './harness.js'

export const benchmarks: readonly Benchmark[] = [
  notify,
  writeCost,
  txnOverhead,
  rows,
  optimistic,
  size,
  memory,
  devtoolsPanel,
  persistBench,
  logic,
  transport,
  syncBench,
]
