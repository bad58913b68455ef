import type { StorybookConfig } from '@storybook/react-vite'
import { defaultClientConditions, mergeConfig } from 'vite'

/** The part of Storybook's server channel used here (`storybook/internal/channels`' Channel). */
interface ServerChannel {
  on(event: string, listener: () => void): void
  emit(event: string, data: unknown): void
  removeAllListeners(event?: string): void
}

const config: StorybookConfig & {
  experimental_serverChannel?: (channel: ServerChannel) => Promise<ServerChannel>
} = {
  stories: ['../packages/devtools/stories/**/*.stories.tsx'],
  framework: { name: '@storybook/react-vite', options: {} },
  // The stories declare their controls; inferring them from the sources took most of the build.
  typescript: { reactDocgen: false },
  core: {
    // Storybook must never reach the network: no telemetry, no "what's new" notifications. The dev
    // server's version check is turned off by `--no-version-updates` in the `storybook` script.
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  // When the manager UI loads, the dev server fetches storybook.js.org/whats-new whatever
  // `disableWhatsNewNotifications` says; answer the manager's request here, with no request out.
  experimental_serverChannel: async (channel) => {
    channel.removeAllListeners('requestWhatsNewData')
    channel.on('requestWhatsNewData', () => channel.emit('resultWhatsNewData', { data: { status: 'ERROR' } }))
    return channel
  },
  viteFinal: (viteConfig) =>
    mergeConfig(viteConfig, {
      // Workspace packages export their TypeScript sources under `@atoma/source` (see vitest.shared.ts),
      // so Storybook runs from a clean clone without building them first.
      resolve: { conditions: ['@atoma/source', ...defaultClientConditions] },
      // One preview chunk holds the runtime, the panel and the recorded fixture; that is expected.
      build: { chunkSizeWarningLimit: 2_048 },
    }),
}

export default config
