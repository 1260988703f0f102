/**
 * The streaming form upload: the file lands on disk byte for byte with the text fields beside
 * it, and every refusal (no file, an empty file, a file over the limit, a body that is not a
 * form, an over-long field) throws a coded UploadError and leaves no temporary directory behind.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { receiveUpload, UploadError } from '../../src/web/upload-stream.js'

const received: string[] = []
afterEach(async () => {
  await Promise.all(received.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

function formRequest(form: FormData): Request {
  return new Request('http://campus.test/upload', { method: 'POST', body: form })
}

async function uploadDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('campus-upload-')).sort()
}

async function refusal(request: Request, maxBytes = 1024): Promise<UploadError> {
  const before = await uploadDirs()
  const error = await receiveUpload(request, { field: 'file', maxBytes }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UploadError)
  // Nothing of a refused upload stays on disk.
  expect(await uploadDirs()).toEqual(before)
  return error as UploadError
}

describe('receiveUpload', () => {
  it('streams the file to a private file and keeps the text fields', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251)
    const form = new FormData()
    form.set('period', ' 2026 fall ')
    form.set('file', new File([bytes], 'C:\\exports\\ixl.csv', { type: 'text/csv' }))
    const upload = await receiveUpload(formRequest(form), { field: 'file', maxBytes: 300_000 })
    received.push(upload.dir)
    expect(upload.fileName).toBe('ixl.csv')
    expect(upload.bytes).toBe(300_000)
    expect(upload.fields).toEqual({ period: ' 2026 fall ' })
    expect(new Uint8Array(await readFile(upload.path))).toEqual(bytes)
  })

  it('refuses a file over the limit, a missing or empty file, a non-form body, a long field', async () => {
    const big = new FormData()
    big.set('file', new File([new Uint8Array(1025)], 'big.csv'))
    expect((await refusal(formRequest(big))).code).toBe('E_UPLOAD_TOO_LARGE')

    const none = new FormData()
    none.set('period', 'x')
    expect((await refusal(formRequest(none))).code).toBe('E_UPLOAD_MISSING')

    const empty = new FormData()
    empty.set('file', new File([], 'empty.csv'))
    expect((await refusal(formRequest(empty))).code).toBe('E_UPLOAD_MISSING')

    const otherField = new FormData()
    otherField.set('attachment', new File(['a,b\n'], 'a.csv'))
    expect((await refusal(formRequest(otherField))).code).toBe('E_UPLOAD_MISSING')

    const json = new Request('http://campus.test/upload', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect((await refusal(json)).code).toBe('E_UPLOAD_MALFORMED')

    const cut = new Request('http://campus.test/upload', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
    })
    expect((await refusal(cut)).code).toBe('E_UPLOAD_MALFORMED')

    const long = new FormData()
    long.set('period', 'p'.repeat(2000))
    long.set('file', new File(['a,b\n'], 'a.csv'))
    expect((await refusal(formRequest(long))).code).toBe('E_UPLOAD_MALFORMED')
    expect(existsSync(tmpdir())).toBe(true)
  })
})
