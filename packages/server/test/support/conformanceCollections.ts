import type { CollectionConfig } from '../../src/collections.js'

/** The stores the shared backend conformance suite uses (see its doc comment). */
export const CONFORMANCE_COLLECTIONS: CollectionConfig[] = [
  { name: 'todos', key: 'id', fields: { title: 'text', done: 'boolean' } },
  { name: 'notes', key: 'id', fields: { title: 'text' } },
  { name: 'ids', key: 'id', fields: {} },
  {
    name: 'people',
    key: 'id',
    fields: { name: 'text', city: 'text', age: 'number', active: 'boolean', tags: 'array' },
  },
]
