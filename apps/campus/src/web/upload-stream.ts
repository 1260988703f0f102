/**
 * Receives a `multipart/form-data` upload (a plain HTML form with a file input) without holding
 * it in memory: the file part streams to a private temporary file, bounded by `maxBytes`, and the
 * small text fields are collected. busboy parses the stream; Hono's `parseBody` would buffer the
 * whole request, which is why the global body limit had to stay small.
 *
 * @module
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import busboy from 'busboy'

/** Why an upload was refused. */
export type UploadErrorCode = 'E_UPLOAD_MISSING' | 'E_UPLOAD_TOO_LARGE' | 'E_UPLOAD_MALFORMED'

/** A refused upload; nothing of it is left on disk. */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'UploadError'
  }
}

/** A received upload: its file on disk (remove `dir` when done) and its text fields. */
export interface ReceivedUpload {
  readonly dir: string
  readonly path: string
  /** The base name the browser gave (a path some browsers send is cut to its last part). */
  readonly fileName: string
  readonly bytes: number
  readonly fields: Readonly<Record<string, string>>
}

/** Options of {@link receiveUpload}. */
export interface UploadOptions {
  /** The form field holding the file. */
  field: string
  /** Largest file accepted. */
  maxBytes: number
  /** Longest text field accepted (longer → E_UPLOAD_MALFORMED). @default 1024 */
  maxFieldBytes?: number
}

/**
 * Streams the file of `request`'s form to a temporary file.
 * @throws UploadError when the body is not a form, has no (or an empty) file in `options.field`,
 *   or the file exceeds `options.maxBytes`.
 */
export async function receiveUpload(
  request: Request,
  options: UploadOptions,
): Promise<ReceivedUpload> {
  const type = request.headers.get('content-type') ?? ''
  if (!request.body || !type.toLowerCase().startsWith('multipart/form-data')) {
    throw new UploadError('E_UPLOAD_MALFORMED', 'expected a multipart/form-data form')
  }
  const dir = await mkdtemp(join(tmpdir(), 'campus-upload-'))
  const path = join(dir, 'upload')
  try {
    const received = await parse(request, type, path, options)
    return { dir, path, ...received }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

async function parse(
  request: Request,
  type: string,
  path: string,
  options: UploadOptions,
): Promise<Omit<ReceivedUpload, 'dir' | 'path'>> {
  let parser: busboy.Busboy
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: {
        files: 1,
        // busboy signals `limit` on reaching fileSize; one byte more lets exactly maxBytes pass.
        fileSize: options.maxBytes + 1,
        fieldSize: options.maxFieldBytes ?? 1024,
        fields: 20,
      },
    })
  } catch (error) {
    throw new UploadError('E_UPLOAD_MALFORMED', (error as Error).message)
  }
  const fields: Record<string, string> = {}
  let fileName = ''
  let bytes = 0
  let tooLarge = false
  let fieldTruncated = false
  let written: Promise<void> | undefined
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fieldTruncated = true
    fields[name] = value
  })
  parser.on('file', (name, file, info) => {
    if (name !== options.field || written !== undefined) {
      file.resume()
      return
    }
    fileName = (info.filename ?? '').split(/[\\/]/).pop() ?? ''
    file.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    file.on('limit', () => {
      tooLarge = true
    })
    written = pipeline(file, createWriteStream(path, { mode: 0o600 }))
    // Awaited below; this only keeps a failure that comes first from going unhandled meanwhile.
    written.catch(() => {})
  })
  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser)
    await written
  } catch (error) {
    if (error instanceof UploadError) throw error
    throw new UploadError(
      'E_UPLOAD_MALFORMED',
      `the form could not be read: ${(error as Error).message}`,
    )
  }
  if (tooLarge) {
    throw new UploadError('E_UPLOAD_TOO_LARGE', `the file is larger than ${options.maxBytes} bytes`)
  }
  if (fieldTruncated) throw new UploadError('E_UPLOAD_MALFORMED', 'a form field is too long')
  if (written === undefined || bytes === 0) {
    throw new UploadError('E_UPLOAD_MISSING', `no file in the form field "${options.field}"`)
  }
  return { fileName, bytes, fields }
}
