// The js-framework-benchmark data: rows of an id and a three-word label, from the same word
// lists, drawn from a seeded sequence so every library's app shows exactly the same rows.
export interface RowData {
  id: number
  label: string
}

const adjectives = [
  'pretty',
  'large',
  'big',
  'small',
  'tall',
  'short',
  'long',
  'handsome',
  'plain',
  'quaint',
  'clean',
  'elegant',
  'easy',
  'angry',
  'crazy',
  'helpful',
  'mushy',
  'odd',
  'unsightly',
  'adorable',
  'important',
  'inexpensive',
  'cheap',
  'expensive',
  'fancy',
]
const colours = [
  'red',
  'yellow',
  'blue',
  'green',
  'pink',
  'brown',
  'purple',
  'brown',
  'white',
  'black',
  'orange',
]
const nouns = [
  'table',
  'chair',
  'house',
  'bbq',
  'desk',
  'car',
  'pony',
  'cookie',
  'sandwich',
  'burger',
  'pizza',
  'mouse',
  'keyboard',
]

let nextId = 1
let seed = 1
const pick = <T>(list: readonly T[]): T => {
  seed = (seed * 16807) % 2147483647
  return list[seed % list.length]!
}

export function buildData(count: number): RowData[] {
  return Array.from({ length: count }, () => ({
    id: nextId++,
    label: `${pick(adjectives)} ${pick(colours)} ${pick(nouns)}`,
  }))
}

/** jfb's "swap rows": the second and the second-to-last of a table of at least 999 rows. */
export function swapIndices(length: number): [number, number] | undefined {
  return length > 998 ? [1, 998] : undefined
}
