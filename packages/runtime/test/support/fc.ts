/**
 * fast-check settings for the runtime's property tests: `FC_RUNS` sets the run count (a soak can
 * run 100,000), `FC_SEED` (and `FC_PATH`) replay the failure fast-check printed.
 */
export function fcOptions(fallbackRuns: number): { numRuns: number; seed?: number; path?: string } {
  return {
    numRuns: process.env.FC_RUNS === undefined ? fallbackRuns : Number(process.env.FC_RUNS),
    ...(process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }),
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  }
}
