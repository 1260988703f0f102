/**
 * The HTTP server of campus with its connection bounds (docs/SECURITY.md): a client has
 * `headersTimeoutMs` to send its headers and `requestTimeoutMs` for the whole request (then it
 * gets 408 and the connection closes), an idle keep-alive connection closes after
 * `keepAliveTimeoutMs`, and no more than `maxConnections` are open at once (more are closed on
 * arrival). Without these a slow-header client holds a connection for as long as it likes.
 *
 * @module
 */
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import type { Hono } from 'hono'
import type { HttpLimits } from '../config.js'

/** Where and how to listen. */
export interface ListenOptions {
  port: number
  hostname: string
  limits: Omit<HttpLimits, 'bodyLimitBytes'>
}

/**
 * How often Node checks for connections past their header or request deadline. Its default
 * (30 s) would let a slow client overstay a 10 s header timeout by up to 30 s.
 */
export function checkingIntervalMs(limits: ListenOptions['limits']): number {
  return Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2)))
}

/** Serves `app` with the connection bounds; resolves once listening. */
export function listen(
  app: Pick<Hono, 'fetch'>,
  options: ListenOptions,
): Promise<{ server: ServerType; port: number }> {
  const { limits } = options
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.hostname,
        serverOptions: {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          connectionsCheckingInterval: checkingIntervalMs(limits),
        },
      },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    )
    server.maxConnections = limits.maxConnections
    server.once('error', reject)
  })
}
