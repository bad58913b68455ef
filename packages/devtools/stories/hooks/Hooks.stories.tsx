import type { Meta, StoryObj } from '@storybook/react-vite'
import { DevtoolsPanel } from '../../src/DevtoolsPanel.js'
import { HostPage } from '../HostPage.js'
import { clickText, panelRoot, until } from '../playHelpers.js'
import { TodoApp } from './TodoApp.js'

// @atoma/react's RuntimeProvider, useQuery, useMutation, useEntity, useStore and useActions in a
// real app, with the panel showing what they do: optimistic writes, writebacks, and the renders
// each commit caused (the hooks' own render tracing).
const meta = {
  title: 'Hooks/Todo app',
  component: DevtoolsPanel,
  decorators: [
    (Story) => (
      <HostPage>
        <TodoApp />
        <Story />
      </HostPage>
    ),
  ],
  parameters: { layout: 'fullscreen' },
  argTypes: { recording: { control: false }, container: { control: false } },
  args: { initialOpen: true, position: 'bottom', initialTab: 'transactions', storageKey: null },
} satisfies Meta<typeof DevtoolsPanel>

export default meta
type Story = StoryObj<typeof meta>

/** Waits until the app has loaded its todos, then clicks an element of the app (light DOM). */
async function appClick(selector: string): Promise<void> {
  const element = await until(selector, () => document.querySelector<HTMLElement>(selector))
  element.click()
}

export const WritesAndRenders: Story = {
  play: async () => {
    await appClick('[data-todo="2"] input[type="checkbox"]')
    await appClick('[data-todo="4"] button')
    const root = await panelRoot()
    await until('the writeback', () =>
      [...root.querySelectorAll('[role="option"]')].find((row) =>
        row.textContent?.includes('writeback:delete'),
      ),
    )
    await clickText(root, '[role="option"]', 'optimistic:patch')
    await until('the causal chain', () => root.querySelector('[aria-label="Causal chain"]'))
  },
}

export const ActionsAndSelectors: Story = {
  args: { initialTab: 'ops' },
  play: async () => {
    await appClick('[data-todo="1"]')
    const done = await until('the filter', () =>
      [...document.querySelectorAll<HTMLButtonElement>('button[aria-pressed]')].find(
        (b) => b.textContent === 'done',
      ),
    )
    done.click()
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'ui/setFilter')
  },
}

export const Queries: Story = {
  args: { initialTab: 'queries' },
  play: async () => {
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'todos ·')
    await clickText(root, 'button', 'Refetch')
    await until('the query data', () => root.querySelector('[aria-label="Query data"]'))
  },
}

export const Mutations: Story = {
  args: { initialTab: 'mutations' },
  play: async () => {
    await appClick('[data-todo="3"] input[type="checkbox"]')
    const root = await panelRoot()
    await clickText(root, '[role="option"]', 'success')
    await until('the causal chain', () => root.querySelector('[aria-label="Causal chain"]'))
  },
}
