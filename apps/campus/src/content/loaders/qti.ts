/**
 * QTI selection and ordering of an assessment's item pool, deterministic per attempt: the same
 * attempt seed always yields the same questions in the same order (a learner who reloads sees
 * the same quiz; a new attempt gets a new draw), with no state stored anywhere.
 *
 * Semantics (QTI 3 `qti-selection` / `qti-ordering`):
 * - `required` items are always selected; `select` is the total to select, so when it is below
 *   the number of required items, all required items (and only they) are taken;
 * - the rest of the selection is drawn at random, without replacement, from the other items;
 * - selected items keep their authored order; with `shuffle`, items that are not `fixed` are
 *   shuffled among themselves while each fixed item keeps its position.
 *
 * @module
 */
import { createHash } from 'node:crypto'

/** What selection needs of an item. */
export interface QtiItem {
  sortOrder: number
  required: boolean
  fixed: boolean
}

/** `metadata.selection` of an assessment. */
export interface QtiSelection {
  /** Total items to select; all when absent. */
  select?: number | undefined
  /** Shuffle the non-fixed items. */
  shuffle?: boolean | undefined
}

/**
 * A PRNG seeded from the SHA-256 of `seed` (sfc32 over the first 16 bytes): any string seeds
 * it, and nearby seeds (`quiz:1`, `quiz:2`) give unrelated streams.
 */
export function seededRandom(seed: string): () => number {
  const digest = createHash('sha256').update(seed).digest()
  let a = digest.readUInt32LE(0)
  let b = digest.readUInt32LE(4)
  let c = digest.readUInt32LE(8)
  let d = digest.readUInt32LE(12)
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t / 4_294_967_296
  }
}

/** An integer in [0, n). */
function below(random: () => number, n: number): number {
  return Math.floor(random() * n)
}

/** Fisher–Yates, in place. */
function shuffleInPlace<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(random, i + 1)
    const a = items[i] as T
    items[i] = items[j] as T
    items[j] = a
  }
}

/**
 * Selects and orders `items` for the attempt `attemptSeed` (see the module comment). Input
 * order does not matter: items are taken in authored order (`sortOrder`, ties by input
 * position) first. Returns a new array; items are not copied.
 *
 * @example
 * applyQtiSelectionAndOrdering(items, { select: 5, shuffle: true }, `${resourceId}:1`)
 */
export function applyQtiSelectionAndOrdering<T extends QtiItem>(
  items: readonly T[],
  selection: QtiSelection,
  attemptSeed: string,
): T[] {
  const random = seededRandom(attemptSeed)
  const authored = items
    .map((item, index) => ({ item, index }))
    .sort((x, y) => x.item.sortOrder - y.item.sortOrder || x.index - y.index)
    .map(({ item }, position) => ({ item, position }))
  const required = authored.filter((e) => e.item.required)
  const optional = authored.filter((e) => !e.item.required)
  const wanted =
    selection.select === undefined
      ? authored.length
      : Math.min(Math.max(selection.select, required.length), authored.length)
  // Partial Fisher–Yates: the first `extra` slots become a uniform draw without replacement.
  const extra = Math.max(0, wanted - required.length)
  for (let i = 0; i < extra; i++) {
    const j = i + below(random, optional.length - i)
    const a = optional[i] as (typeof optional)[number]
    optional[i] = optional[j] as (typeof optional)[number]
    optional[j] = a
  }
  const selected = [...required, ...optional.slice(0, extra)].sort(
    (x, y) => x.position - y.position,
  )
  const ordered = selected.map((e) => e.item)
  if (!selection.shuffle) return ordered
  const slots: number[] = []
  ordered.forEach((item, i) => {
    if (!item.fixed) slots.push(i)
  })
  const movable = slots.map((i) => ordered[i] as T)
  shuffleInPlace(movable, random)
  slots.forEach((slot, k) => {
    ordered[slot] = movable[k] as T
  })
  return ordered
}
