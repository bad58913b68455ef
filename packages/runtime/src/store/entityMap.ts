import type { Id } from '../query/types.js'

/**
 * The state of a collection: an immutable, insertion-ordered map from id to entity.
 *
 * Every committed version stays alive in the history and is handed to React as a snapshot, so a
 * write must yield a new value and leave the old one intact — and copying a `Map` per write costs
 * O(n). Two persistent trees share one set of entry objects, and a write copies one root-to-leaf
 * path in each, sharing everything else with the previous version:
 *
 * - lookup by id: a hash array mapped trie (Bagwell's HAMT, as in Clojure and Immutable.js),
 *   32-way nodes that hold only their occupied slots, named by a 32-bit bitmap, indexed by five
 *   bits of a 30-bit hash per level. A path has at most six nodes (typically four at 100,000
 *   entries); ids whose whole hashes are equal share a collision node.
 * - insertion order, which lists are rendered in: a B+-tree over the entries keyed by an insertion
 *   sequence number that only grows, so appending goes down the right edge and an updated entry
 *   keeps its number (its place). Leaves hold up to 32 entries, branches up to 32 children; after
 *   a removal, neighbouring nodes that fit in one are merged, so any two neighbours hold more than
 *   32 between them, nodes are half full on average and the height stays about log16(n) (four
 *   levels at 100,000 in the usual append-only case). Iteration walks the leaves left to right:
 *   arrays in order, no lookups.
 *
 * A doubly linked list of ids threaded through the trie would copy one path less per write, but
 * its iteration costs a trie lookup per entry, each a chain of cache misses on large maps: three
 * to six times slower than this tree's when measured from 100 to 100,000 entries, and lists are
 * read far more often than entities are written.
 *
 * Batches (`withMutations`, `from`) use transients: each node and entry records the owner number of
 * the edit that created it, and an edit mutates in place whatever it owns, so N writes copy each
 * node at most once instead of N times. Owner numbers are never reused, so when an edit ends its
 * nodes are immutable for good; a single `set`/`delete` is a one-write edit.
 *
 * Memory, measured at 100,000 entries on 64-bit V8 without pointer compression: about 117 bytes
 * per entry besides the id and value (a native `Map`: 37) — the entry object 64, trie nodes 41
 * (most bottom-level nodes hold two or three entries), the order tree 11. Versions in the history
 * share all of it but the paths their writes copied.
 */

/** Five bits of hash per level: 32-way nodes. */
const BITS = 5
const MASK = (1 << BITS) - 1
/** Hashes keep 30 bits: six whole levels, and a value V8 stores unboxed. */
const HASH_MASK = 0x3fffffff

type Hasher = (id: Id) => number

/** One id and its value; the trie and the order tree hold the same entry object. */
class Entry<T> {
  readonly owner: number
  readonly key: Id
  readonly hash: number
  value: T
  /** Insertion sequence number: the entry's place in the order. */
  readonly seq: number

  constructor(owner: number, key: Id, hash: number, value: T, seq: number) {
    this.owner = owner
    this.key = key
    this.hash = hash
    this.value = value
    this.seq = seq
  }
}

class BitmapNode<T> {
  readonly owner: number
  bitmap: number
  /** The occupied slots in bit order: slot i is the i-th set bit of `bitmap`. */
  slots: Slot<T>[]

  constructor(owner: number, bitmap: number, slots: Slot<T>[]) {
    this.owner = owner
    this.bitmap = bitmap
    this.slots = slots
  }
}

/** Two or more entries whose whole hashes are equal. */
class CollisionNode<T> {
  readonly owner: number
  readonly hash: number
  entries: Entry<T>[]

  constructor(owner: number, hash: number, entries: Entry<T>[]) {
    this.owner = owner
    this.hash = hash
    this.entries = entries
  }
}

type Slot<T> = Entry<T> | BitmapNode<T> | CollisionNode<T>

// ---------------------------------------------------------------------------------------------
// Hashing

const scratch = new DataView(new ArrayBuffer(8))

function fmix32(h: number): number {
  let x = h ^ (h >>> 16)
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  return x ^ (x >>> 16)
}

/** Numbers mix their bits (murmur3's finalizer); strings hash with FNV-1a, then the same mix. */
function hashId(id: Id): number {
  if (typeof id === 'number') {
    // `-0 | 0` is 0, so -0 and 0 hash alike, as SameValueZero (the key equality) wants.
    if ((id | 0) === id) return fmix32(id) & HASH_MASK
    if (Number.isNaN(id)) return 0
    scratch.setFloat64(0, id)
    return fmix32(scratch.getInt32(0) ^ Math.imul(scratch.getInt32(4), 0x9e3779b1)) & HASH_MASK
  }
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return fmix32(h) & HASH_MASK
}

/** SameValueZero, like `Map`: `1` and `'1'` differ, NaN equals NaN. */
function sameKey(a: Id, b: Id): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b))
}

function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555)
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  n = (n + (n >>> 4)) & 0x0f0f0f0f
  return Math.imul(n, 0x01010101) >>> 24
}

// ---------------------------------------------------------------------------------------------
// Trie operations. Like the order tree's below, each takes the owner of the current edit: nodes
// it owns are changed in place, any other node is copied (and the copy owned). Every owned node
// hangs below owned ancestors, because creating it replaced its slot in the parent, so in-place
// changes never reach a node an older version can see.
//
// Arrays only shrink or change in place; growing one makes an exact-size copy (`toSpliced`,
// `concat`), because V8 gives arrays grown by `push` or `splice` up to half again plus 16 spare
// slots — more than the data in a trie node of two or three.

function broken(what: string): Error {
  return new Error(`EntityMap: corrupted structure (${what})`)
}

function slotAt<T>(node: BitmapNode<T>, index: number): Slot<T> {
  const slot = node.slots[index]
  if (slot === undefined) throw broken('bitmap and slots disagree')
  return slot
}

function find<T>(root: BitmapNode<T> | undefined, hash: number, key: Id): Entry<T> | undefined {
  let node: Slot<T> | undefined = root
  let shift = 0
  while (node instanceof BitmapNode) {
    const bit = 1 << ((hash >>> shift) & MASK)
    if ((node.bitmap & bit) === 0) return undefined
    node = node.slots[popcount(node.bitmap & (bit - 1))]
    shift += BITS
  }
  if (node === undefined || node.hash !== hash) return undefined
  if (node instanceof Entry) return sameKey(node.key, key) ? node : undefined
  for (const entry of node.entries) if (sameKey(entry.key, key)) return entry
  return undefined
}

function withSlot<T>(owner: number, node: BitmapNode<T>, index: number, slot: Slot<T>): BitmapNode<T> {
  if (node.owner !== owner) return new BitmapNode(owner, node.bitmap, node.slots.with(index, slot))
  node.slots[index] = slot
  return node
}

/** Puts `entry` in the trie below `node`, replacing the entry of the same key if there is one. */
function put<T>(owner: number, node: BitmapNode<T>, shift: number, entry: Entry<T>): BitmapNode<T> {
  const bit = 1 << ((entry.hash >>> shift) & MASK)
  const index = popcount(node.bitmap & (bit - 1))
  if ((node.bitmap & bit) === 0) {
    const slots = node.slots.toSpliced(index, 0, entry)
    if (node.owner !== owner) return new BitmapNode(owner, node.bitmap | bit, slots)
    node.slots = slots
    node.bitmap |= bit
    return node
  }
  const slot = slotAt(node, index)
  let child: Slot<T>
  if (slot instanceof BitmapNode) child = put(owner, slot, shift + BITS, entry)
  else if (slot.hash !== entry.hash) child = branch(owner, shift + BITS, slot, entry)
  else if (slot instanceof CollisionNode) child = putInCollision(owner, slot, entry)
  else if (sameKey(slot.key, entry.key)) child = entry
  else child = new CollisionNode(owner, entry.hash, [slot, entry])
  return child === slot ? node : withSlot(owner, node, index, child)
}

/** A subtree for a leaf and a new entry with a different hash: nodes until their hashes diverge. */
function branch<T>(
  owner: number,
  shift: number,
  leaf: Entry<T> | CollisionNode<T>,
  entry: Entry<T>,
): BitmapNode<T> {
  const a = (leaf.hash >>> shift) & MASK
  const b = (entry.hash >>> shift) & MASK
  if (a === b) return new BitmapNode(owner, 1 << a, [branch(owner, shift + BITS, leaf, entry)])
  return new BitmapNode(owner, (1 << a) | (1 << b), a < b ? [leaf, entry] : [entry, leaf])
}

function indexOfKey<T>(entries: readonly Entry<T>[], key: Id): number {
  for (let i = 0; i < entries.length; i++) if (sameKey((entries[i] as Entry<T>).key, key)) return i
  return -1
}

function putInCollision<T>(owner: number, node: CollisionNode<T>, entry: Entry<T>): CollisionNode<T> {
  const index = indexOfKey(node.entries, entry.key)
  if (node.owner !== owner) {
    const entries = index === -1 ? node.entries.concat(entry) : node.entries.with(index, entry)
    return new CollisionNode(owner, node.hash, entries)
  }
  if (index === -1) node.entries = node.entries.concat(entry)
  else node.entries[index] = entry
  return node
}

/**
 * Removes `key` below `node`: the same node when the key is absent, `undefined` when nothing is
 * left. A subtree left with a single leaf (an entry or a collision node) is folded into its
 * parent's slot, so the trie for a set of keys has the same shape whatever the history.
 */
function remove<T>(
  owner: number,
  node: BitmapNode<T>,
  shift: number,
  hash: number,
  key: Id,
): BitmapNode<T> | undefined {
  const bit = 1 << ((hash >>> shift) & MASK)
  if ((node.bitmap & bit) === 0) return node
  const index = popcount(node.bitmap & (bit - 1))
  const slot = slotAt(node, index)
  let child: Slot<T> | undefined
  if (slot instanceof BitmapNode) {
    const sub = remove(owner, slot, shift + BITS, hash, key)
    const lone = sub?.slots.length === 1 ? sub.slots[0] : undefined
    child = lone !== undefined && !(lone instanceof BitmapNode) ? lone : sub
  } else if (slot instanceof CollisionNode) {
    child = removeFromCollision(owner, slot, hash, key)
  } else {
    child = slot.hash === hash && sameKey(slot.key, key) ? undefined : slot
  }
  if (child === slot) return node
  if (child !== undefined) return withSlot(owner, node, index, child)
  if (node.slots.length === 1) return undefined
  if (node.owner !== owner) return new BitmapNode(owner, node.bitmap ^ bit, node.slots.toSpliced(index, 1))
  node.slots.splice(index, 1)
  node.bitmap ^= bit
  return node
}

function removeFromCollision<T>(owner: number, node: CollisionNode<T>, hash: number, key: Id): Slot<T> {
  const index = node.hash === hash ? indexOfKey(node.entries, key) : -1
  if (index === -1) return node
  if (node.entries.length === 2) return node.entries[1 - index] as Entry<T>
  if (node.owner !== owner) return new CollisionNode(owner, hash, node.entries.toSpliced(index, 1))
  node.entries.splice(index, 1)
  return node
}

// ---------------------------------------------------------------------------------------------
// Order tree operations

/** Entries per leaf and children per branch, at most. */
const WIDTH = 32

class OrderLeaf<T> {
  readonly owner: number
  /** A lower bound of the sequence numbers below this node, fixed when the node first appears. */
  readonly low: number
  /** In sequence order. */
  entries: Entry<T>[]

  constructor(owner: number, low: number, entries: Entry<T>[]) {
    this.owner = owner
    this.low = low
    this.entries = entries
  }
}

/** Child i holds the sequence numbers from its `low` up to (not including) child i + 1's. */
class OrderBranch<T> {
  readonly owner: number
  readonly low: number
  children: OrderNode<T>[]

  constructor(owner: number, low: number, children: OrderNode<T>[]) {
    this.owner = owner
    this.low = low
    this.children = children
  }
}

type OrderNode<T> = OrderLeaf<T> | OrderBranch<T>

function childAt<T>(branch: OrderBranch<T>, index: number): OrderNode<T> {
  const child = branch.children[index]
  if (child === undefined) throw broken('order branch index out of range')
  return child
}

/**
 * The child whose range holds `seq`: the last child whose `low` is at most `seq`. A binary
 * search, since updates and removals land anywhere (appends take the right edge without it).
 */
function childIndex<T>(branch: OrderBranch<T>, seq: number): number {
  const { children } = branch
  let lo = 0
  let hi = children.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (childAt(branch, mid).low > seq) hi = mid - 1
    else lo = mid
  }
  return lo
}

function seqIndex<T>(leaf: OrderLeaf<T>, seq: number): number {
  const { entries } = leaf
  let lo = 0
  let hi = entries.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const at = (entries[mid] as Entry<T>).seq
    if (at === seq) return mid
    if (at < seq) lo = mid + 1
    else hi = mid - 1
  }
  throw broken(`sequence number ${seq} missing from the order`)
}

function withChild<T>(
  owner: number,
  branch: OrderBranch<T>,
  index: number,
  child: OrderNode<T>,
): OrderBranch<T> {
  if (branch.owner !== owner) return new OrderBranch(owner, branch.low, branch.children.with(index, child))
  branch.children[index] = child
  return branch
}

/**
 * Appends `entry`, whose sequence number is above all others, at the right edge. Returns the
 * updated node, and a new right sibling when the node was full.
 */
function append<T>(owner: number, node: OrderNode<T>, entry: Entry<T>): [OrderNode<T>, OrderNode<T>?] {
  if (node instanceof OrderLeaf) {
    if (node.entries.length === WIDTH) return [node, new OrderLeaf(owner, entry.seq, [entry])]
    const entries = node.entries.concat(entry)
    if (node.owner !== owner) return [new OrderLeaf(owner, node.low, entries)]
    node.entries = entries
    return [node]
  }
  const last = node.children.length - 1
  const child = childAt(node, last)
  const [updated, sibling] = append(owner, child, entry)
  const branch = updated === child ? node : withChild(owner, node, last, updated)
  if (sibling === undefined) return [branch]
  if (branch.children.length === WIDTH) return [branch, new OrderBranch(owner, sibling.low, [sibling])]
  const children = branch.children.concat(sibling)
  if (branch.owner !== owner) return [new OrderBranch(owner, branch.low, children)]
  branch.children = children
  return [branch]
}

/** Puts `entry` in the place of the entry with its sequence number. */
function replaceInOrder<T>(owner: number, node: OrderNode<T>, entry: Entry<T>): OrderNode<T> {
  if (node instanceof OrderLeaf) {
    const index = seqIndex(node, entry.seq)
    if (node.owner !== owner) return new OrderLeaf(owner, node.low, node.entries.with(index, entry))
    node.entries[index] = entry
    return node
  }
  const index = childIndex(node, entry.seq)
  const child = childAt(node, index)
  const updated = replaceInOrder(owner, child, entry)
  return updated === child ? node : withChild(owner, node, index, updated)
}

/** Removes the entry with sequence number `seq`; `undefined` when nothing is left. */
function removeFromOrder<T>(owner: number, node: OrderNode<T>, seq: number): OrderNode<T> | undefined {
  if (node instanceof OrderLeaf) {
    const index = seqIndex(node, seq)
    if (node.entries.length === 1) return undefined
    if (node.owner !== owner) return new OrderLeaf(owner, node.low, node.entries.toSpliced(index, 1))
    node.entries.splice(index, 1)
    return node
  }
  const index = childIndex(node, seq)
  const updated = removeFromOrder(owner, childAt(node, index), seq)
  if (updated !== undefined) return mergeAround(owner, withChild(owner, node, index, updated), index)
  if (node.children.length === 1) return undefined
  let branch = node
  if (node.owner !== owner) branch = new OrderBranch(owner, node.low, node.children.toSpliced(index, 1))
  else node.children.splice(index, 1)
  // Children index - 1 and index are neighbours now.
  return index > 0 ? mergeAround(owner, branch, index - 1) : branch
}

function sizeOf<T>(node: OrderNode<T>): number {
  return node instanceof OrderLeaf ? node.entries.length : node.children.length
}

/**
 * Restores "every two neighbouring children hold more than WIDTH" around child `index` of an
 * owned branch, once that child has shrunk: merging it with a neighbour only grows it, so the
 * pairs further out still hold.
 */
function mergeAround<T>(owner: number, branch: OrderBranch<T>, index: number): OrderBranch<T> {
  let i = index
  if (i > 0 && sizeOf(childAt(branch, i - 1)) + sizeOf(childAt(branch, i)) <= WIDTH) {
    mergeChildren(owner, branch, i - 1)
    i--
  }
  if (
    i + 1 < branch.children.length &&
    sizeOf(childAt(branch, i)) + sizeOf(childAt(branch, i + 1)) <= WIDTH
  ) {
    mergeChildren(owner, branch, i)
  }
  return branch
}

function mergeChildren<T>(owner: number, branch: OrderBranch<T>, index: number): void {
  const left = childAt(branch, index)
  const right = childAt(branch, index + 1)
  // All leaves are at the same depth, so neighbours are of the same kind.
  let merged: OrderNode<T>
  if (left instanceof OrderLeaf && right instanceof OrderLeaf) {
    merged = new OrderLeaf(owner, left.low, left.entries.concat(right.entries))
  } else if (left instanceof OrderBranch && right instanceof OrderBranch) {
    // Left's last child and right's first were never neighbours: they may fit in one. Merging them
    // leaves this node one smaller, which keeps its pairs above holding (they had one more to spare).
    merged = mergeAround(
      owner,
      new OrderBranch(owner, left.low, left.children.concat(right.children)),
      left.children.length - 1,
    )
  } else {
    throw broken('order tree leaves at different depths')
  }
  branch.children.splice(index, 2, merged)
}

function forEachEntry<T>(node: OrderNode<T> | undefined, visit: (entry: Entry<T>) => void): void {
  if (node instanceof OrderLeaf) for (const entry of node.entries) visit(entry)
  else if (node !== undefined) for (const child of node.children) forEachEntry(child, visit)
}

interface Frame<T> {
  readonly branch: OrderBranch<T>
  index: number
}

/**
 * Walks the order tree's leaves left to right. A class rather than a generator: generators cost
 * several times more per item, and iteration is what list rendering and queries run on.
 */
class OrderIterator<T, R> implements MapIterator<R> {
  readonly #project: (entry: Entry<T>) => R
  /** The branches above the current leaf, with the index of the child being walked in each. */
  readonly #stack: Frame<T>[] = []
  #leaf: readonly Entry<T>[] | undefined
  #index = 0

  constructor(root: OrderNode<T> | undefined, project: (entry: Entry<T>) => R) {
    this.#project = project
    this.#leaf = root === undefined ? undefined : this.#descend(root)
  }

  [Symbol.iterator](): this {
    return this
  }

  next(): IteratorResult<R, undefined> {
    for (;;) {
      const leaf = this.#leaf
      if (leaf === undefined) return { done: true, value: undefined }
      const entry = leaf[this.#index++]
      if (entry !== undefined) return { done: false, value: this.#project(entry) }
      this.#leaf = this.#nextLeaf()
      this.#index = 0
    }
  }

  #descend(from: OrderNode<T>): readonly Entry<T>[] {
    let node = from
    while (node instanceof OrderBranch) {
      this.#stack.push({ branch: node, index: 0 })
      node = childAt(node, 0)
    }
    return node.entries
  }

  #nextLeaf(): readonly Entry<T>[] | undefined {
    for (let frame = this.#stack.at(-1); frame !== undefined; frame = this.#stack.at(-1)) {
      const next = frame.branch.children[++frame.index]
      if (next !== undefined) return this.#descend(next)
      this.#stack.pop()
    }
    return undefined
  }
}

// Native iterators inherit from %IteratorPrototype%, which carries the iterator helpers (`map`,
// `filter`, `take`...) where the platform has them; so do these.
Object.setPrototypeOf(
  OrderIterator.prototype,
  Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
)

const projectKey = <T>(entry: Entry<T>): Id => entry.key
const projectValue = <T>(entry: Entry<T>): T => entry.value
const projectPair = <T>(entry: Entry<T>): [Id, T] => [entry.key, entry.value]

// ---------------------------------------------------------------------------------------------
// Edits

let lastOwner = 0

interface MapParts<T> {
  /** The hash trie. */
  root: BitmapNode<T> | undefined
  /** The order tree. */
  order: OrderNode<T> | undefined
  size: number
  /** The next insertion's sequence number. */
  seq: number
  hash: Hasher
}

/** Assigned by the class's static block: the only way to build an `EntityMap` from its parts. */
let createMap: <T>(parts: MapParts<T>) => EntityMap<T>

/** Assigned by the class's static block, for `entityMapInternals`. */
let partsOf: <T>(map: EntityMap<T>) => MapParts<T>

/** One edit of a version: transient trees, turned into a map at the end. */
class Editor<T> implements MapParts<T> {
  readonly owner = ++lastOwner
  root: BitmapNode<T> | undefined
  order: OrderNode<T> | undefined
  size: number
  seq: number
  readonly hash: Hasher
  changed = false

  constructor(parts: MapParts<T>) {
    this.root = parts.root
    this.order = parts.order
    this.size = parts.size
    this.seq = parts.seq
    this.hash = parts.hash
  }

  find(key: Id): Entry<T> | undefined {
    return find(this.root, this.hash(key), key)
  }

  set(id: Id, value: T): void {
    // Like `Map`, keep 0 for -0: they are the same key.
    const key = id === 0 ? 0 : id
    const hash = this.hash(key)
    const current = find(this.root, hash, key)
    if (current === undefined) {
      const entry = new Entry(this.owner, key, hash, value, this.seq++)
      this.put(entry)
      this.append(entry)
      this.size++
    } else if (Object.is(current.value, value)) {
      return
    } else if (current.owner === this.owner) {
      // Both trees hold this very object.
      current.value = value
    } else {
      const entry = new Entry(this.owner, current.key, hash, value, current.seq)
      this.put(entry)
      this.order = replaceInOrder(this.owner, this.orderRoot(), entry)
    }
    this.changed = true
  }

  delete(key: Id): void {
    const hash = this.hash(key)
    const entry = find(this.root, hash, key)
    if (this.root === undefined || entry === undefined) return
    this.root = remove(this.owner, this.root, 0, hash, key)
    let order = removeFromOrder(this.owner, this.orderRoot(), entry.seq)
    while (order instanceof OrderBranch && order.children.length === 1) order = order.children[0]
    this.order = order
    this.size--
    this.changed = true
  }

  toMap(): EntityMap<T> {
    return createMap<T>(this)
  }

  private put(entry: Entry<T>): void {
    this.root =
      this.root === undefined
        ? new BitmapNode(this.owner, 1 << (entry.hash & MASK), [entry])
        : put(this.owner, this.root, 0, entry)
  }

  private append(entry: Entry<T>): void {
    if (this.order === undefined) {
      this.order = new OrderLeaf(this.owner, entry.seq, [entry])
      return
    }
    const [node, sibling] = append(this.owner, this.order, entry)
    this.order = sibling === undefined ? node : new OrderBranch(this.owner, node.low, [node, sibling])
  }

  private orderRoot(): OrderNode<T> {
    if (this.order === undefined) throw broken('an entry missing from the order')
    return this.order
  }
}

/** What `withMutations` hands out; it refuses use once the batch is over. */
export interface EntityMapBuilder<T> {
  get(id: Id): T | undefined
  has(id: Id): boolean
  set(id: Id, value: T): void
  delete(id: Id): void
  readonly size: number
}

class Builder<T> implements EntityMapBuilder<T> {
  #editor: Editor<T> | undefined

  constructor(editor: Editor<T>) {
    this.#editor = editor
  }

  get size(): number {
    return this.#open().size
  }

  get(id: Id): T | undefined {
    return this.#open().find(id)?.value
  }

  has(id: Id): boolean {
    return this.#open().find(id) !== undefined
  }

  set(id: Id, value: T): void {
    this.#open().set(id, value)
  }

  delete(id: Id): void {
    this.#open().delete(id)
  }

  /** Ends the batch: its nodes must not change once they belong to a published version. */
  static close<T>(builder: Builder<T>): void {
    builder.#editor = undefined
  }

  #open(): Editor<T> {
    if (this.#editor === undefined) throw new TypeError('EntityMap builder used after withMutations returned')
    return this.#editor
  }
}

// ---------------------------------------------------------------------------------------------
// The map

/**
 * An immutable `ReadonlyMap<Id, T>` in insertion order (see the top of this module). `set` and
 * `delete` return a new map, or this one when nothing changes. It is deliberately not a `Map` and
 * has no `[immerable]`, so immer treats it as an opaque value rather than drafting into it.
 */
export class EntityMap<T> implements ReadonlyMap<Id, T> {
  readonly size: number
  readonly #root: BitmapNode<T> | undefined
  readonly #order: OrderNode<T> | undefined
  readonly #seq: number
  readonly #hash: Hasher

  static {
    createMap = (parts) => new EntityMap(parts)
    partsOf = (map) => ({
      root: map.#root,
      order: map.#order,
      size: map.size,
      seq: map.#seq,
      hash: map.#hash,
    })
  }

  static readonly #EMPTY = new EntityMap<never>({
    root: undefined,
    order: undefined,
    size: 0,
    seq: 0,
    hash: hashId,
  })

  private constructor(parts: MapParts<T>) {
    this.size = parts.size
    this.#root = parts.root
    this.#order = parts.order
    this.#seq = parts.seq
    this.#hash = parts.hash
  }

  /** The empty map (one shared instance). */
  static empty<T>(): EntityMap<T> {
    return EntityMap.#EMPTY
  }

  /** Builds a map in one batch; a repeated id keeps its first position and its last value. */
  static from<T>(entries: Iterable<readonly [Id, T]>): EntityMap<T> {
    if (entries instanceof EntityMap) return entries
    return EntityMap.empty<T>().withMutations((m) => {
      for (const [id, value] of entries) m.set(id, value)
    })
  }

  get [Symbol.toStringTag](): string {
    return 'EntityMap'
  }

  /** The entity with this id, if any. */
  get(id: Id): T | undefined {
    return find(this.#root, this.#hash(id), id)?.value
  }

  /** Whether an entity has this id. */
  has(id: Id): boolean {
    return find(this.#root, this.#hash(id), id) !== undefined
  }

  /** Returns this map when `value` is already the value of `id` (`Object.is`). */
  set(id: Id, value: T): EntityMap<T> {
    const editor = this.#edit()
    editor.set(id, value)
    return editor.changed ? editor.toMap() : this
  }

  /** Returns this map when `id` is absent. */
  delete(id: Id): EntityMap<T> {
    const editor = this.#edit()
    editor.delete(id)
    return editor.changed ? editor.toMap() : this
  }

  /**
   * Applies a batch of writes, copying each node at most once. Returns this map when no write
   * took effect. If `fn` throws, nothing is published and this map is untouched.
   */
  withMutations(fn: (m: EntityMapBuilder<T>) => void): EntityMap<T> {
    const editor = this.#edit()
    const builder = new Builder(editor)
    try {
      fn(builder)
    } finally {
      Builder.close(builder)
    }
    return editor.changed ? editor.toMap() : this
  }

  keys(): MapIterator<Id> {
    return new OrderIterator(this.#order, projectKey)
  }

  values(): MapIterator<T> {
    return new OrderIterator(this.#order, projectValue)
  }

  entries(): MapIterator<[Id, T]> {
    return new OrderIterator(this.#order, projectPair)
  }

  /** As `entries`. */
  [Symbol.iterator](): MapIterator<[Id, T]> {
    return this.entries()
  }

  /** Calls `callback` for every entity, in order. */
  forEach(callback: (value: T, id: Id, map: EntityMap<T>) => void, thisArg?: unknown): void {
    forEachEntry(this.#order, (entry) => callback.call(thisArg, entry.value, entry.key, this))
  }

  /** The entries in order, as `[id, value]` pairs: an object would turn numeric ids into strings. */
  toJSON(): Array<[Id, T]> {
    const out: Array<[Id, T]> = []
    forEachEntry(this.#order, (entry) => out.push([entry.key, entry.value]))
    return out
  }

  #edit(): Editor<T> {
    return new Editor(partsOf(this))
  }
}

/** Whether `value` is an `EntityMap` (a collection's state). */
export function isEntityMap(value: unknown): value is EntityMap<unknown> {
  return value instanceof EntityMap
}

// ---------------------------------------------------------------------------------------------
// For tests only: not part of the package's API.

export interface Census {
  /** Hash trie nodes (bitmap and collision), order tree nodes and entries of a map. */
  trieNodes: number
  orderNodes: number
  entries: number
  /** The most bitmap nodes on a path, and the order tree's height. */
  trieDepth: number
  orderHeight: number
}

function collect<T>(parts: MapParts<T>, into: Set<object>): void {
  const visitTrie = (slot: Slot<T>): void => {
    into.add(slot)
    if (slot instanceof BitmapNode) for (const child of slot.slots) visitTrie(child)
    else if (slot instanceof CollisionNode) for (const entry of slot.entries) into.add(entry)
  }
  const visitOrder = (node: OrderNode<T>): void => {
    into.add(node)
    if (node instanceof OrderBranch) for (const child of node.children) visitOrder(child)
  }
  if (parts.root !== undefined) visitTrie(parts.root)
  if (parts.order !== undefined) visitOrder(parts.order)
}

/** Counts the nodes and entries of `map`, leaving out any that `base` shares. */
function census<T>(map: EntityMap<T>, base?: EntityMap<T>): Census {
  const shared = new Set<object>()
  if (base !== undefined) collect(partsOf(base), shared)
  const result: Census = { trieNodes: 0, orderNodes: 0, entries: 0, trieDepth: 0, orderHeight: 0 }
  const countEntry = (entry: Entry<T>): void => {
    if (!shared.has(entry)) result.entries++
  }
  const visitTrie = (slot: Slot<T>, depth: number): void => {
    if (shared.has(slot)) return
    if (slot instanceof Entry) {
      countEntry(slot)
      return
    }
    result.trieNodes++
    if (slot instanceof CollisionNode) {
      slot.entries.forEach(countEntry)
      return
    }
    result.trieDepth = Math.max(result.trieDepth, depth)
    for (const child of slot.slots) visitTrie(child, depth + 1)
  }
  const visitOrder = (node: OrderNode<T>, height: number): void => {
    result.orderHeight = Math.max(result.orderHeight, height)
    if (shared.has(node)) return
    result.orderNodes++
    if (node instanceof OrderBranch) for (const child of node.children) visitOrder(child, height + 1)
  }
  const { root, order } = partsOf(map)
  if (root !== undefined) visitTrie(root, 1)
  if (order !== undefined) visitOrder(order, 1)
  return result
}

/** Every broken invariant of a map's two trees, as messages; empty when sound. */
function verify<T>(map: EntityMap<T>): string[] {
  const { root, order, seq, hash } = partsOf(map)
  const problems: string[] = []
  const byKey = new Map<Id, Entry<T>>()

  const visitTrie = (node: BitmapNode<T>, shift: number, prefix: number, isRoot: boolean): number => {
    if (popcount(node.bitmap) !== node.slots.length) problems.push(`bitmap/slots mismatch at shift ${shift}`)
    const low = (1 << (shift + BITS)) - 1
    let bits = node.bitmap
    let count = 0
    for (const slot of node.slots) {
      const bit = bits & -bits
      bits ^= bit
      const path = prefix | ((31 - Math.clz32(bit)) << shift)
      if (slot instanceof BitmapNode) {
        count += visitTrie(slot, shift + BITS, path, false)
        continue
      }
      const leaves = slot instanceof Entry ? [slot] : slot.entries
      if (slot instanceof CollisionNode && slot.entries.length < 2) problems.push('a collision node of one')
      for (const entry of leaves) {
        const name = String(entry.key)
        if ((entry.hash & low) !== (path & low)) problems.push(`entry ${name} in the wrong slot`)
        if (entry.hash !== hash(entry.key)) problems.push(`entry ${name} has a stale hash`)
        if (entry.hash !== slot.hash) problems.push(`entry ${name} in a foreign collision node`)
        byKey.set(entry.key, entry)
      }
      count += leaves.length
    }
    if (!isRoot && count < 2) problems.push(`a subtree of ${count} entries is not folded (shift ${shift})`)
    return count
  }

  let ordered = 0
  let lastSeq = -1
  let leafDepth = -1
  const visitOrder = (node: OrderNode<T>, depth: number, below: number): void => {
    if (sizeOf(node) === 0 || sizeOf(node) > WIDTH) problems.push(`an order node of ${sizeOf(node)}`)
    if (node instanceof OrderBranch) {
      node.children.forEach((child, i) => {
        const next = node.children[i + 1]
        if (child.low < node.low && i === 0) problems.push('a first child below its parent')
        if (next !== undefined && next.low <= child.low) problems.push('order children out of order')
        if (next !== undefined && sizeOf(child) + sizeOf(next) <= WIDTH) problems.push('unmerged neighbours')
        visitOrder(child, depth + 1, next?.low ?? below)
      })
      return
    }
    if (leafDepth === -1) leafDepth = depth
    else if (leafDepth !== depth) problems.push('order leaves at different depths')
    for (const entry of node.entries) {
      if (entry.seq <= lastSeq || entry.seq < node.low || entry.seq >= below) {
        problems.push(`sequence number ${entry.seq} out of place`)
      }
      if (byKey.get(entry.key) !== entry) problems.push(`order entry ${String(entry.key)} not in the trie`)
      lastSeq = entry.seq
      ordered++
    }
  }

  if (root !== undefined) visitTrie(root, 0, 0, true)
  if (order !== undefined) visitOrder(order, 0, seq)
  if (order instanceof OrderBranch && order.children.length === 1) problems.push('a root branch of one child')
  if (byKey.size !== map.size) problems.push(`size ${map.size} but ${byKey.size} entries in the trie`)
  if (ordered !== map.size) problems.push(`size ${map.size} but ${ordered} entries in the order`)
  return problems
}

/**
 * Test hooks. `withHash` starts an empty map over another hash function (cut to the trie's 30
 * bits), so tests can force collisions and deep paths at will.
 */
export const entityMapInternals = {
  hashId,
  withHash<T>(hash: (id: Id) => number): EntityMap<T> {
    return createMap<T>({
      root: undefined,
      order: undefined,
      size: 0,
      seq: 0,
      hash: (id) => hash(id) & HASH_MASK,
    })
  },
  census,
  verify,
}
