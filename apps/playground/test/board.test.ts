import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Project, Task } from '../src/data/model.js'
import { type Api, databaseRows, sendOps, serverItems, setChaos, storeVersion } from './support/api.js'
import { addTaskTimed, card, expectConfirmed, openBoard, SHARED, statusLine } from './support/board.js'
import { screenshot, watchConsole } from './support/browser.js'
import { usePlayground } from './support/playground.js'

// The team board against a real @atoma/server on PGlite on disk, through the Vite proxy, as Ada.
describe('team board (@atoma/sync with @atoma/server)', () => {
  const pg = usePlayground()
  let page: Page
  let console_: ReturnType<typeof watchConsole>

  beforeEach(async () => {
    page = await pg.browser.context.newPage()
    console_ = watchConsole(page)
    await openBoard(page, pg.web.url)
  })
  afterEach(async () => {
    await setChaos(pg.api, {})
    await page.close()
    expect(console_.unexpected()).toEqual([])
  })

  it('shows a created task at once while the server takes a second, marked pending until confirmed', async () => {
    // Through the UI's own network control, which posts to /api/chaos.
    await page.getByText('Network:').click()
    await page.getByLabel('Added latency').fill('1000')
    await expect.poll(() => pg.api.getChaos().latencyMs).toBe(1000)
    await screenshot(page, 'network-control')
    await page.getByText('Network:').click()

    const started = Date.now()
    const ms = await addTaskTimed(page, 'Call the printer')
    expect(ms).toBeLessThan(100)
    const created = card(page, 'Call the printer')
    expect(await created.getAttribute('data-pending')).toBe('true')
    // The header says so from the same render on, before the outbox has even stored the write.
    expect(await statusLine(page).getAttribute('data-state')).toBe('saving')
    await expect.poll(() => created.locator('[data-pending-mark]').isVisible()).toBe(true)
    await screenshot(page, 'board-pending')

    await expectConfirmed(page, 'Call the printer')
    expect(Date.now() - started).toBeGreaterThan(900)
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor()
    await screenshot(page, 'board-confirmed')
  })

  it('keeps a write the server fails for now, marked saving, and lands it once when the server takes it', async () => {
    await setChaos(pg.api, { failureRate: 1, failWrites: true })
    const failed = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/ops' &&
        (response.request().postData() ?? '').includes('Patient task'),
    )
    await addTaskTimed(page, 'Patient task')
    expect(await (await failed).text()).toContain('chaos: injected write failure')
    // A transient failure is no rejection: the write waits in the outbox and is sent again.
    expect(await card(page, 'Patient task').getAttribute('data-pending')).toBe('true')
    // The outbox sees a transport failure: the header says the write waits, and never "saved".
    await expect
      .poll(() => statusLine(page).textContent())
      .toBe('The server is not answering: 1 change waits; retrying…')
    const before = await storeVersion(pg.api, 'tasks')
    expect((await databaseRows<Task>(pg.api, 'tasks')).filter((t) => t.title === 'Patient task')).toEqual([])

    await setChaos(pg.api, {})
    await expectConfirmed(page, 'Patient task')
    expect(
      (await databaseRows<Task>(pg.api, 'tasks')).filter((t) => t.title === 'Patient task'),
    ).toHaveLength(1)
    expect(await storeVersion(pg.api, 'tasks')).toBe(before + 1)
  })

  it('rolls a change back when the server refuses it, and says why', async () => {
    const [offsite] = await serverItems<Project>(pg.api, 'projects', { name: SHARED.project }, 'grace')
    if (!offsite) throw new Error('no shared project in the seed')
    await page.locator('.project', { hasText: SHARED.project }).click()
    await card(page, SHARED.task).waitFor()
    // Grace takes Ada off the shared project; Ada's board still shows it (nothing is retracted).
    await upsertProject(pg.api, 'grace', { ...offsite, members: ['grace'] })
    try {
      expect(await addTaskTimed(page, 'Doomed task')).toBeLessThan(100)
      await card(page, 'Doomed task').waitFor({ state: 'detached' })
      const alert = page
        .getByRole('alert')
        .filter({ hasText: 'Could not add “Doomed task”; the change was undone.' })
      await alert.waitFor()
      expect(await alert.textContent()).toContain('ada is not a member of the task')
      await screenshot(page, 'board-rolled-back')
      expect((await databaseRows<Task>(pg.api, 'tasks')).filter((t) => t.title === 'Doomed task')).toEqual([])
    } finally {
      await upsertProject(pg.api, 'grace', offsite)
    }
  })

  it('filters, sorts and searches (case-insensitively) with queries the server runs too', async () => {
    const titles = (column: string) =>
      page.getByRole('region', { name: column }).locator('.card-title').allTextContents()
    await page.getByLabel('Filter by priority').selectOption({ label: 'High only' })
    await expect.poll(() => titles('To do')).toEqual(['Write the launch announcement'])
    expect(await titles('Doing')).toEqual(['Build the pricing page'])

    await page.getByLabel('Filter by priority').selectOption({ label: 'Any priority' })
    // `containsi`: the server's SQL and the store fold ASCII letters alike.
    const searched = page.waitForResponse((response) =>
      (response.request().postData() ?? '').includes('"containsi":"PAGE"'),
    )
    await page.getByLabel('Search titles').fill('PAGE')
    await page.getByLabel('Sort by').selectOption({ label: 'Title A–Z' })
    expect((await searched).ok()).toBe(true)
    await expect.poll(() => titles('Done')).toEqual(['Sketch the home page'])
    expect(await titles('Doing')).toEqual(['Build the pricing page'])
    expect(await titles('To do')).toEqual([])
    await page.getByLabel('Search titles').fill('')
    await page.getByLabel('Filter by assignee').selectOption({ label: 'Unassigned' })
    await expect.poll(() => titles('To do')).toContain('Pick a color palette')
    expect(await page.locator('.load-failed').count()).toBe(0)
    await screenshot(page, 'board-filtered')
  })

  it('shows what the server stored after a reload, and after the server restarted on the same data', async () => {
    await addTaskTimed(page, 'Persisted task')
    await expectConfirmed(page, 'Persisted task')

    await page.reload()
    await card(page, 'Persisted task').waitFor()

    // Same data directory, same port (the Vite proxy points there): PGlite reopens it from disk.
    // Meanwhile the page's poke stream and pulls meet the proxy's 502.
    console_.expect(/502 \(Bad Gateway\)/)
    await pg.restartApi()
    await page.reload()
    await card(page, 'Persisted task').waitFor()
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor()
    await screenshot(page, 'board-after-restart')
  })

  it('shows a failed load with a Retry, and recovers by itself when the server answers again', async () => {
    // Every request fails (503) as from a server that is down. What the board saved for offline
    // use (data/offlineCache.ts) still shows under the banner.
    await setChaos(pg.api, { failureRate: 1, failWrites: false })
    console_.expect(/503 \(Service Unavailable\)/)
    await page.reload()
    const banner = page.locator('.load-failed')
    await banner.waitFor({ timeout: 20_000 })
    // Whichever of the board's queries fails first names its store.
    expect(await banner.textContent()).toMatch(/^Could not load from the server: store '(projects|tasks)'/)
    expect(await banner.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true)
    // The header tells the truth: not "All changes saved".
    await expect
      .poll(() => statusLine(page).getAttribute('data-state'))
      .toMatch(/^(unreachable|load-failed)$/)
    await screenshot(page, 'board-load-failed')

    await setChaos(pg.api, {})
    await card(page, 'Write the launch announcement').waitFor({ timeout: 20_000 })
    await banner.waitFor({ state: 'detached' })
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor({ timeout: 20_000 })
    await screenshot(page, 'board-recovered')
  })

  it('stacks notices in a corner that covers no control, with Undo for a delete, gone after a while', async () => {
    const first = 'Move the blog to the new domain'
    const second = 'Set up redirects from old URLs'
    for (const title of [first, second])
      await card(page, title)
        .getByRole('button', { name: `Delete “${title}”` })
        .click()
    const notice = (title: string) => page.locator('.notice', { hasText: `Deleted “${title}”` })
    await notice(first).waitFor()
    await notice(second).waitFor()
    expect(await card(page, first).count()).toBe(0)
    expect(await coveredControls(page)).toEqual([])
    await screenshot(page, 'notices')

    await notice(first).getByRole('button', { name: 'Undo' }).click()
    await expectConfirmed(page, first)
    expect(await notice(first).count()).toBe(0)
    expect(await serverItems<Task>(pg.api, 'tasks', { title: first })).toHaveLength(1)
    // The other one goes away on its own, and its task stays deleted.
    await notice(second).waitFor({ state: 'detached', timeout: 15_000 })
    expect(await serverItems<Task>(pg.api, 'tasks', { title: second })).toEqual([])
  })

  it('auto-saves the editor’s draft as typing pauses, shows the assignee’s profile and each project’s progress', async () => {
    // The project list's done/total (a computed trait), as the database counts it.
    const [relaunch] = await serverItems<Project>(pg.api, 'projects', { name: 'Website relaunch' })
    const ofRelaunch = (await databaseRows<Task>(pg.api, 'tasks')).filter((t) => t.projectId === relaunch?.id)
    const done = ofRelaunch.filter((t) => t.status === 'done').length
    const shown = page.locator('.project', { hasText: 'Website relaunch' }).locator('.progress')
    await expect.poll(() => shown.textContent()).toBe(`${done}/${ofRelaunch.length}`)

    const titles: string[] = []
    page.on('request', (request) => {
      const body = request.postData() ?? ''
      for (const [, title] of body.matchAll(/"path":\["title"\],"value":"([^"]*)"/g)) titles.push(title ?? '')
    })
    await card(page, 'Pick a color palette').locator('.card-title').click()
    const editor = page.locator('form.editor')
    // The source trait: the assignee's profile, fetched when the assignee changes.
    await editor.getByLabel('Assignee').selectOption('Grace')
    await editor.locator('.editor-profile', { hasText: 'Grace Hopper · Compiler engineer' }).waitFor()
    const typed = 'Pick a warm palette'
    await editor.getByLabel('Title').fill('')
    await editor.getByLabel('Title').pressSequentially(typed)
    // The watcher (mode latest) saves once typing pauses; the editor stays open.
    await editor.locator('[data-autosave="saved"]').waitFor()
    await expect
      .poll(async () => (await serverItems<Task>(pg.api, 'tasks', { title: typed }))[0]?.assignee)
      .toBe('Grace')
    expect(titles.at(-1)).toBe(typed)
    // Each keystroke aborted the save still waiting: far fewer saves than keystrokes.
    expect(titles.length).toBeLessThan(typed.length / 2)
    await screenshot(page, 'editor-autosaved')

    // Cancel puts the task back as it was when the editor opened, on the server too.
    await editor.getByRole('button', { name: 'Cancel' }).click()
    await expectConfirmed(page, 'Pick a color palette')
    await expect
      .poll(
        async () =>
          (await serverItems<Task>(pg.api, 'tasks', { title: 'Pick a color palette' }))[0]?.assignee,
      )
      .toBe('')
    expect(await serverItems<Task>(pg.api, 'tasks', { title: typed })).toEqual([])
  })

  it('works at 390 px wide: one column, long titles wrap, the editor and the network control fit', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    const long =
      'Ask the printer whether the brochure can be printed on recycled paper by Friday: https://example.com/a-very-long-link-without-spaces'
    await page.getByLabel('New task title').fill(long)
    await page.getByRole('button', { name: 'Add task' }).click()
    await expectConfirmed(page, long)
    await screenshot(page, 'mobile-board')
    expect(await overflowing(page)).toEqual([])

    // Editing: the editor replaces the card's row, and Save stays beside Cancel.
    await card(page, long).locator('.card-title').click()
    const editor = page.locator('form.editor')
    const [cancel, save] = await Promise.all(
      ['Cancel', 'Save'].map((name) => editor.getByRole('button', { name }).boundingBox()),
    )
    expect(save?.y).toBe(cancel?.y)
    expect(await page.locator('li.card[data-editing="true"] .card-meta').count()).toBe(0)
    await screenshot(page, 'mobile-editor')
    expect(await overflowing(page)).toEqual([])
    await editor.getByRole('button', { name: 'Cancel' }).click()

    await page.getByText('Network:').click()
    const panel = page.locator('.network-panel')
    await panel.waitFor()
    await screenshot(page, 'mobile-network')
    expect(await outsideOf(panel)).toEqual([])
  })
})

async function upsertProject(api: Api, user: string, project: Project): Promise<void> {
  const [result] = await sendOps(api, user, [
    {
      opId: 'upsert',
      kind: 'write',
      store: 'projects',
      entries: [
        {
          entryId: crypto.randomUUID(),
          op: 'upsert',
          id: project.id,
          value: project,
          idempotencyKey: crypto.randomUUID(),
          clientTimeMs: Date.now(),
        },
      ],
    },
  ])
  if (!result?.ok || result.kind !== 'write' || result.status !== 'confirmed')
    throw new Error(`upsert failed: ${JSON.stringify(result)}`)
}

/** Controls (buttons, fields, links) that a notice covers, as `control ∩ notice` descriptions. */
function coveredControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const notices = [...document.querySelectorAll('.notice')].map((n) => n.getBoundingClientRect())
    const controls = [...document.querySelectorAll('button, input, select, a, summary')].filter(
      (c) => !c.closest('.notices') && c.checkVisibility(),
    )
    return controls.flatMap((control) => {
      const c = control.getBoundingClientRect()
      return notices
        .filter((n) => c.left < n.right && n.left < c.right && c.top < n.bottom && n.top < c.bottom)
        .map(() => control.outerHTML.slice(0, 80))
    })
  })
}

/** Elements wider than the window, or whose content is wider than they are (text that does not wrap). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.checkVisibility())
      .filter((el) => {
        const box = el.getBoundingClientRect()
        return (
          box.right > width + 0.5 ||
          (el.matches('.card, .card-title, .editor') && el.scrollWidth > el.clientWidth)
        )
      })
      .map((el) => el.outerHTML.slice(0, 80))
  })
}

/** Descendants of `container` that reach outside its border box, or outside the window. */
function outsideOf(container: ReturnType<Page['locator']>): Promise<string[]> {
  return container.evaluate((root) => {
    const outer = root.getBoundingClientRect()
    const inside = (box: DOMRect) =>
      box.left >= outer.left - 0.5 &&
      box.right <= outer.right + 0.5 &&
      box.top >= outer.top - 0.5 &&
      box.bottom <= outer.bottom + 0.5
    const offenders = [...root.querySelectorAll(':not(option)')].filter(
      (el) => !inside(el.getBoundingClientRect()),
    )
    if (outer.left < 0 || outer.right > document.documentElement.clientWidth) offenders.push(root)
    return offenders.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
  })
}
