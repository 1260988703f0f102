/**
 * The connection bounds of campus's HTTP server, on a real socket: a client that never finishes
 * its headers is answered 408 and cut off, an idle keep-alive connection is closed, and
 * connections past the cap are closed on arrival.
 */
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import type { ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { checkingIntervalMs, listen } from '../../src/server/listen.js'

const app = new Hono().get('/', (c) => c.text('ok'))

let server: ServerType | undefined
const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets) socket.destroy()
  sockets.length = 0
  if (server) await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

async function start(limits: Partial<Parameters<typeof listen>[1]['limits']>): Promise<number> {
  const result = await listen(app, {
    port: 0,
    hostname: '127.0.0.1',
    limits: { ...loadConfig({}).http, ...limits },
  })
  server = result.server
  return result.port
}

/** A raw connection that records what the server sends. */
async function open(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(port, '127.0.0.1')
  sockets.push(socket)
  let data = ''
  socket.on('data', (chunk) => {
    data += chunk.toString()
  })
  socket.on('error', () => {})
  await once(socket, 'connect')
  return { socket, received: () => data }
}

async function connections(): Promise<number> {
  return new Promise((resolve, reject) =>
    server?.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  )
}

describe('HTTP server bounds', { timeout: 30_000 }, () => {
  it('checks deadlines often enough for the header timeout to hold', () => {
    expect(checkingIntervalMs(loadConfig({}).http)).toBe(1_000)
    expect(checkingIntervalMs({ ...loadConfig({}).http, headersTimeoutMs: 300 })).toBe(150)
  })

  it('answers 408 and closes a connection whose headers never end', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 })
    const { socket, received } = await open(port)
    socket.write('GET / HTTP/1.1\r\nHost: campus\r\nX-Slow: ')
    await once(socket, 'close')
    expect(received()).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('closes an idle keep-alive connection', async () => {
    const port = await start({ keepAliveTimeoutMs: 200 })
    const { socket, received } = await open(port)
    socket.write('GET / HTTP/1.1\r\nHost: campus\r\nConnection: keep-alive\r\n\r\n')
    await once(socket, 'close')
    expect(received()).toMatch(/^HTTP\/1\.1 200 /)
    expect(received()).toMatch(/keep-alive/i)
  })

  it('closes connections past HTTP_MAX_CONNECTIONS on arrival and serves the others', async () => {
    const port = await start({ maxConnections: 2 })
    const first = await open(port)
    await open(port)
    await expect.poll(connections).toBe(2)
    const third = await open(port)
    await once(third.socket, 'close')
    expect(third.received()).toBe('')
    first.socket.write('GET / HTTP/1.1\r\nHost: campus\r\nConnection: close\r\n\r\n')
    await once(first.socket, 'close')
    expect(first.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*ok$/)
  })
})
