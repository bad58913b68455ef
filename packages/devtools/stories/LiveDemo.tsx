import { clearDevtoolsEvents } from '@atoma/runtime'
import { useEffect, useState } from 'react'
import { createDemoRuntime, runDemo } from '../scripts/demoScenario.js'
import { DevtoolsPanel, type DevtoolsPanelProps } from '../src/DevtoolsPanel.js'

/**
 * The panel over a real runtime running in the story: the demo app's traffic goes through the
 * live DevtoolsHub, so time travel works. The runtime leaves the hub when the story unmounts.
 */
export function LiveDemo(props: DevtoolsPanelProps) {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    let mounted = true
    const runtime = createDemoRuntime('live demo', { contacts: 300 })
    void runDemo(runtime).then(() => {
      if (mounted) setReady(true)
    })
    return () => {
      mounted = false
      runtime.dispose()
      clearDevtoolsEvents()
    }
  }, [])
  return ready ? <DevtoolsPanel {...props} /> : null
}
