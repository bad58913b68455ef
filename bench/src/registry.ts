import { writeCost } from './benchmarks/writeCost.js'
import type { Benchmark } from './harness.js'

export const benchmarks: readonly Benchmark[] = [writeCost]
