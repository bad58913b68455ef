import { afterAll, beforeAll, inject } from 'vitest'
import { type Api, startApi } from './api.js'
import { type LaunchedBrowser, launchChromium } from './browser.js'
import { freshDataDir, removeDataDir } from './globalSetup.js'
import { startDevServer, type Web } from './web.js'

/** What a test file runs against, once its `beforeAll` has run. */
export interface Playground {
  /** The server on the file's own fresh database (seeded). */
  readonly api: Api
  /** The app on Vite, proxying /api to the server. */
  readonly web: Web
  /** A Chromium with its own profile. */
  readonly browser: LaunchedBrowser
  /** A second one, when asked for: another machine, another user. */
  readonly other: LaunchedBrowser
  /** Stops the server and starts it again on the same data and port (the Vite proxy points there). */
  restartApi(): Promise<void>
}

/**
 * Starts, for the test file, what `npm start` runs (the server on a fresh copy of the seeded
 * database, and the app on Vite) and one or two Chromiums; stops them after the file.
 */
export function usePlayground({ browsers = 1 }: { browsers?: 1 | 2 } = {}): Playground {
  const dataDir = freshDataDir(inject('pgliteTemplate'))
  let api: Api | undefined
  let web: Web | undefined
  let launched: LaunchedBrowser[] = []
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`usePlayground: no ${what} before beforeAll ran`)
    return value
  }
  beforeAll(async () => {
    api = await startApi(dataDir)
    web = await startDevServer(`http://127.0.0.1:${api.port}`)
    launched = await Promise.all(Array.from({ length: browsers }, () => launchChromium()))
  })
  afterAll(async () => {
    await Promise.all(launched.map((browser) => browser.close()))
    await web?.close()
    await api?.close()
    removeDataDir(dataDir)
  })
  return {
    get api() {
      return started(api, 'server')
    },
    get web() {
      return started(web, 'web server')
    },
    get browser() {
      return started(launched[0], 'browser')
    },
    get other() {
      return started(launched[1], 'second browser (usePlayground({ browsers: 2 }))')
    },
    async restartApi() {
      const { port } = started(api, 'server')
      await api?.close()
      api = await startApi(dataDir, port)
    },
  }
}
