/**
 * Packs satchel once per run, before any test file starts (the pack swaps package.json's
 * exports for a moment, which no concurrently running test may see), and provides the tarball
 * to the packaging test and the Next.js example's tests.
 */
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { TestProject } from 'vitest/node'
import { packSatchel } from './pack.js'

declare module 'vitest' {
  export interface ProvidedContext {
    satchelTarball: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = performance.now()
  const tarball = await packSatchel()
  console.log(`satchel packed in ${Math.round(performance.now() - started)} ms: ${tarball}`)
  project.provide('satchelTarball', tarball)
  return () => rmSync(dirname(tarball), { recursive: true, force: true })
}
