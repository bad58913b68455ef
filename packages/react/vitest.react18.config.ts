import { defineProject } from 'vitest/config'
import { onReact18 } from '../../vitest.shared.js'
import project from './vitest.config.js'

// The same suite against React 18.3 (the peer range's other major).
export default defineProject(onReact18(project))
