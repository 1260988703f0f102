/**
 * The items of one Toddle resource, page by page, each checked against its shape: valid ones
 * are yielded with their 1-based position (what problems cite), invalid ones reported and
 * counted as rejected.
 *
 * @module
 */
import type { ImportRun } from '../runs.js'
import type { ToddleItem, ToddleResource } from './shapes.js'
import type { ToddleSource } from './source.js'
import { validateItem } from './validate.js'

/**
 * Records a problem line. `hard` is false only for a row whose learner campus cannot find,
 * which `--allow-unmatched` lets the import skip; every other problem refuses the import.
 */
export type ProblemSink = (line: string, hard?: boolean) => void

/** Valid items of `resource` from `source`, with their index. */
export async function* validItems<R extends ToddleResource>(
  source: ToddleSource,
  resource: R,
  run: ImportRun,
  problem: ProblemSink,
): AsyncGenerator<{ item: ToddleItem<R>; index: number }> {
  const label = source.label(resource)
  for await (const page of source.pages(resource)) {
    for (const [offset, raw] of page.items.entries()) {
      const index = page.firstIndex + offset
      run.counts.rowsRead++
      const result = validateItem(resource, raw, label, index)
      if (!result.ok) {
        run.counts.rowsRejected++
        for (const line of result.problems) problem(line)
        continue
      }
      yield { item: result.item, index }
    }
  }
}
