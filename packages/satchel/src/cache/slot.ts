/**
 * Redis Cluster slot of a key, via `cluster-key-slot` (the CRC16 ioredis itself uses).
 *
 * Loaded with `createRequire` because the package is CommonJS declared as `export =`, which an
 * ES module can default-import only with `esModuleInterop`, off in this repository.
 *
 * @module
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The slot (0–16383) of a key, honouring `{hash tags}`. @example slotOf('{user:1}:a') */
export const slotOf = require('cluster-key-slot') as (key: string | Buffer) => number
