/**
 * Strict UTF-8 decoding of a CSV stream. The binding requires UTF-8; a file in another encoding
 * (Latin-1, UTF-16) must be refused with the line it breaks on, not imported as mojibake.
 * A UTF-8 byte order mark is accepted and dropped (TextDecoder strips it).
 *
 * @module
 */
import { Transform } from 'node:stream'

/** Invalid UTF-8 at a known place. */
export class EncodingError extends Error {
  readonly code = 'E_ONEROSTER_ENCODING'
  constructor(
    /** 1-based line of the first bad byte. */
    readonly line: number,
    /** 0-based byte offset of the chunk holding it. */
    readonly byteOffset: number,
  ) {
    super(`invalid UTF-8 near byte ${byteOffset}; the file must be encoded in UTF-8`)
  }
}

/** A Transform from bytes to strings that fails on the first invalid UTF-8 sequence. */
export function strictUtf8(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let line = 1
  let offset = 0
  const count = (text: string): void => {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++
  }
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      let text: string
      try {
        text = decoder.decode(chunk, { stream: true })
      } catch {
        // The decoder says only that the chunk is bad; find the line by decoding up to it.
        done(new EncodingError(line + badLineWithin(chunk), offset + firstBadByte(chunk)))
        return
      }
      offset += chunk.length
      count(text)
      done(null, text)
    },
    flush(done) {
      try {
        const rest = decoder.decode()
        done(null, rest === '' ? undefined : rest)
      } catch {
        done(new EncodingError(line, offset))
      }
    },
  })
}

/** Offset of the first byte a fresh strict decoder refuses within `chunk` (approximate at edges). */
function firstBadByte(chunk: Buffer): number {
  let lo = 0
  let hi = chunk.length
  // Binary search on the longest prefix that still decodes (a split sequence at the cut is fine).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, mid), { stream: true })
      lo = mid
    } catch {
      hi = mid - 1
    }
  }
  return lo
}

function badLineWithin(chunk: Buffer): number {
  const bad = firstBadByte(chunk)
  let lines = 0
  for (let i = 0; i < bad; i++) if (chunk[i] === 0x0a) lines++
  return lines
}
