/** Story play functions drive the panel inside its shadow root with plain DOM events. */

const TIMEOUT = 5_000

/** Resolves when `find` returns something (polled each frame), or fails after 5 s. */
export async function until<T>(what: string, find: () => T | null | undefined): Promise<T> {
  const started = performance.now()
  for (;;) {
    const found = find()
    if (found) return found
    if (performance.now() - started > TIMEOUT) throw new Error(`timed out waiting for ${what}`)
    await new Promise((done) => requestAnimationFrame(done))
  }
}

export function panelRoot(): Promise<ShadowRoot> {
  return until('the devtools panel', () => document.querySelector('[data-atoma-devtools]')?.shadowRoot)
}

function byText<E extends Element>(root: ParentNode, selector: string, text: string): E | undefined {
  return [...root.querySelectorAll<E>(selector)].find((element) => element.textContent?.includes(text))
}

/** Clicks the first element matching `selector` whose text contains `text`. */
export async function clickText(root: ShadowRoot, selector: string, text: string): Promise<void> {
  const element = await until(`${selector} "${text}"`, () => byText<HTMLElement>(root, selector, text))
  element.click()
  await new Promise((done) => requestAnimationFrame(done))
}

/** Picks `value` in the select labelled `label`. */
export async function choose(root: ShadowRoot, label: string, value: string): Promise<void> {
  const select = await until(`select ${label}`, () =>
    root.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`),
  )
  select.value = value
  select.dispatchEvent(new Event('change', { bubbles: true }))
  await new Promise((done) => requestAnimationFrame(done))
}

/** Types into the input labelled `label` the way React sees typing. */
export async function type(root: ShadowRoot, label: string, text: string): Promise<void> {
  const input = await until(`input ${label}`, () =>
    root.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`),
  )
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, text)
  input.dispatchEvent(new Event('input', { bubbles: true }))
  await new Promise((done) => requestAnimationFrame(done))
}

/** Puts a file in the panel's Import input, as picking it in the file dialog would. */
export async function importFile(root: ShadowRoot, name: string, text: string): Promise<void> {
  const input = await until('the import input', () =>
    root.querySelector<HTMLInputElement>('input[type="file"]'),
  )
  const transfer = new DataTransfer()
  transfer.items.add(new File([text], name, { type: 'application/json' }))
  input.files = transfer.files
  input.dispatchEvent(new Event('change', { bubbles: true }))
}

/** Types into the textarea labelled `label` the way React sees typing. */
export async function typeArea(root: ShadowRoot, label: string, text: string): Promise<void> {
  const area = await until(`textarea ${label}`, () =>
    [...root.querySelectorAll<HTMLTextAreaElement>('textarea')].find(
      (element) => element.labels?.[0]?.textContent?.includes(label) ?? false,
    ),
  )
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(area, text)
  area.dispatchEvent(new Event('input', { bubbles: true }))
  await new Promise((done) => requestAnimationFrame(done))
}

/** Moves the range input labelled `label` to `value`, as dragging it would. */
export async function slide(root: ShadowRoot, label: string, value: number): Promise<void> {
  const input = await until(`slider ${label}`, () =>
    root.querySelector<HTMLInputElement>(`input[type="range"][aria-label="${label}"]`),
  )
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, String(value))
  input.dispatchEvent(new Event('input', { bubbles: true }))
  await new Promise((done) => requestAnimationFrame(done))
}
