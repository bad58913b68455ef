import type { OpsResponse, PullResponse, RemoteEntryResult } from '@atoma/runtime/protocol'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import type { Project, Task } from '../src/data/model.js'
import { databaseRows, serverItems, storeVersion } from './support/api.js'
import { addTask, card, expectConfirmed, FIRST_TASK, openBoard, signIn, statusLine } from './support/board.js'
import { screenshot, watchConsole } from './support/browser.js'
import { usePlayground } from './support/playground.js'

// Sign-in and permissions (issue 14): JWTs from the start script's dev endpoint, checked by the
// server, and the rules of server/collections.js deciding who sees and changes what.
describe('sign-in and permissions in Chromium', () => {
  const pg = usePlayground()
  const consoles: ReturnType<typeof watchConsole>[] = []
  const open = async (user: string) => {
    const page = await pg.browser.context.newPage()
    consoles.push(watchConsole(page))
    await openBoard(page, pg.web.url, user)
    return page
  }

  afterEach(async () => {
    // Signed out for the next scenario (the session lives in the browser's localStorage).
    await pg.browser.context
      .pages()
      .find((page) => page.url().startsWith(pg.web.url))
      ?.evaluate(() => localStorage.clear())
    for (const page of pg.browser.context.pages()) await page.close()
    for (const console_ of consoles.splice(0)) expect(console_.unexpected()).toEqual([])
  })

  it("keeps Grace's project from Ada, on the board and for a request with Ada's own token", async () => {
    const [mobile] = await serverItems<Project>(pg.api, 'projects', { name: 'Mobile app' }, 'grace')
    const [graceTask] = await serverItems<Task>(pg.api, 'tasks', { title: GRACE_TASK }, 'grace')
    if (!mobile || !graceTask) throw new Error('the seed has no Mobile app project for Grace')

    const ada = await open('ada')
    expect(await projectNames(ada)).toEqual(['Website relaunch', 'Team offsite'])
    await screenshot(ada, 'auth-ada-projects')

    // The token the page signed in with, sent by hand through the same proxy.
    const projectsSeen = await opsAs(ada, [{ opId: 'p', kind: 'query', store: 'projects', query: {} }])
    const tasksOfMobile = await opsAs(ada, [
      { opId: 't', kind: 'query', store: 'tasks', query: { where: { projectId: mobile.id } } },
    ])
    const pulled = (await postAs(ada, '/api/pull', {})) as PullResponse
    const before = await storeVersion(pg.api, 'tasks')
    const planted = crypto.randomUUID()
    const writes = await opsAs(ada, [
      write('tasks', {
        op: 'patch',
        id: graceTask.id,
        patches: [{ op: 'replace', path: ['title'], value: 'Ada was here' }],
      }),
      write('tasks', {
        op: 'create',
        id: planted,
        value: { ...graceTask, id: planted, title: 'Planted by Ada' },
      }),
      write('projects', { op: 'upsert', id: mobile.id, value: { ...mobile, members: ['grace', 'ada'] } }),
      write('projects', { op: 'delete', id: mobile.id }),
    ])

    const [seen] = projectsSeen
    const names = seen?.ok && seen.kind === 'query' ? seen.items.map((i) => (i.value as Project).name) : null
    expect(names?.sort()).toEqual(['Team offsite', 'Website relaunch'])
    expect(tasksOfMobile[0]).toMatchObject({ ok: true, kind: 'query', items: [] })
    expect(pulled.changes.filter((change) => change.id === mobile.id || change.id === graceTask.id)).toEqual(
      [],
    )
    expect(pulled.changes.some((change) => (change.value as Task | undefined)?.projectId === mobile.id)).toBe(
      false,
    )
    // Every entry refused by the rules, each with its own error; nothing confirmed.
    const outcomes = writes.map((result) =>
      result.ok && result.kind === 'write'
        ? result.items.map((entry: RemoteEntryResult) =>
            entry.status === 'rejected' ? entry.error.code : 'confirmed',
          )
        : [result.ok ? result.kind : result.error.code],
    )
    expect(outcomes).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']])
    // The database is as it was: nothing of Grace's changed, nothing was planted.
    expect(await storeVersion(pg.api, 'tasks')).toBe(before)
    const rows = await databaseRows<Task>(pg.api, 'tasks')
    expect(rows.find((task) => task.id === graceTask.id)?.title).toBe(GRACE_TASK)
    expect(rows.map((task) => task.title)).not.toContain('Planted by Ada')
    const [still] = await serverItems<Project>(pg.api, 'projects', { name: 'Mobile app' }, 'grace')
    expect(still?.members).toEqual(['grace'])

    // Grace, in the same browser after Ada signs out, sees her own project and the shared one.
    await ada.locator('summary[aria-label="Signed in as Ada"]').click()
    await ada.getByRole('button', { name: 'Sign out' }).click()
    await signIn(ada, 'grace')
    await card(ada, GRACE_TASK).waitFor()
    expect(await projectNames(ada)).toEqual(['Mobile app', 'Team offsite'])
    expect(await card(ada, 'Ada was here').count()).toBe(0)
  })

  it('asks to sign in again when the token expires mid-session, and loses no write made meanwhile', async () => {
    const page = await pg.browser.context.newPage()
    consoles.push(watchConsole(page))
    // The server refuses the expired token (401) while the write waits: the console says so.
    consoles.at(-1)?.expect(/401 \(Unauthorized\)/)
    await page.goto(pg.web.url)
    await signIn(page, 'ada', '10 seconds (to watch it expire)')
    await card(page, ADA_TASK).waitFor()
    const before = await storeVersion(pg.api, 'tasks')

    // The token runs out (10 s after it was minted): the board says so and keeps working.
    const notice = page.locator('.notice', { hasText: 'Your session has ended' })
    await notice.waitFor({ timeout: 20_000 })
    await addTask(page, 'Written while signed out')
    await expect
      .poll(() => statusLine(page).textContent())
      .toBe('Signed out: 1 change waits for you to sign in')
    expect(await card(page, 'Written while signed out').getAttribute('data-pending')).toBe('true')
    await screenshot(page, 'auth-session-ended')
    expect(await storeVersion(pg.api, 'tasks')).toBe(before)

    // Signing in again sends it, once.
    await notice.getByRole('button', { name: 'Sign in' }).click()
    await signIn(page, 'ada')
    await expectConfirmed(page, 'Written while signed out')
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor()
    expect(await notice.count()).toBe(0)
    const rows = await databaseRows<Task>(pg.api, 'tasks')
    expect(rows.filter((task) => task.title === 'Written while signed out')).toHaveLength(1)
    expect(await storeVersion(pg.api, 'tasks')).toBe(before + 1)
  })
})

const ADA_TASK = FIRST_TASK.ada ?? ''
const GRACE_TASK = FIRST_TASK.grace ?? ''

function projectNames(page: Page): Promise<string[]> {
  return page.locator('.project .project-name').allTextContents()
}

/** POSTs `body` to `path` from the page, with the token it is signed in with. */
function postAs(page: Page, path: string, body: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ path, body }) => {
      const { token } = JSON.parse(localStorage.getItem('atoma-playground:session') ?? '{}') as {
        token?: string
      }
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      })
      return response.json()
    },
    { path, body },
  )
}

async function opsAs(page: Page, ops: unknown[]): Promise<OpsResponse['results']> {
  return ((await postAs(page, '/api/ops', { ops })) as OpsResponse).results
}

function write(store: string, entry: Record<string, unknown>) {
  return {
    opId: crypto.randomUUID(),
    kind: 'write',
    store,
    entries: [
      {
        entryId: crypto.randomUUID(),
        idempotencyKey: crypto.randomUUID(),
        clientTimeMs: Date.now(),
        ...entry,
      },
    ],
  }
}
