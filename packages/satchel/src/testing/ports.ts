import { createServer } from 'node:net'

/** Test servers listen on loopback only, so a port is "free" when loopback can bind it. */
export const LOOPBACK = '127.0.0.1'

/** Redis Cluster's bus listens on the client port plus this offset. */
export const CLUSTER_BUS_OFFSET = 10_000

// Ports come from below Linux's default ephemeral range (32768-60999), bus ports included: the
// kernel hands ephemeral ports to outgoing connections at any moment, so a port picked from that
// range could be taken between our check and redis-server binding it.
const RANGE_START = 12_000
const RANGE_END = 22_000

// Ports handed out by this process and not yet released. Servers started in parallel (a cluster)
// would otherwise probe the same free port, both see it free, and race for it. A started server
// keeps its port for the life of the process, since `restart()` must get the same one back.
const reserved = new Set<number>()

/** Resolves `true` when `port` can be bound on loopback right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.unref()
    probe.once('error', () => resolve(false))
    probe.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      probe.close(() => resolve(true))
    })
  })
}

/** Options for {@link reservePort}. */
export interface ReservePortOptions {
  /** Also require `port + 10000` (the Cluster bus port) to be free. @default false */
  clusterBus?: boolean
  /** Ports to probe before giving up. @default 200 */
  attempts?: number
}

/**
 * Picks a port that is free now and reserves it within this process until {@link releasePort}.
 * Another process can still take it before redis-server binds it; callers retry on that.
 *
 * @returns the port, or `undefined` when no free port was found in `attempts` probes.
 */
export async function reservePort(options: ReservePortOptions = {}): Promise<number | undefined> {
  const attempts = options.attempts ?? 200
  for (let i = 0; i < attempts; i++) {
    // Random rather than sequential: parallel test workers (separate processes that cannot see
    // each other's reservations) would otherwise all start probing at the same port.
    const port = RANGE_START + Math.floor(Math.random() * (RANGE_END - RANGE_START))
    if (reserved.has(port)) continue
    reserved.add(port)
    const free =
      (await isPortFree(port)) &&
      (!options.clusterBus || (await isPortFree(port + CLUSTER_BUS_OFFSET)))
    if (free) return port
    reserved.delete(port)
  }
  return undefined
}

/** Returns a port obtained from {@link reservePort} to the pool. */
export function releasePort(port: number): void {
  reserved.delete(port)
}
