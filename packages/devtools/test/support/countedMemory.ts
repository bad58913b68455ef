import { type AtomaPlugin, type ExecutionNode, memoryBackend } from '@atoma/runtime'

/**
 * memoryBackend behind a wrapper that counts every request the runtime makes, can hold writes
 * until `release()` (a write stays pending as long as a test needs), and gives the memory node
 * itself, to read what the backend has without going through the runtime.
 */
export function countedMemory(seed: Record<string, object[]>) {
  const calls = { query: 0, write: 0 }
  let gate: Promise<void> = Promise.resolve()
  let open: () => void = () => {}
  let memory: ExecutionNode | undefined
  const plugin: AtomaPlugin = {
    name: 'counted-memory',
    setup(ctx) {
      memoryBackend({ seed }).setup({
        ...ctx,
        execution: {
          ...ctx.execution,
          registerNode: (node: ExecutionNode) => {
            memory = node
            const { query, write } = node
            ctx.execution.registerNode({
              ...node,
              ...(query && {
                query: (input) => {
                  calls.query++
                  return query(input)
                },
              }),
              ...(write && {
                write: async (input) => {
                  calls.write++
                  await gate
                  return write(input)
                },
              }),
            })
          },
        },
      })
    },
  }
  return {
    plugin,
    calls,
    /** The memory node, unwrapped. */
    node(): ExecutionNode {
      if (!memory) throw new Error('the memory node is not registered yet')
      return memory
    },
    hold() {
      gate = new Promise((done) => {
        open = done
      })
    },
    release: () => open(),
  }
}
