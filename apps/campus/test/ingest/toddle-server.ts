/**
 * A local Toddle Open API V2 for tests: the documented list shapes with cursor paging and a
 * bearer token, plus faults injected once each (a 429 with Retry-After, a connection dropped
 * half-way through a page's body). Every request is logged, so tests assert what was asked and
 * in which order.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A fault to serve once, on the page of `resource` that starts at `offset`. */
export interface Fault {
  resource: string
  offset: number
  kind: '429' | 'drop'
  retryAfter?: string
}

/** One request as the server saw it. */
export interface LoggedRequest {
  resource: string
  cursor: string | null
  answer: number | 'dropped'
}

/** The running server. */
export interface ToddleTestServer {
  baseUrl: string
  requests: LoggedRequest[]
  faults: Fault[]
  close(): Promise<void>
}

/** Starts a server answering `data[resource]` to `Bearer ${token}`. */
export async function startToddleServer(
  data: Record<string, unknown[]>,
  token: string,
): Promise<ToddleTestServer> {
  const requests: LoggedRequest[] = []
  const faults: Fault[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const match = /^\/api\/v2\/([a-z-]+)$/.exec(url.pathname)
    const resource = match?.[1] ?? ''
    const cursor = url.searchParams.get('cursor')
    const log = (answer: LoggedRequest['answer']) => requests.push({ resource, cursor, answer })
    if (req.headers.authorization !== `Bearer ${token}`) {
      log(401)
      res.writeHead(401, { 'content-type': 'application/problem+json' })
      res.end(JSON.stringify({ title: 'Unauthorized' }))
      return
    }
    const items = data[resource]
    if (!items) {
      log(404)
      res.writeHead(404).end()
      return
    }
    const limit = Number(url.searchParams.get('limit') ?? '100')
    const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0
    const fault = faults.findIndex((f) => f.resource === resource && f.offset === offset)
    if (fault >= 0) {
      const [f] = faults.splice(fault, 1)
      if (f?.kind === '429') {
        log(429)
        res.writeHead(429, {
          'retry-after': f.retryAfter ?? '1',
          'content-type': 'application/json',
        })
        res.end('{"title":"Too Many Requests"}')
        return
      }
      log('dropped')
      const body = JSON.stringify({ data: items.slice(offset, offset + limit), next_cursor: null })
      res.writeHead(200, { 'content-type': 'application/json' })
      // Half the page, then the connection is gone: the client must ask for this page again.
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.socket?.destroy())
      return
    }
    const next =
      offset + limit < items.length
        ? Buffer.from(String(offset + limit)).toString('base64url')
        : null
    log(200)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ data: items.slice(offset, offset + limit), next_cursor: next }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v2`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
