/**
 * The table of contents and previous/next links of a SCORM player: every item of the default
 * organization in manifest order, the launchable ones as links (the current one marked), the
 * containers as plain titles. The learner player and the dispatch player share it; each says
 * how a SCO's link is written (the dispatch one carries its launch token).
 *
 * @module
 */
import type { ManifestItem } from '../manifest/types.js'
import type { ScoRow } from '../runtime/launch.js'

/** What the table of contents needs. */
export interface TocProps {
  items: readonly ManifestItem[]
  /** Launchable SCOs, in manifest order. */
  scos: readonly Pick<ScoRow, 'id' | 'identifier' | 'title'>[]
  currentId: string
  /** The URL that opens a SCO. */
  href: (scoId: string) => string
}

/** The contents list and the previous/next links (none for a one-SCO package). */
export function ScoToc(props: TocProps) {
  const idOf = new Map(props.scos.map((s) => [s.identifier, s.id]))
  const at = props.scos.findIndex((s) => s.id === props.currentId)
  const previous = at > 0 ? props.scos[at - 1] : undefined
  const next = at >= 0 ? props.scos[at + 1] : undefined
  return (
    <nav class="scorm-toc" aria-label="Contents">
      <ul class="plain">
        {props.items.map((item) => {
          const id = idOf.get(item.identifier)
          const cls = `depth-${Math.min(item.depth, 2)}`
          if (!id) return <li class={cls}>{item.title}</li>
          return (
            <li class={cls}>
              {id === props.currentId ? (
                <a href={props.href(id)} aria-current="page">
                  {item.title}
                </a>
              ) : (
                <a href={props.href(id)}>{item.title}</a>
              )}
            </li>
          )
        })}
      </ul>
      {props.scos.length > 1 ? (
        <p class="scorm-pager">
          {previous ? (
            <a href={props.href(previous.id)} rel="prev" data-sco-nav="previous">
              {`Previous: ${previous.title}`}
            </a>
          ) : null}{' '}
          {next ? (
            <a href={props.href(next.id)} rel="next" data-sco-nav="next">
              {`Next: ${next.title}`}
            </a>
          ) : null}
        </p>
      ) : null}
    </nav>
  )
}
