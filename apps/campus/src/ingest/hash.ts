/**
 * SHA-256 of a file, streamed, recorded on the import run so a re-import of the same bytes is
 * recognisable.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'

/** Hex SHA-256 of the file at `path`, read in chunks. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}
