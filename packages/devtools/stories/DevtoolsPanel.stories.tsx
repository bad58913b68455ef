import type { Meta, StoryObj } from '@storybook/react-vite'
import { DevtoolsPanel } from '../src/DevtoolsPanel.js'
import { brokenSessionText, session } from './fixtures.js'
import { HostPage } from './HostPage.js'
import { LiveDemo } from './LiveDemo.js'
import { choose, clickText, importFile, panelRoot, type, until } from './playHelpers.js'

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
    initialTab: { control: 'select', options: ['timeline', 'transactions', 'state', 'travel', 'ops'] },
    recording: { control: false },
    container: { control: false },
  },
  args: { initialOpen: true, position: 'bottom', initialTab: 'timeline', recording: session },
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
    await clickText(root, '[role="option"]', 'optimistic · update')
  },
}

export const TimelineFiltered: Story = {
  play: async () => {
    const root = await panelRoot()
    await type(root, 'Search events', 'todos')
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
