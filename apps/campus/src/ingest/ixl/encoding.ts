/**
 * Encoding checks of an input file before it is parsed: a byte-order mark of UTF-16 (Excel's
 * "Unicode text") is refused with what to do about it, since csv-parse would read it as garbage
 * and the header would look like an unknown layout. A UTF-8 mark is fine (csv-parse drops it);
 * bytes that are not UTF-8 are caught per cell (row.ts).
 *
 * @module
 */
import { open } from 'node:fs/promises'

/** A byte-order mark of an encoding other than UTF-8, or an empty file, described. */
export async function sniffEncoding(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0)
    const head = buffer.subarray(0, bytesRead)
    if (head[0] === 0xff && head[1] === 0xfe) {
      return 'the file is UTF-16 little-endian (byte-order mark FF FE); export or save it as UTF-8'
    }
    if (head[0] === 0xfe && head[1] === 0xff) {
      return 'the file is UTF-16 big-endian (byte-order mark FE FF); export or save it as UTF-8'
    }
    if (bytesRead === 0) return 'the file is empty'
    return undefined
  } finally {
    await handle.close()
  }
}
