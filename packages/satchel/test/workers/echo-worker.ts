import { serveCommands } from '../../src/testing/index.js'

serveCommands({
  echo: (args: { value: unknown }) => ({ value: args.value, index: process.env.WORKER_INDEX }),
  fail: () => {
    throw Object.assign(new Error('boom'), { code: 'E_TEST' })
  },
  hang: () => new Promise(() => {}),
})
