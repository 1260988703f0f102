import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// A small harness of our own rather than tinybench/mitata: the scenarios need serial per-call
// latency AND 64-way concurrent throughput, with the contenders interleaved round by round on the
// same Redis so that machine noise hits both sides equally. Neither library does the interleaving.

/** An async operation under test. */
export type Op = () => Promise<unknown>

/** Latency percentiles in microseconds. */
export interface LatencyResult {
  samples: number
  p50Us: number
  p99Us: number
  meanUs: number
}

/** Serial latency of each contender, measured in alternating blocks. */
export async function serialLatency(
  contenders: Record<string, Op>,
  options: { rounds: number; perRound: number; warmup: number },
): Promise<Record<string, LatencyResult>> {
  const names = Object.keys(contenders)
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (const name of names) {
    for (let i = 0; i < options.warmup; i++) await contenders[name]!()
  }
  for (let round = 0; round < options.rounds; round++) {
    // Alternate the order too, so neither side always runs right after the other's GC.
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const name of order) {
      const op = contenders[name]!
      const bucket = samples[name]!
      for (let i = 0; i < options.perRound; i++) {
        const start = performance.now()
        await op()
        bucket.push((performance.now() - start) * 1000)
      }
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n]!)]))
}

/**
 * Median over rounds of `a`'s ops/s divided by `b`'s in the same round. Adjacent blocks share the
 * machine's state of the moment, so the paired ratio is far steadier on a noisy 2-core box than
 * the ratio of two medians.
 */
export function pairedRatio(a: number[], b: number[]): number {
  return ratio(median(a.map((value, i) => value / b[i]!)), 1)
}

/** Throughput (ops/s) with `concurrency` callers in flight, in alternating timed blocks. */
export async function concurrentThroughput(
  contenders: Record<string, Op>,
  options: { rounds: number; blockMs: number; concurrency: number },
): Promise<Record<string, { opsPerSec: number; rounds: number[] }>> {
  const names = Object.keys(contenders)
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const name of order) {
      perRound[name]!.push(await block(contenders[name]!, options.blockMs, options.concurrency))
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { opsPerSec: Math.round(median(perRound[n]!)), rounds: perRound[n]! }]),
  )
}

async function block(op: Op, blockMs: number, concurrency: number): Promise<number> {
  let ops = 0
  const start = performance.now()
  const deadline = start + blockMs
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await op()
      ops++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return ops / ((performance.now() - start) / 1000)
}

function summarize(values: number[]): LatencyResult {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length
  return { samples: sorted.length, p50Us: r1(at(0.5)), p99Us: r1(at(0.99)), meanUs: r1(mean) }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function r1(n: number): number {
  return Math.round(n * 10) / 10
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000
}

/** The machine a result came from: results are only comparable on the same one. */
export function machine(): Record<string, unknown> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
}

/** Writes `bench/results/<name>.json` and returns its path. */
export async function writeResult(name: string, result: unknown): Promise<string> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results')
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${name}.json`)
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`)
  return path
}
