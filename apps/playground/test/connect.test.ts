import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Task } from '../src/data/model.js'
import { databaseRows } from './support/api.js'
import {
  addTask,
  card,
  editTitle,
  expectConfirmed,
  openBoard,
  openProject,
  SHARED,
  statusLine,
  waitSaved,
} from './support/board.js'
import { type LaunchedBrowser, screenshot, watchConsole } from './support/browser.js'
import { usePlayground } from './support/playground.js'

// Issue 19: the team board over Connect (`?transport=connect`): connectBackend against the
// server's Connect service on the same port, through the Vite proxy, and Subscribe pokes.
describe('the team board over Connect in Chromium', () => {
  const pg = usePlayground({ browsers: 2 })

  it('creates, renames and deletes over Connect calls, and a second browser sees each change live', async () => {
    const open = async (on: LaunchedBrowser, user: string) => {
      const page = await on.context.newPage()
      const console_ = watchConsole(page)
      const paths = apiPaths(page)
      await openBoard(page, `${pg.web.url}?transport=connect`, user)
      await openProject(page, SHARED.project, SHARED.task)
      return { page, console_, paths }
    }
    const [ada, grace] = await Promise.all([open(pg.browser, 'ada'), open(pg.other, 'grace')])
    const titles = async () => (await databaseRows<Task>(pg.api, 'tasks')).map((task) => task.title)

    await addTask(ada.page, 'Hire a photographer')
    await expectConfirmed(ada.page, 'Hire a photographer')
    expect(await titles()).toContain('Hire a photographer')
    await card(grace.page, 'Hire a photographer').waitFor()

    await editTitle(ada.page, 'Hire a photographer', 'Hire two photographers')
    await expectConfirmed(ada.page, 'Hire two photographers')
    expect(await titles()).toContain('Hire two photographers')
    expect(await titles()).not.toContain('Hire a photographer')
    await card(grace.page, 'Hire two photographers').waitFor()
    await screenshot(grace.page, 'connect-second-browser')

    await card(ada.page, 'Hire two photographers')
      .getByRole('button', { name: 'Delete “Hire two photographers”' })
      .click()
    await card(ada.page, 'Hire two photographers').waitFor({ state: 'detached' })
    await expect.poll(titles).not.toContain('Hire two photographers')
    await card(grace.page, 'Hire two photographers').waitFor({ state: 'detached' })
    await waitSaved(ada.page)
    expect(await statusLine(ada.page).textContent()).toBe('All changes saved · over Connect')
    await screenshot(ada.page, 'connect-board')
    await ada.page.getByText('Network:').click()
    expect(await ada.page.getByLabel('Transport').inputValue()).toBe('connect')
    await screenshot(ada.page, 'connect-network-control')

    // Data went through the Connect service only: no ops, pull or SSE endpoint was used (beside
    // it, only the dev tools' own: sign-in and the chaos settings).
    for (const { paths } of [ada, grace]) {
      expect(paths.filter((path) => ['/api/ops', '/api/pull', '/api/poke'].includes(path))).toEqual([])
      expect(paths).toContain('/api/atoma.v1.AtomaService/Subscribe')
    }
    const calls = (name: string) => ada.paths.filter((path) => path === `/api/atoma.v1.AtomaService/${name}`)
    expect(calls('Write')).toHaveLength(3)
    expect(calls('Query').length).toBeGreaterThan(0)
    for (const { console_ } of [ada, grace]) expect(console_.unexpected()).toEqual([])
  })
})

/** The paths of the page's requests to the server (through the proxy), in order. */
function apiPaths(page: Page): string[] {
  const paths: string[] = []
  page.on('request', (request) => {
    const { pathname } = new URL(request.url())
    if (pathname.startsWith('/api/')) paths.push(pathname)
  })
  return paths
}
