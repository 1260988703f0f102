// A bench worker for the multi-process stampede (scenario 4): builds one contender and fires
// concurrent cold getOrSet calls at one key on command. Started by `cache.ts` via startWorkers.
import { serveCommands } from '../src/testing/index.js'
import { type Contender, createContender, type Product } from './cache-contenders.js'
import { stampedeWith } from './cache-stampede.js'

let contender: Contender | undefined

serveCommands({
  setup: async (args: { product: Product; url: string }) => {
    contender = await createContender(args.product, args.url, 'tiered')
    // One round trip so the connection is up before the timed part.
    await contender.getOrSet(contender.key('warmup', process.pid), async () => 1)
    return true
  },
  stampede: (args: { key: (string | number)[]; requests: number; factoryMs: number }) =>
    stampede(args.key, args.requests, args.factoryMs),
  close: async () => {
    await contender?.close()
    return true
  },
})

function stampede(keyParts: (string | number)[], requests: number, factoryMs: number) {
  if (!contender) throw new Error('setup first')
  return stampedeWith(contender, keyParts, requests, factoryMs)
}
