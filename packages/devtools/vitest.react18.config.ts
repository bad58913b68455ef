import { configDefaults, defineProject } from 'vitest/config'
import { onReact18 } from '../../vitest.shared.js'
import project from './vitest.config.js'

// The same suite against React 18.3 (the peer range's other major), less the production-build
// check, which bundles with Vite and renders nothing.
export default defineProject(
  onReact18({
    ...project,
    test: { ...project.test, exclude: [...configDefaults.exclude, 'test/productionBuild.test.ts'] },
  }),
)
