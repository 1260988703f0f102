import { Registry } from 'prom-client'
import type { Duration, Satchel } from 'satchel'
import { type AdminAreaRuntime, createAdminAreaRuntime } from './admin-area/runtime.js'
import { type AuthRuntime, type AuthRuntimeOptions, createAuthRuntime } from './auth/runtime.js'
import { boundWarnings } from './content/bounded-warnings.js'
import { CONTENT_CACHE } from './content/cache-policy.js'
import type { ContentContext } from './content/context.js'
import { createContentMetrics } from './content/metrics.js'
import {
  type ContentSource,
  createBundleSource,
  createLegacySource,
  type LoaderFamily,
} from './content/source.js'
import type { DatabaseHandle } from './db/client.js'
import type { CampusLogger } from './logger.js'
import { createMailer, type Mailer } from './mail/index.js'
import { createOpsMetrics, type OpsMetrics } from './ops/ops-metrics.js'
import type { ScormContext } from './scorm/context.js'
import { createFsPackageStore } from './scorm/store/fs-store.js'
import type { PackageStore } from './scorm/store/package-store.js'
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './scorm/zip/limits.js'
import {
  createAdminThrottle,
  createNotFoundThrottle,
  type FailureThrottle,
} from './security/failure-throttle.js'

/** Everything the HTTP layer needs, built once per process. */
export interface CampusDeps {
  satchel: Satchel
  database: DatabaseHandle
  content: ContentContext
  /**
   * What learner pages read through: the bundle family, or the legacy one (only the egress
   * benchmark and the parity tests select it).
   */
  source: ContentSource
  /** What the course builder and admin tools read through (always legacy, as in the seed). */
  adminSource: ContentSource
  /** The Prometheus registry `/metrics` exposes. */
  registry: Registry
  /** Per-route HTTP and coordination metrics on {@link registry}. */
  opsMetrics: OpsMetrics
  logger: CampusLogger
  /** Bearer token of the admin APIs; undefined → they answer 503. */
  adminToken: string | undefined
  /** Bearer token `/metrics` requires; undefined → `/metrics` is open. */
  metricsToken: string | undefined
  /** Throttle of failed admin-token attempts per client address. */
  adminThrottle: FailureThrottle
  /** Throttle of 404 answers per client address. */
  notFoundThrottle: FailureThrottle
  /** Largest request body in bytes (docs/SECURITY.md). */
  bodyLimitBytes: number
  /** Process start (ms since epoch), for uptime. */
  startedAt: number
  /** Sign-in: sessions, rate limits, cookie policy (auth/runtime.ts). */
  auth: AuthRuntime
  /** Outgoing mail: SMTP, else the outbox table. */
  mailer: Mailer
  /** The admin area's per-process parts: pending counter, idempotency, limits, stats history. */
  adminArea: AdminAreaRuntime
  /** SCORM packages: their store, unpack limits and the manifest cache's satchel (docs/scorm.md). */
  scorm: ScormContext
}

/** Options of {@link createCampusDeps}. */
export interface CampusDepsOptions {
  satchel: Satchel
  database: DatabaseHandle
  logger: CampusLogger
  adminToken?: string | undefined
  /** Bearer token of `/metrics`. @default undefined (open) */
  metricsToken?: string | undefined
  /** Largest request body in bytes. @default DEFAULT_BODY_LIMIT_BYTES (1 MiB) */
  bodyLimitBytes?: number
  /**
   * Content warnings written per minute at most (`content/bounded-warnings.ts`).
   * @default undefined (unbounded; `main.ts` sets CONTENT_WARNINGS_PER_MINUTE)
   */
  warningsPerMinute?: number
  /** Keep content in the in-process cache tier. @default true */
  l1?: boolean
  /**
   * How long content stays fresh. @default CONTENT_CACHE.ttl (30 minutes). The egress
   * benchmark raises it: its slow legacy pass outlasts 30 minutes, and refreshes of keys that
   * went stale mid-run are not the steady state it measures.
   */
  contentTtl?: Duration
  /** Loader family of learner pages. @default 'bundle' */
  family?: LoaderFamily
  /** Sign-in settings (config.auth); every field has a default. */
  auth?: Omit<AuthRuntimeOptions, 'db' | 'satchel' | 'logger'>
  /** SMTP server; undefined → the outbox table. Ignored when `mailer` is given. */
  smtpUrl?: string | undefined
  /** @default 'Campus <no-reply@campus.example>' */
  mailFrom?: string
  /** A mailer built elsewhere (tests, tools). */
  mailer?: Mailer
  /** `CAMPUS_DATA_DIR`: SCORM package files go under `<dataDir>/scorm`. @default './.campus' */
  dataDir?: string
  /** A package store other than the filesystem one under {@link dataDir}. */
  packageStore?: PackageStore
  /** SCORM zip limits. @default DEFAULT_UNPACK_LIMITS */
  scormLimits?: Partial<UnpackLimits>
}

/** Default of {@link CampusDeps.bodyLimitBytes}; `HTTP_BODY_LIMIT` overrides it. */
export const DEFAULT_BODY_LIMIT_BYTES = 1_048_576

/** Wires the content context, metrics registry and the rest from the parts `main.ts` opened. */
export function createCampusDeps(options: CampusDepsOptions): CampusDeps {
  const registry = new Registry()
  const metrics = createContentMetrics(registry, options.satchel)
  const content: ContentContext = {
    db: options.database.db,
    satchel: options.satchel,
    logger:
      options.warningsPerMinute === undefined
        ? options.logger
        : boundWarnings(options.logger, options.warningsPerMinute),
    metrics,
    cache: {
      ...CONTENT_CACHE,
      ...(options.contentTtl === undefined ? {} : { ttl: options.contentTtl }),
      l1: options.l1 ?? CONTENT_CACHE.l1,
    },
  }
  const legacy = createLegacySource(content)
  const opsMetrics = createOpsMetrics(registry, options.satchel)
  const auth = createAuthRuntime({
    ...options.auth,
    db: options.database.db,
    satchel: options.satchel,
    logger: options.logger,
  })
  opsMetrics.coordination.watchSessionIndex(auth.sessions.index)
  return {
    satchel: options.satchel,
    database: options.database,
    content,
    source: options.family === 'legacy' ? legacy : createBundleSource(content),
    adminSource: legacy,
    registry,
    opsMetrics,
    logger: options.logger,
    adminToken: options.adminToken,
    metricsToken: options.metricsToken,
    adminThrottle: createAdminThrottle(options.satchel),
    notFoundThrottle: createNotFoundThrottle(options.satchel),
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    startedAt: Date.now(),
    auth,
    mailer:
      options.mailer ??
      createMailer({
        db: options.database.db,
        smtpUrl: options.smtpUrl,
        ...(options.mailFrom === undefined ? {} : { from: options.mailFrom }),
      }),
    adminArea: createAdminAreaRuntime(options.satchel, options.database.db, options.logger),
    scorm: {
      db: options.database.db,
      satchel: options.satchel,
      store:
        options.packageStore ?? createFsPackageStore({ dataDir: options.dataDir ?? './.campus' }),
      limits: { ...DEFAULT_UNPACK_LIMITS, ...options.scormLimits },
      logger: options.logger,
    },
  }
}
