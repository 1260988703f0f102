#!/usr/bin/env node
// Runs the test suite while two CPU-burning processes compete for the machine, as on a shared CI
// runner. A test that only passes on an idle machine fails here.
//
//   npm run test:stress                        # whole suite, once
//   npm run test:stress -- --runs 5            # five runs in a row; stops at the first failure
//   npm run test:stress -- --project satchel   # anything else is passed to `vitest run`
//   npm run test:stress -- --burners 3         # more competition (default 2)
//
// Prints each run's summary lines (Test Files / Tests / Duration) and a final verdict; exits
// non-zero when a run fails.
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  if (i === -1) return fallback
  const value = Number(args[i + 1])
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} expects a non-negative integer`)
    process.exit(2)
  }
  args.splice(i, 2)
  return value
}
const runs = Math.max(1, option('--runs', 1))
const burnerCount = option('--burners', 2)

/** A process that spins on one core until it is killed. */
function burner() {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
}

const burners = Array.from({ length: burnerCount }, burner)
const stopBurners = () => {
  for (const child of burners) if (child.exitCode === null) child.kill('SIGKILL')
}
process.on('exit', stopBurners)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBurners()
    process.exit(130)
  })
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters
const ANSI = /\u001b\[[0-9;]*m/g
const SUMMARY = /^\s*(Test Files|Tests|Duration)\s/

/** One `vitest run`, output passed through; resolves to its exit code and summary lines. */
function runSuite() {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
    })
    let tail = ''
    const summary = []
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      const lines = (tail + chunk.toString('utf8')).split('\n')
      tail = lines.pop() ?? ''
      for (const line of lines) {
        const plain = line.replace(ANSI, '')
        if (SUMMARY.test(plain)) summary.push(plain.trim())
      }
    })
    child.on('close', (code) => {
      const plain = tail.replace(ANSI, '')
      if (SUMMARY.test(plain)) summary.push(plain.trim())
      resolve({ code: code ?? 1, summary })
    })
  })
}

console.log(
  `test:stress: ${burnerCount} CPU burners on ${availableParallelism()} cores, ${runs} run(s): vitest run ${args.join(' ')}`,
)
const results = []
for (let i = 1; i <= runs; i++) {
  console.log(`\n── test:stress run ${i}/${runs} ──`)
  const result = await runSuite()
  results.push(result)
  if (result.code !== 0) break
}
stopBurners()

console.log('\n── test:stress summary ──')
results.forEach((r, i) => {
  console.log(`run ${i + 1}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}`)
  for (const line of r.summary) console.log(`  ${line}`)
})
const passed = results.filter((r) => r.code === 0).length
console.log(`${passed} of ${runs} run(s) passed${passed === runs ? ' in a row' : ''}`)
process.exitCode = passed === runs ? 0 : 1
