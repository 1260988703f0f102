/**
 * Where a OneRoster set is read from: a directory or a zip file. Both list their entries up
 * front (names and sizes, checked against the limits and the binding's file names) and then
 * open each file as a stream, so no file is ever held in memory whole.
 *
 * The zip is read with yauzl: it reads the central directory first (sizes are known before any
 * byte is inflated), inflates one entry at a time as a stream, and with `validateEntrySizes`
 * fails an entry whose real size differs from the size its header declares (a zip bomb's lie).
 * Entry names are checked here rather than by yauzl, so that a traversal attempt becomes a
 * precise problem instead of an error that stops the listing.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { type Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl from 'yauzl'
import { OneRosterError, problem } from './errors.js'
import { FILES, UNSUPPORTED_FILES } from './files.js'
import { formatBytes, type ImportLimits } from './limits.js'

/** One file of a set. */
export interface SetEntry {
  name: string
  /** Uncompressed size in bytes. */
  size: number
}

/** An opened set. */
export interface SetSource {
  /** The path, as given. */
  origin: string
  /** SHA-256 of the zip file (undefined for a directory). */
  contentHash: string | undefined
  /** The usable entries (problems below name the refused ones). */
  entries: SetEntry[]
  /** Problems found while listing: unexpected entries, traversal, sizes. */
  problems: string[]
  /** Binding files present but refused (too large): known to exist, not to be read. */
  refused: string[]
  /** Streams one entry's bytes; the stream fails once it passes the per-file limit. */
  open(name: string): Promise<Readable>
  close(): Promise<void>
}

const KNOWN = new Set(['manifest.csv', ...FILES.map((f) => f.name), ...UNSUPPORTED_FILES])

/** A stream that fails once more than `max` bytes went through it. */
function byteLimit(name: string, max: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > max) {
        done(new SizeLimitError(`${name} is larger than the ${formatBytes(max)} limit per file`))
      } else done(null, chunk)
    },
  })
}

/** `source` through a {@link byteLimit}, its errors passed on (pipe alone would drop them). */
function limited(source: Readable, name: string, max: number): Readable {
  const limit = byteLimit(name, max)
  source.on('error', (error) => limit.destroy(error))
  limit.on('close', () => source.destroy())
  return source.pipe(limit)
}

/** A file grew past the limit while being read. */
export class SizeLimitError extends Error {
  readonly code = 'E_ONEROSTER_SIZE'
}

/**
 * Checks one entry name and size; returns the problem, or undefined when it is usable.
 * `where` prefixes the message (the zip's name, or the directory's).
 */
function checkEntry(
  where: string,
  name: string,
  size: number,
  limits: ImportLimits,
): string | undefined {
  const quoted = JSON.stringify(name)
  if (
    name.startsWith('/') ||
    name.startsWith('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.split(/[/\\]/).includes('..')
  ) {
    return problem(where, null, null, `entry ${quoted}: path traversal refused`)
  }
  if (name.includes('/') || name.includes('\\')) {
    return problem(
      where,
      null,
      null,
      `entry ${quoted}: unexpected entry; files must sit at the top level, with no folders`,
    )
  }
  if (!KNOWN.has(name)) {
    return problem(
      where,
      null,
      null,
      `entry ${quoted}: unexpected entry; not a file of the OneRoster 1.2 CSV binding (names are case-sensitive)`,
    )
  }
  if (size > limits.maxFileBytes) {
    return problem(
      name,
      null,
      null,
      `${formatBytes(size)} is larger than the ${formatBytes(limits.maxFileBytes)} limit per file`,
    )
  }
  return undefined
}

function checkTotal(where: string, entries: SetEntry[], limits: ImportLimits): string | undefined {
  const total = entries.reduce((sum, e) => sum + e.size, 0)
  return total > limits.maxTotalBytes
    ? problem(
        where,
        null,
        null,
        `${formatBytes(total)} in all is larger than the ${formatBytes(limits.maxTotalBytes)} limit per set`,
      )
    : undefined
}

/** Opens a directory or a zip file (by its content, not its name: a zip starts `PK`). */
export async function openSource(path: string, limits: ImportLimits): Promise<SetSource> {
  const info = await lstat(path).catch((error: unknown) => {
    throw new OneRosterError(
      'E_ONEROSTER_SOURCE',
      `cannot read ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  })
  if (info.isDirectory()) return openDirectory(path, limits)
  if (info.isFile()) return openZip(path, limits)
  throw new OneRosterError('E_ONEROSTER_SOURCE', `${path} is neither a directory nor a zip file`)
}

async function openDirectory(path: string, limits: ImportLimits): Promise<SetSource> {
  const where = basename(path) || path
  const problems: string[] = []
  const refusedNames: string[] = []
  const entries: SetEntry[] = []
  for (const dirent of await readdir(path, { withFileTypes: true })) {
    const name = dirent.name
    if (!dirent.isFile()) {
      // Symbolic links too: one could point outside the directory.
      problems.push(
        problem(
          where,
          null,
          null,
          `entry ${JSON.stringify(name)}: unexpected entry; not a plain file`,
        ),
      )
      continue
    }
    const size = (await lstat(join(path, name))).size
    const refused = checkEntry(where, name, size, limits)
    if (refused) {
      problems.push(refused)
      if (KNOWN.has(name)) refusedNames.push(name)
    } else entries.push({ name, size })
  }
  const total = checkTotal(where, entries, limits)
  if (total) problems.push(total)
  return {
    origin: path,
    contentHash: undefined,
    entries,
    problems,
    refused: refusedNames,
    open: async (name) => {
      return limited(createReadStream(join(path, name)), name, limits.maxFileBytes)
    },
    close: async () => {},
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

function openZipFile(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      // Names are decoded and checked here (checkEntry), so yauzl must not refuse them first.
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (error, zip) => (error || !zip ? reject(error) : resolve(zip)),
    )
  })
}

async function openZip(path: string, limits: ImportLimits): Promise<SetSource> {
  const where = basename(path)
  let zip: yauzl.ZipFile
  try {
    zip = await openZipFile(path)
  } catch (error) {
    throw new OneRosterError(
      'E_ONEROSTER_SOURCE',
      `${path} is not a readable zip file: ${(error as Error).message}`,
      { cause: error },
    )
  }
  const problems: string[] = []
  const refusedNames: string[] = []
  const entries: SetEntry[] = []
  const byName = new Map<string, yauzl.Entry>()
  if (zip.entryCount > limits.maxEntries) {
    zip.close()
    return {
      origin: path,
      contentHash: undefined,
      entries: [],
      refused: [],
      problems: [
        problem(
          where,
          null,
          null,
          `${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`,
        ),
      ],
      open: () => Promise.reject(new Error('no entries')),
      close: async () => {},
    }
  }
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      // decodeStrings: false gives the raw bytes; the binding's names are ASCII.
      const name = (entry.fileName as unknown as Buffer).toString('utf8')
      if (name.endsWith('/') && !name.includes('..')) {
        problems.push(
          problem(
            where,
            null,
            null,
            `entry ${JSON.stringify(name)}: unexpected entry; folders are not accepted`,
          ),
        )
      } else if (byName.has(name)) {
        problems.push(problem(where, null, null, `entry ${JSON.stringify(name)}: appears twice`))
      } else {
        const refused = checkEntry(where, name, entry.uncompressedSize, limits)
        if (refused) {
          problems.push(refused)
          if (KNOWN.has(name)) refusedNames.push(name)
        } else {
          byName.set(name, entry)
          entries.push({ name, size: entry.uncompressedSize })
        }
      }
      zip.readEntry()
    })
    zip.on('end', () => resolve())
    zip.on('error', reject)
    zip.readEntry()
  }).catch((error: unknown) => {
    zip.close()
    throw new OneRosterError('E_ONEROSTER_SOURCE', `${path}: ${(error as Error).message}`, {
      cause: error,
    })
  })
  const total = checkTotal(where, entries, limits)
  if (total) problems.push(total)
  return {
    origin: path,
    contentHash: await sha256(path),
    entries,
    problems,
    refused: refusedNames,
    open: (name) =>
      new Promise((resolve, reject) => {
        const entry = byName.get(name)
        if (!entry) return reject(new Error(`no entry ${name}`))
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(error)
          resolve(limited(stream, name, limits.maxFileBytes))
        })
      }),
    close: async () => zip.close(),
  }
}
