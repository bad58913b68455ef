import { getDevtoolsInstance } from '@atoma/runtime'

/**
 * What the given runtimes (by label) exposed under `name` with `RuntimeDebug.expose` (`sync`,
 * `logic`...), where it passes `guard`: a plugin of any version may have exposed anything.
 */
export function exposedSources<T>(
  labels: readonly string[],
  name: string,
  guard: (value: unknown) => value is T,
): Array<{ label: string; source: T }> {
  const found: Array<{ label: string; source: T }> = []
  for (const label of labels) {
    const source = getDevtoolsInstance(label)?.exposed?.().get(name)
    if (guard(source)) found.push({ label, source })
  }
  return found
}
