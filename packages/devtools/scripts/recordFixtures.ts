// Records the Storybook fixtures from a real runtime: `npm run record-fixtures -w @atoma/devtools`.
// The demo app (demoScenario.ts) runs its traffic against memoryBackend with devtools on, and the
// page's DevtoolsHub is exported with the panel's own exporter into
// stories/fixtures/session.generated.json. Nothing in the fixtures is written by hand.
import { writeFileSync } from 'node:fs'
import { exportRecording } from '../src/recording/exportRecording.js'
import { createDemoRuntime, runDemo } from './demoScenario.js'

const runtime = createDemoRuntime('storybook')
await runDemo(runtime)
const recording = exportRecording()
const target = new URL('../stories/fixtures/session.generated.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(recording)}\n`)
console.log(
  `recorded ${recording.events.length} events of runtime '${runtime.label}' into ${target.pathname}`,
)
runtime.dispose()
