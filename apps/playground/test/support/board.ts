import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

/** A seeded task: once it shows, the board has loaded. */
export const SEEDED_TASK = 'Write the launch announcement'

export function card(page: Page, title: string): Locator {
  return page.locator('li.card', { has: page.locator('.card-title', { hasText: new RegExp(`^${title}$`) }) })
}

export async function openBoard(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await card(page, SEEDED_TASK).waitFor()
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

export async function setChaos(apiUrl: string, chaos: object): Promise<void> {
  const response = await fetch(`${apiUrl}/chaos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(chaos),
  })
  if (!response.ok) throw new Error(`POST /chaos answered ${response.status}: ${await response.text()}`)
}
