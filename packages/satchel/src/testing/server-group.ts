import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trackDir, untrackDir } from './process-registry.js'
import { launchRedisServer, type RedisServer, type ServerLaunchConfig } from './redis-server.js'

/** How to launch one member of a {@link ServerGroup}: `name` is its sub-directory. */
export type MemberConfig = Omit<ServerLaunchConfig, 'dir' | 'ownsDir'> & { name: string }

/**
 * Servers that live in one temp directory and are stopped together: the nodes of a cluster, or
 * a master with its replicas and sentinels. Each server has a sub-directory it does not own, so
 * a single server's `stop()` keeps its files for a `restart()`; the group's `stop()` removes all.
 */
export class ServerGroup {
  readonly dir: string
  readonly #servers: RedisServer[] = []
  #stopped = false

  private constructor(dir: string) {
    this.dir = dir
  }

  /**
   * Creates the group's directory (removed on process exit like any test server's), runs
   * `setup`, and if it throws kills every server started so far, removes the directory and
   * rethrows.
   */
  static async build<T>(prefix: string, setup: (group: ServerGroup) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), prefix))
    trackDir(dir)
    const group = new ServerGroup(dir)
    try {
      return await setup(group)
    } catch (error) {
      await group.kill()
      await group.#removeDir()
      throw error
    }
  }

  /** Every server launched so far, in launch order. */
  get servers(): readonly RedisServer[] {
    return this.#servers
  }

  /**
   * Launches servers in parallel, each in `dir/<name>`; resolves in the order of `configs`.
   * Every server that starts joins the group even when another fails, so it is cleaned up.
   */
  async launch(configs: readonly MemberConfig[]): Promise<RedisServer[]> {
    const results = await Promise.allSettled(
      configs.map(({ name, ...config }) =>
        launchRedisServer({ ...config, dir: join(this.dir, name), ownsDir: false }),
      ),
    )
    const started: RedisServer[] = []
    for (const result of results) if (result.status === 'fulfilled') started.push(result.value)
    this.#servers.push(...started)
    const failure = results.find((result) => result.status === 'rejected')
    if (failure) throw failure.reason
    return started
  }

  /** Stops every server gracefully and removes the directory. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return
    await Promise.all(this.#servers.map((server) => server.stop()))
    await this.#removeDir()
    this.#stopped = true
  }

  /** Kills every server with SIGKILL, as a power cut would. `stop()` still cleans up after it. */
  async kill(): Promise<void> {
    await Promise.all(this.#servers.map((server) => server.kill()))
  }

  async #removeDir(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
    untrackDir(this.dir)
  }
}
