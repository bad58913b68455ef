import { RuntimeProvider, useEntity, useMutation } from '@atoma/react'
import { createRuntime, defineCollection, memoryBackend } from '@atoma/runtime'
import type { ReactNode } from 'react'
import type { Entity } from '../../data.js'
import { ItemView, initialItems, mount, shownIds } from './view.js'

// Atoma's README and docs/architecture.md §4/§9: the collection is read from its backend (`query`, landing in
// the store), each item renders through `useEntity`, and `useMutation` writes optimistically —
// the change is committed before `mutate` returns, the backend confirms afterwards.
const items = defineCollection<Entity>('items', { key: 'id' })
const runtime = createRuntime({
  stores: [items],
  plugins: [memoryBackend({ seed: { items: initialItems } })],
})
await runtime.store(items).query({})

function Item({ id }: { id: string }): ReactNode {
  const item = useEntity(items, id)
  const { mutate } = useMutation(items, (write, target: string) =>
    write.update(target, (draft) => {
      draft.count++
    }),
  )
  return item ? <ItemView item={item} onBump={() => mutate(id)} /> : null
}

mount(
  <RuntimeProvider runtime={runtime}>
    {shownIds.map((id) => (
      <Item key={id} id={id} />
    ))}
  </RuntimeProvider>,
)
