import { fireEvent, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { exportRecording } from '../src/recording/exportRecording.js'
import { parseRecording } from '../src/recording/parseRecording.js'
import { RECORDING_FORMAT } from '../src/recording/types.js'
import {
  modeBadge,
  option,
  optionTexts,
  renderPanel,
  runScenario,
  SERVER_TODOS,
  testRuntime,
  ui,
} from './helpers.js'

type Panel = Awaited<ReturnType<typeof renderPanel>>['panel']

/** Picks a file in the Import input and waits until the panel has accepted or refused it. */
async function importFile(panel: Panel, text: string, name = 'recording.json') {
  const input = panel.getByLabelText('Import a recording') as HTMLInputElement
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/json' })] } })
  await waitFor(() =>
    expect(panel.queryByRole('alert') ?? panel.queryByText(/^Recording \(read-only\)/)).not.toBeNull(),
  )
}

const transactionRows = (panel: Panel) =>
  optionTexts(panel, 'Transactions').map((row) => row.replace(/[\d.]+ ms$/, ''))

afterEach(() => {
  vi.restoreAllMocks()
  Reflect.deleteProperty(URL, 'createObjectURL')
  Reflect.deleteProperty(URL, 'revokeObjectURL')
})

describe('recording export and import', () => {
  it('round-trips through JSON: what is exported is what is read back', async () => {
    const runtime = testRuntime({ serverSeed: SERVER_TODOS })
    await runScenario(runtime)
    const recording = exportRecording()
    expect(recording.format).toBe(RECORDING_FORMAT)
    expect(recording.instances.map((instance) => instance.stores)).toEqual([['todos', 'ui']])
    const parsed = parseRecording(JSON.stringify(recording))
    expect(parsed).toEqual({ ok: true, recording: JSON.parse(JSON.stringify(recording)) })
  })

  it('Export downloads the live hub as JSON', async () => {
    testRuntime().store(ui).actions.inc()
    // jsdom has no object URLs; the test stands in for them and keeps the Blob.
    const blobs: Blob[] = []
    const revoked: string[] = []
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        blobs.push(blob)
        return 'blob:recording'
      },
      revokeObjectURL: (url: string) => revoked.push(url),
    })
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const { panel } = await renderPanel({ initialOpen: true })
    fireEvent.click(panel.getByRole('button', { name: 'Export' }))
    expect(click).toHaveBeenCalledTimes(1)
    const link = click.mock.contexts[0] as HTMLAnchorElement
    expect(link.download).toMatch(/^atoma-recording-.*\.json$/)
    const parsed = parseRecording(await (blobs[0] as Blob).text())
    expect(parsed.ok && parsed.recording.events.map((event) => event.name)).toEqual([
      'inc',
      'ui/action:inc',
      'ui/inc',
    ])
    await waitFor(() => expect(revoked).toEqual(['blob:recording']))
  })

  it('imports a recording and shows it read-only, the same as it was live', async () => {
    const runtime = testRuntime({ serverSeed: SERVER_TODOS })
    const scenario = await runScenario(runtime)
    const text = JSON.stringify(exportRecording())
    const { panel, shadow } = await renderPanel({ initialOpen: true, initialTab: 'transactions' })
    const live = transactionRows(panel)
    fireEvent.click(option(panel, 'Transactions', `#${scenario.partial.rollback}rollback`))
    const liveChain = panel.getByRole('list', { name: 'Causal chain' }).textContent?.replace(/[\d.]+ ms/g, '')
    const liveDiff = panel.getByRole('region', { name: 'Changes (before → after)' }).textContent

    runtime.dispose()
    await importFile(panel, text, 'bug-123.json')
    expect(modeBadge(shadow)).toBe('Recording (read-only)')
    expect(panel.getByRole('status').textContent).toContain('Showing bug-123.json (read-only;')
    expect(transactionRows(panel)).toEqual(live)
    fireEvent.click(option(panel, 'Transactions', `#${scenario.partial.rollback}rollback`))
    expect(panel.getByRole('list', { name: 'Causal chain' }).textContent?.replace(/[\d.]+ ms/g, '')).toBe(
      liveChain,
    )
    expect(panel.getByRole('region', { name: 'Changes (before → after)' }).textContent).toBe(liveDiff)

    fireEvent.click(panel.getByRole('tab', { name: 'State' }))
    fireEvent.change(panel.getByRole('combobox', { name: 'Store' }), { target: { value: 'ui' } })
    const tree = within(panel.getByRole('tree', { name: 'State of ui' }))
    expect(tree.getAllByRole('treeitem').map((row) => row.textContent)).toContain(
      '▸seen:Map(1) {"first" => 2024-05-01T10:00:00.000Z}',
    )

    fireEvent.click(panel.getByRole('button', { name: 'Back to live' }))
    expect(modeBadge(shadow)).toBe('Live')
  })

  it.each([
    ['not JSON', '{"format":', /^bad\.json: The file is not valid JSON/],
    ['another format', '{"format":"redux","version":1}', /"format" must be "atoma-devtools-recording"/],
    ['a newer version', JSON.stringify({ format: RECORDING_FORMAT, version: 2 }), /"version" must be 1/],
    ['a wrong field type', 'events', /events\[0\]\.eventId must be a non-negative integer/],
    ['an unknown event kind', 'kind', /events\[0\]\.kind must be one of state:update, effectop/],
    ['a state update without its record', 'record', /events\[0\]\.data\.record must be an object/],
    ['JSON nested 100 levels deep', 'deep', /events\[0\]\.data is nested deeper than 64 levels/],
  ])('refuses %s with a message and keeps showing what it showed', async (_case, content, message) => {
    testRuntime().store(ui).actions.inc()
    const valid = exportRecording()
    const base = { ...valid, events: [{ eventId: 1, timestamp: 1, runtimeLabel: 'a', kind: 'lifecycle' }] }
    const text =
      content === 'events'
        ? JSON.stringify({ ...base, events: [{ ...base.events[0], eventId: '1' }] })
        : content === 'kind'
          ? JSON.stringify({ ...base, events: [{ ...base.events[0], kind: 'script' }] })
          : content === 'record'
            ? JSON.stringify({ ...base, events: [{ ...base.events[0], kind: 'state:update', data: {} }] })
            : content === 'deep'
              ? JSON.stringify({
                  ...base,
                  events: [{ ...base.events[0], data: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) }],
                })
              : content
    const { panel, shadow } = await renderPanel({ initialOpen: true })
    await importFile(panel, text, 'bad.json')
    expect(panel.getByRole('alert').textContent).toMatch(message)
    expect(modeBadge(shadow)).toBe('Live')
  })

  it('shows hostile strings as text and keeps __proto__ keys as plain keys', async () => {
    testRuntime().store(ui).actions.inc()
    const recording = exportRecording()
    const label = recording.instances[0]?.label as string
    const hostile = JSON.parse(
      JSON.stringify({
        ...recording,
        events: [
          {
            eventId: 1,
            timestamp: 0,
            runtimeLabel: label,
            kind: 'diagnostic',
            name: '<img src=x onerror="window.__pwned=1">',
            data: { $__proto__: { polluted: true }, html: '<script>window.__pwned=1</script>' },
          },
        ],
      }).replace('"states":{', '"states":{"__proto__":{"x":1},'),
    )
    const { panel, shadow } = await renderPanel({ initialOpen: true })
    await importFile(panel, JSON.stringify(hostile))
    expect(panel.queryByRole('alert')).toBeNull()
    const row = option(panel, 'Events', '<img src=x')
    fireEvent.click(row)
    expect(shadow.querySelector('img, script')).toBeNull()
    expect(panel.getByRole('tree', { name: 'Event data' }).textContent).toContain(
      '__proto__:{polluted: true}',
    )
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined()
  })
})
