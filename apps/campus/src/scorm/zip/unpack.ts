/**
 * Safe unpacking of an uploaded SCORM zip into memory, with yauzl (streaming, and it checks
 * every entry's inflated size against the size the archive declares). Nothing touches the
 * file system here: the caller stores the files once the manifest has been validated.
 *
 * Refused, each with the entry it concerns: names that could leave the package directory
 * (`../`, absolute paths, backslashes, control characters), symbolic links, encrypted
 * entries, disallowed file types, and archives over the {@link UnpackLimits} (entry count,
 * per-entry and total uncompressed size, compression ratio: a zip bomb is stopped by its
 * declared sizes before anything is inflated, and by the inflated byte count if it lies).
 *
 * @module
 */
import type { Readable } from 'node:stream'
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { ScormError } from '../errors.js'
import { unsafeNameReason } from './entry-name.js'
import { contentTypeOf } from './file-types.js'
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './limits.js'

/** An unpacked package: relative path → bytes (directories are implied by the paths). */
export interface UnpackedPackage {
  files: Map<string, Buffer>
  /** Sum of the files' sizes. */
  totalBytes: number
}

const MIB = 1024 * 1024
const size = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`

/** Unix file type bits of an entry made on Unix (the high half of its external attributes). */
function isSymlink(entry: Entry): boolean {
  const madeOnUnix = entry.versionMadeBy >> 8 === 3
  return madeOnUnix && ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000
}

function open(buffer: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings off: yauzl would refuse a bad name with an untyped error; the names are
    // checked here instead, so the report names the entry and the rule it breaks. Entry sizes
    // likewise: `inflate` counts the bytes against the declared size itself, so an archive
    // that understates a size gets a limit error naming the entry, not a generic stream error.
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: false },
      (error, zip) => (error || !zip ? reject(error) : resolve(zip)),
    )
  })
}

function openStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) =>
      error || !stream ? reject(error) : resolve(stream),
    )
  })
}

/** Reads every entry's header (no inflating): the list the checks run on. */
function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = []
    zip.on('entry', (entry: Entry) => {
      entries.push(entry)
      zip.readEntry()
    })
    zip.once('end', () => resolve(entries))
    zip.once('error', reject)
    zip.readEntry()
  })
}

function nameOf(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer | string
  return typeof raw === 'string' ? raw : raw.toString('utf8')
}

/**
 * Inflates one entry, stopping as soon as it passes `limit` bytes (its declared size, at most
 * the per-entry limit); an entry shorter than declared is damaged.
 */
async function inflate(zip: ZipFile, entry: Entry, name: string, limit: number): Promise<Buffer> {
  const stream = await openStream(zip, entry)
  const chunks: Buffer[] = []
  let read = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      read += chunk.length
      if (read > limit) {
        stream.destroy()
        throw new ScormError(
          'E_SCORM_LIMIT',
          422,
          `${name}: inflates past ${size(limit)} (the archive understates its size)`,
          { problems: [`${name}: inflates past ${size(limit)}`] },
        )
      }
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof ScormError) throw error
    throw new ScormError('E_SCORM_NOT_ZIP', 422, `${name}: the entry is damaged`, {
      problems: [`${name}: the entry is damaged and cannot be inflated`],
      cause: error,
    })
  }
  if (read !== entry.uncompressedSize) {
    throw new ScormError('E_SCORM_NOT_ZIP', 422, `${name}: the entry is damaged`, {
      problems: [
        `${name}: ${read} bytes inflated where the archive declares ${entry.uncompressedSize}`,
      ],
    })
  }
  return Buffer.concat(chunks)
}

/**
 * Unpacks `buffer`, or throws a {@link ScormError} listing every problem found.
 * @example const { files } = await unpackPackage(await readFile('course.zip'))
 */
export async function unpackPackage(
  buffer: Buffer,
  limits: UnpackLimits = DEFAULT_UNPACK_LIMITS,
): Promise<UnpackedPackage> {
  if (buffer.length > limits.maxZipBytes) {
    throw new ScormError(
      'E_SCORM_LIMIT',
      413,
      `The zip is ${size(buffer.length)}; at most ${size(limits.maxZipBytes)} is accepted.`,
    )
  }
  // "PK\3\4" (a local file header) or "PK\5\6" (an empty archive's end record).
  const magic = buffer.subarray(0, 4).toString('latin1')
  if (magic !== 'PK\u0003\u0004' && magic !== 'PK\u0005\u0006') {
    throw new ScormError('E_SCORM_NOT_ZIP', 422, 'The upload is not a zip archive.', {
      problems: ['(upload): does not start with a zip signature'],
    })
  }
  let zip: ZipFile
  try {
    zip = await open(buffer)
  } catch (cause) {
    throw new ScormError('E_SCORM_NOT_ZIP', 422, 'The upload is not a readable zip archive.', {
      problems: ['(upload): no valid zip central directory'],
      cause,
    })
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ScormError(
        'E_SCORM_LIMIT',
        422,
        `The zip has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`,
        { problems: [`(upload): ${zip.entryCount} entries > ${limits.maxEntries}`] },
      )
    }
    let entries: Entry[]
    try {
      entries = await listEntries(zip)
    } catch (cause) {
      throw new ScormError('E_SCORM_NOT_ZIP', 422, 'The zip archive is damaged.', {
        problems: ['(upload): damaged central directory'],
        cause,
      })
    }
    const files = checkEntries(entries, limits)
    const out = new Map<string, Buffer>()
    let total = 0
    for (const { entry, name } of files) {
      const data = await inflate(
        zip,
        entry,
        name,
        Math.min(entry.uncompressedSize, limits.maxEntryBytes),
      )
      total += data.length
      out.set(name, data)
    }
    return { files: out, totalBytes: total }
  } finally {
    zip.close()
  }
}

/**
 * Checks every entry's name, type and declared sizes. Name and type problems are all
 * collected (one report lists them); a size limit stops at once, naming the entry.
 */
function checkEntries(entries: Entry[], limits: UnpackLimits): { entry: Entry; name: string }[] {
  const unsafe: string[] = []
  const types: string[] = []
  const files: { entry: Entry; name: string }[] = []
  const seen = new Set<string>()
  let declaredTotal = 0
  for (const entry of entries) {
    const name = nameOf(entry)
    const reason = unsafeNameReason(name)
    if (reason) {
      unsafe.push(`${JSON.stringify(name)}: ${reason}`)
      continue
    }
    if (isSymlink(entry)) {
      unsafe.push(`${name}: symbolic links are not allowed`)
      continue
    }
    if (name.endsWith('/')) continue
    if (entry.isEncrypted()) {
      unsafe.push(`${name}: encrypted entries are not allowed`)
      continue
    }
    if (seen.has(name)) {
      unsafe.push(`${name}: appears twice in the archive`)
      continue
    }
    seen.add(name)
    if (contentTypeOf(name) === undefined) {
      types.push(`${name}: file type not allowed in a SCORM package`)
      continue
    }
    const declared = entry.uncompressedSize
    if (declared > limits.maxEntryBytes) {
      throw limitError(`${name}: ${size(declared)} uncompressed > ${size(limits.maxEntryBytes)}`)
    }
    if (
      declared >= limits.ratioFloorBytes &&
      declared / Math.max(1, entry.compressedSize) > limits.maxRatio
    ) {
      const ratio = Math.round(declared / Math.max(1, entry.compressedSize))
      throw limitError(
        `${name}: compression ratio ${ratio}:1 > ${limits.maxRatio}:1 (${size(entry.compressedSize)} → ${size(declared)})`,
      )
    }
    declaredTotal += declared
    if (declaredTotal > limits.maxTotalBytes) {
      throw limitError(`(upload): more than ${size(limits.maxTotalBytes)} uncompressed in total`)
    }
    files.push({ entry, name })
  }
  if (unsafe.length > 0) {
    throw new ScormError(
      'E_SCORM_UNSAFE_PATH',
      422,
      `The zip has ${unsafe.length} unsafe entr${unsafe.length === 1 ? 'y' : 'ies'}: ${unsafe[0]}`,
      { problems: unsafe },
    )
  }
  if (types.length > 0) {
    throw new ScormError(
      'E_SCORM_FILE_TYPE',
      422,
      `The zip has ${types.length} file${types.length === 1 ? '' : 's'} of a type not allowed: ${types[0]}`,
      { problems: types },
    )
  }
  return files
}

function limitError(problem: string): ScormError {
  return new ScormError('E_SCORM_LIMIT', 422, `The zip is over a limit: ${problem}`, {
    problems: [problem],
  })
}
