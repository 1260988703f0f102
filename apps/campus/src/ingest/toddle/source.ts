/**
 * Where Toddle data comes from: the Open API V2 (through {@link ToddleClient}) or a directory of
 * JSON files holding the same shapes, one file per resource (`students.json`, `term-grades.json`,
 * …, and `gradebook.json` for the gradebook export). A file holds either the item array or a page
 * object `{ "data": [...] }`. Files are read whole: Toddle data of one school is small next to an
 * IXL export, and JSON cannot be split into rows the way CSV can without a streaming parser.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ToddleClient, ToddlePageRead } from './client.js'
import type { ToddleResource } from './shapes.js'

/** A source of Toddle resources. */
export interface ToddleSource {
  /** The directory or API base URL, for the import run (never the token). */
  origin: string
  kind: 'toddle-file' | 'toddle-api'
  /** The name problems cite for a resource: its file, or `GET /resource`. */
  label(resource: ToddleResource): string
  /** Whether the source has the resource at all. */
  has(resource: ToddleResource): boolean
  /** The resource's items, page by page. */
  pages(resource: ToddleResource): AsyncIterable<ToddlePageRead>
}

/** Thrown when a JSON file is not an item array or a page object. */
export class ToddleFileError extends Error {
  readonly code = 'E_TODDLE_FILE'
}

/** A directory of `<resource>.json` files. */
export function directorySource(dir: string): ToddleSource {
  const path = (resource: ToddleResource) => join(dir, `${resource}.json`)
  return {
    origin: dir,
    kind: 'toddle-file',
    label: (resource) => `${resource}.json`,
    has: (resource) => existsSync(path(resource)),
    async *pages(resource) {
      const text = await readFile(path(resource), 'utf8')
      let body: unknown
      try {
        body = JSON.parse(text.replace(/^\uFEFF/, ''))
      } catch (error) {
        throw new ToddleFileError(`${resource}.json: not valid JSON (${(error as Error).message})`)
      }
      if (Array.isArray(body)) {
        yield { items: body, firstIndex: 1 }
        return
      }
      if (
        typeof body === 'object' &&
        body !== null &&
        Array.isArray((body as { data?: unknown }).data)
      ) {
        yield { items: (body as { data: unknown[] }).data, firstIndex: 1 }
        return
      }
      throw new ToddleFileError(
        `${resource}.json: expected an array of items or an object with a "data" array`,
      )
    },
  }
}

/** The API; it has every resource but the gradebook, which Toddle gives only as an export. */
export function apiSource(client: ToddleClient, baseUrl: string): ToddleSource {
  return {
    origin: baseUrl,
    kind: 'toddle-api',
    label: (resource) => `GET /${resource}`,
    has: (resource) => resource !== 'gradebook',
    pages: (resource) => client.pages(resource),
  }
}
