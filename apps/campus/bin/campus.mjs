#!/usr/bin/env node
// The `campus` command. Commands are written in TypeScript and run through tsx, so the
// launcher registers tsx's ESM loader before importing them.
import { register } from 'tsx/esm/api'

const USAGE = `Usage: campus <command> [options]

Commands:
  seed                                   generate a data set and write it to the database (campus seed --help)
  import oneroster <dir|zip>             import a OneRoster 1.2 CSV set (campus import oneroster --help)
  export oneroster <dir|zip>             export the OneRoster tables as a CSV set
  import ixl <file.csv> --org <id>       import an IXL export (campus import ixl --help)
  import toddle <dir|--api> --org <id>   import Toddle data (campus import toddle --help)
  import scorm <zip> --org <id>          import a SCORM 1.2 or 2004 package (campus import scorm --help)
  help                                   show this message
`

const [command, ...args] = process.argv.slice(2)

if (command === 'seed') {
  register()
  const { seedCommand } = await import('../src/cli/seed.ts')
  process.exitCode = await seedCommand(args, process.env, process)
} else if (command === 'import' && args[0] === 'ixl') {
  register()
  const { importIxlCommand } = await import('../src/cli/import-ixl.ts')
  process.exitCode = await importIxlCommand(args.slice(1), process.env, process)
} else if (command === 'import' && args[0] === 'toddle') {
  register()
  const { importToddleCommand } = await import('../src/cli/import-toddle.ts')
  process.exitCode = await importToddleCommand(args.slice(1), process.env, process)
} else if ((command === 'import' || command === 'export') && args[0] === 'oneroster') {
  register()
  const cli = await import('../src/cli/oneroster.ts')
  const run = command === 'import' ? cli.importOneRosterCommand : cli.exportOneRosterCommand
  process.exitCode = await run(args.slice(1), process.env, process)
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
