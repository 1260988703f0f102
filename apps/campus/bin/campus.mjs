#!/usr/bin/env node
// The `campus` command. Commands are written in TypeScript and run through tsx, so the
// launcher registers tsx's ESM loader before importing them.
import { register } from 'tsx/esm/api'

const USAGE = `Usage: campus <command> [options]

Commands:
  seed   generate a data set and write it to the database (campus seed --help)
  import scorm <zip> --org <id>
         import a SCORM 1.2 or 2004 package (campus import scorm --help)
  help   show this message
`

const [command, ...args] = process.argv.slice(2)

if (command === 'seed') {
  register()
  const { seedCommand } = await import('../src/cli/seed.ts')
  process.exitCode = await seedCommand(args, process.env, process)
} else if (command === 'import' && args[0] === 'scorm') {
  register()
  const { importScormCommand } = await import('../src/cli/import-scorm.ts')
  process.exitCode = await importScormCommand(args.slice(1), process.env, process)
} else if (
  command === undefined ||
  command === 'help' ||
  command === '--help' ||
  command === '-h'
) {
  process.stdout.write(USAGE)
} else {
  process.stderr.write(`campus: unknown command ${JSON.stringify(command)}\n\n${USAGE}`)
  process.exitCode = 2
}
