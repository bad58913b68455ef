import type { Meta, StoryObj } from '@storybook/react-vite'
import { DevtoolsPanel } from '../src/DevtoolsPanel.js'
import { brokenSessionText, session, sessionWithRoute } from './fixtures.js'
import { HostPage } from './HostPage.js'
import { LiveDemo } from './LiveDemo.js'
import { LogicDemo } from './LogicDemo.js'
import { choose, clickText, importFile, panelRoot, slide, type, typeArea, until } from './playHelpers.js'
import { SyncDemo } from './SyncDemo.js'

// Every view, fed by a session recorded from a real runtime (fixtures.ts), or by a real runtime
// running in the story (LiveDemo) where the view needs one (time travel).
const meta = {
  title: 'Devtools/Panel',
  component: DevtoolsPanel,
  decorators: [
    (Story) => (
      <HostPage>
        <Story />
      </HostPage>
    ),
  ],
  parameters: { layout: 'fullscreen' },
  argTypes: {
    position: { control: 'inline-radio', options: ['bottom', 'right', 'left'] },
    initialTab: {
      control: 'select',
      options: [
        'timeline',
        'transactions',
        'state',
        'travel',
        'queries',
        'mutations',
        'ops',
        'sync',
        'logic',
      ],
    },
    recording: { control: false },
    container: { control: false },
  },
  // Stories start from their args: settings a story leaves in localStorage must not leak into the next.
  args: {
    initialOpen: true,
    position: 'bottom',
    initialTab: 'timeline',
    recording: session,
    storageKey: null,
  },
} satisfies Meta<typeof DevtoolsPanel>

export default meta
type Story = StoryObj<typeof meta>

export const Closed: Story = {
  args: { initialOpen: false, recording: undefined },
  render: (args) => <LiveDemo {...args} />,
}

export const Timeline: Story = {
  play: async () => {
    const root = await panelRoot()
    // The list follows the newest event; the last action is on screen.
    await clickText(root, '[role="option"]', 'ui/setFilter')
  },
}

export const TimelineFiltered: Story = {
  play: async () => {
    const root = await panelRoot()
    await type(root, 'Search events', 'todos rollback')
    await clickText(root, 'button[aria-pressed]', 'state:update')
    await clickText(root, '[role="option"]', 'rollback')
  },
}

export const Transactions: Story = {
  args: { initialTab: 'transactions' },
  play: async () => {
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'rollback:patches')
    await until('the causal chain', () => root.querySelector('[aria-label="Causal chain"]'))
  },
}

export const TransactionsConfirmedWrite: Story = {
  args: { initialTab: 'transactions' },
  play: async () => {
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'writeback:update')
  },
}

export const State: Story = {
  args: { initialTab: 'state' },
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'ui')
    await clickText(root, '[role="treeitem"]', 'lastSeen:')
    await clickText(root, '[role="treeitem"]', 'tree:')
    await clickText(root, '[role="treeitem"]', 'children:')
  },
}

export const StateLargeCollection: Story = {
  args: { initialTab: 'state' },
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'contacts')
    await clickText(root, '[role="treeitem"]', '"c1":')
  },
}

export const TimeTravel: Story = {
  args: { initialTab: 'travel', recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'ui')
    await clickText(root, 'button', 'Step back')
    await clickText(root, 'button', 'Step back')
    await until('the paused indicator', () =>
      root.querySelector('[role="status"]')?.textContent?.startsWith('Paused at txn') ? true : null,
    )
    await clickText(root, '[role="option"]', 'action:select')
  },
}

export const Ops: Story = {
  args: { initialTab: 'ops' },
  play: async () => {
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'todos/optimistic:update')
  },
}

export const DockedRight: Story = {
  args: { position: 'right', initialTab: 'transactions' },
  play: async () => {
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'optimistic:create')
  },
}

export const DockedLeft: Story = {
  args: { position: 'left', initialTab: 'state' },
}

export const ImportRefused: Story = {
  args: { recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await importFile(root, 'hand-edited.json', brokenSessionText)
    await until('the refusal', () => root.querySelector('[role="alert"]'))
  },
}

export const TimeTravelSlider: Story = {
  args: { initialTab: 'travel', recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'ui')
    await slide(root, 'History position', 1)
    await until('the paused indicator', () =>
      root.querySelector('[role="status"]')?.textContent?.startsWith('Paused at txn') ? true : null,
    )
    await until('the state at this point', () => root.querySelector('[aria-label="Diff against live"]'))
  },
}

export const TimeTravelSkip: Story = {
  args: { initialTab: 'travel', recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'ui')
    await clickText(root, '[role="option"]', 'expand(')
    await clickText(root, 'button', 'Skip #')
    await until('the skip', () =>
      root.querySelector('[role="status"]')?.textContent?.startsWith('Skipping') ? true : null,
    )
  },
}

export const TimeTravelRecording: Story = {
  args: { initialTab: 'travel' },
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'todos')
    await clickText(root, '[role="option"]', 'optimistic:create')
    await clickText(root, 'button', 'Jump to before')
    await until('the paused recording', () =>
      root.querySelector('.atoma-header [data-mode]')?.textContent?.includes('Paused at txn') ? true : null,
    )
  },
}

export const StateSearch: Story = {
  args: { initialTab: 'state' },
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'contacts')
    await type(root, 'Search the state', 'contact12@')
    await until('the matches', () => root.querySelector('[aria-label="Matches"] [role="listitem"]'))
  },
}

export const Dispatch: Story = {
  args: { initialTab: 'state', recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'ui')
    await typeArea(root, 'Payload (JSON, empty for none)', '"done"')
    await clickText(root, 'button', 'Dispatch setFilter')
    await until('the dispatched transaction', () => root.querySelector('.atoma-outcome[data-kind="ok"]'))
  },
}

export const DispatchRefused: Story = {
  args: { initialTab: 'state', recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'ui')
    await typeArea(root, 'Payload (JSON, empty for none)', "{ filter: 'done' }")
    await clickText(root, 'button', 'Dispatch setFilter')
    await until('the refusal', () => root.querySelector('.atoma-outcome[data-kind="error"]'))
  },
}

export const CompareTransactions: Story = {
  args: { initialTab: 'transactions' },
  play: async () => {
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'optimistic:create')
    await clickText(root, 'button', 'Compare with…')
    const select = await until('the compare picker', () =>
      root.querySelector<HTMLSelectElement>('select[aria-label="Compare with"]'),
    )
    await choose(root, 'Compare with', select.options[1]?.value ?? '')
  },
}

export const OpsRoute: Story = {
  args: { initialTab: 'ops', recording: sessionWithRoute },
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Status', 'error')
    await clickText(root, '[role="option"]', 'todos/write')
    await until('the route', () => root.querySelector('[aria-label="Route"]'))
  },
}

export const DockedRightTimeTravel: Story = {
  args: { position: 'right', initialTab: 'travel', recording: undefined },
  render: (args) => <LiveDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await choose(root, 'Store', 'todos')
  },
}

export const Sync: Story = {
  args: { initialTab: 'sync', recording: undefined },
  render: (args) => <SyncDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    await until('the outbox', () => root.querySelector('[aria-label="Outbox of sync demo"] tbody tr'))
  },
}

export const Logic: Story = {
  args: { initialTab: 'logic', recording: undefined },
  render: (args) => <LogicDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    const toggle = await until('the failed count', () =>
      root.querySelector<HTMLButtonElement>('[aria-label="Watchers of printer"] button[aria-expanded]'),
    )
    toggle.click()
    await until('the errors', () => root.querySelector('[aria-label="Errors of onAction board/print"]'))
  },
}

export const LogicChain: Story = {
  args: { initialTab: 'logic', recording: undefined },
  render: (args) => <LogicDemo {...args} />,
  play: async () => {
    const root = await panelRoot()
    const row = await until('a finished autosave run', () =>
      [...root.querySelectorAll('[aria-label="Runs of logic demo"] tbody tr')].find(
        (tr) => tr.textContent?.includes('save draft') && tr.textContent.includes('finished'),
      ),
    )
    row.querySelector<HTMLButtonElement>('button')?.click()
    await until('the logic chain', () => root.querySelector('[aria-label="Logic runs it triggered"]'))
  },
}
