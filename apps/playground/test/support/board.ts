import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { screenshotDir } from './browser.js'

/** The first project each user sees and a task of it: once it shows, the board has loaded. */
export const FIRST_TASK: Record<string, string> = {
  ada: 'Write the launch announcement',
  grace: 'Offline mode for the reader',
}
/** The project Ada and Grace share, and one of its tasks. */
export const SHARED = { project: 'Team offsite', task: 'Book the venue' }

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function card(page: Page, title: string): Locator {
  return page.locator('li.card', {
    has: page.locator('.card-title', { hasText: new RegExp(`^${literal(title)}$`) }),
  })
}

/** The header's line about saving and loading, by its state (`saved`, `saving`, `offline`…). */
export function statusLine(page: Page): Locator {
  return page.locator('header [role="status"]')
}

/** Waits until the header says everything is saved; a timeout says what it said instead. */
export async function waitSaved(page: Page): Promise<void> {
  try {
    await statusLine(page).and(page.locator('[data-state="saved"]')).waitFor({ timeout: 20_000 })
  } catch (error) {
    await page.screenshot({ path: `${screenshotDir}/not-saved.png` })
    throw new Error(
      `the header never said "saved": it says ${JSON.stringify(await statusLine(page).textContent())}, banners ${JSON.stringify(await page.locator('.load-failed').allTextContents())}`,
      { cause: error },
    )
  }
}

/** Signs in through the picker (on the sign-in page, or the dialog over the board). */
export async function signIn(page: Page, user: string, session = '1 hour'): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' })
  await form.locator(`label:has(input[name="user"][value="${user}"])`).click()
  await form.getByLabel('Session').selectOption({ label: session })
  await form.getByRole('button', { name: /^Sign in as/ }).click()
  await form.waitFor({ state: 'detached' })
}

/**
 * Opens the board at `url` as `user` (signing in when the page asks) and waits until it has
 * loaded and nothing is pending. The offline board (`#/offline`) asks nobody to sign in.
 */
export async function openBoard(page: Page, url: string, user = 'ada'): Promise<void> {
  await page.goto(url)
  const offline = url.endsWith('#/offline')
  const signInForm = page.getByRole('form', { name: 'Sign in' })
  const first = card(page, offline ? 'Write the launch announcement' : (FIRST_TASK[user] ?? ''))
  await first.or(signInForm).first().waitFor()
  if (await signInForm.isVisible()) await signIn(page, user)
  await first.waitFor()
  await page.locator('li.card[data-pending="true"]').first().waitFor({ state: 'detached' })
}

/** Fills the new-task form, then clicks “Add task” in the page and measures until the card is in the DOM. */
export async function addTaskTimed(page: Page, title: string): Promise<number> {
  await page.getByLabel('New task title').fill(title)
  return page.evaluate((wanted) => {
    const shown = () => [...document.querySelectorAll('.card-title')].some((el) => el.textContent === wanted)
    const button = document.querySelector<HTMLButtonElement>('.new-task button[type="submit"]')
    if (!button) throw new Error('no “Add task” button')
    return new Promise<number>((resolve) => {
      const start = performance.now()
      const observer = new MutationObserver(() => {
        if (!shown()) return
        observer.disconnect()
        resolve(performance.now() - start)
      })
      observer.observe(document.body, { childList: true, subtree: true, characterData: true })
      button.click()
    })
  }, title)
}

export async function editTitle(page: Page, from: string, to: string): Promise<void> {
  await card(page, from).locator('.card-title').click()
  await page.getByLabel('Title', { exact: true }).fill(to)
  await page.getByLabel('Title', { exact: true }).press('Enter')
}

export async function expectConfirmed(page: Page, title: string): Promise<void> {
  await card(page, title).and(page.locator('[data-pending="false"]')).waitFor()
  expect(await card(page, title).count()).toBe(1)
}

export async function addTask(page: Page, title: string): Promise<void> {
  await page.getByLabel('New task title').fill(title)
  await page.getByRole('button', { name: 'Add task' }).click()
  await card(page, title).waitFor()
}

/** Flips the network control's offline switch (the board's requests fail while it is on). */
export async function setOffline(page: Page, offline: boolean): Promise<void> {
  await page.getByText('Network:').click()
  await page
    .locator('.network-panel')
    .getByRole('checkbox', { name: /^Offline/ })
    .setChecked(offline)
  await page.getByText('Network:').click()
}

export async function openProject(page: Page, name: string, task: string): Promise<void> {
  await page.locator('.project', { hasText: name }).click()
  await card(page, task).waitFor()
}

/** Counts the write requests (pushes) a page sends to the ops endpoint. */
export function countPushes(page: Page): { readonly count: number } {
  const counter = { count: 0 }
  page.on('request', (request) => {
    if (
      new URL(request.url()).pathname === '/api/ops' &&
      (request.postData() ?? '').includes('"kind":"write"')
    )
      counter.count++
  })
  return counter
}
