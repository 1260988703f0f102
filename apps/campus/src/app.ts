import { Hono } from 'hono'
import { courseBuilderRoutes } from './admin/routes.js'
import { externalImportRoutes } from './admin-area/external-imports/routes.js'
import { IXL_UPLOAD_LIMIT_BYTES, IXL_UPLOAD_PATH } from './admin-area/external-imports/upload.js'
import { importRoutes } from './admin-area/imports/routes.js'
import { UPLOAD_PATH } from './admin-area/imports/upload.js'
import { loginLinkRequestPage } from './admin-area/login-links/page.js'
import { loginLinkRoutes } from './admin-area/login-links/routes.js'
import { adminPageRoutes } from './admin-area/pages/routes.js'
import { SCORM_UPLOAD_PATH, scormAdminRoutes } from './admin-area/scorm/routes.js'
import { userRoutes } from './admin-area/users/routes.js'
import { cohortRoutes } from './analytics/cohorts/routes.js'
import { analyticsSettingsRoutes } from './analytics/cohorts/settings-page.js'
import { dashboardRoutes } from './analytics/dashboards/routes.js'
import { reportRoutes } from './analytics/reports/routes.js'
import { searchRoutes } from './analytics/search/routes.js'
import { csrfProtection } from './auth/csrf.js'
import { campusRequest } from './auth/middleware.js'
import { authRoutes } from './auth/routes.js'
import type { CampusDeps } from './deps.js'
import { dispatchRoutes } from './dispatch/routes.js'
import { requestMetricsMiddleware } from './ops/request-metrics.js'
import { opsRoutes } from './ops/routes.js'
import { practiceRoutes } from './practice/routes.js'
import { scormLearnerRoutes } from './scorm/routes/learner.js'
import { requestBodyLimit } from './security/body-limit.js'
import { throttleNotFound } from './security/failure-throttle.js'
import { securityHeaders } from './security/headers.js'
import { assetRoutes } from './web/assets/index.js'
import { contentRoutes } from './web/routes.js'

export type { CampusDeps } from './deps.js'

/** Room for a form's boundaries and text fields around an uploaded file. */
const MULTIPART_FRAMING_BYTES = 64 * 1024

/**
 * Builds the campus HTTP application. Pure: no listening socket, so tests call `app.request()`
 * and `main.ts` serves it. Operations and admin routes are mounted before the content pages,
 * whose `/:subject/…` patterns would otherwise match them.
 */
export function createApp(deps: CampusDeps): Hono {
  const app = new Hono()
  // First, so it times every request and sees the final status of each.
  app.use('*', requestMetricsMiddleware(deps.opsMetrics.requests))
  app.use(securityHeaders())
  // Uploads have their own, larger bounds: the OneRoster zip streams to disk under its own limit
  // (admin-area/imports/upload.ts); an IXL export streams to disk under its limit plus the
  // multipart framing; a SCORM package may be as large as the zip limit (plus the framing).
  const bodyLimit = requestBodyLimit(deps.bodyLimitBytes, {
    [IXL_UPLOAD_PATH]: IXL_UPLOAD_LIMIT_BYTES + MULTIPART_FRAMING_BYTES,
    [SCORM_UPLOAD_PATH]: deps.scorm.limits.maxZipBytes + MULTIPART_FRAMING_BYTES,
  })
  app.use((c, next) =>
    c.req.method === 'POST' && c.req.path === UPLOAD_PATH ? next() : bodyLimit(c, next),
  )
  app.use('*', campusRequest(deps.auth))
  app.use('*', csrfProtection())
  app.use('*', throttleNotFound(deps.notFoundThrottle))
  app.route('/', opsRoutes(deps))
  app.route('/', authRoutes(deps))
  app.route('/', courseBuilderRoutes(deps))
  app.route('/', loginLinkRoutes(deps))
  app.route('/', loginLinkRequestPage(deps))
  app.route('/', userRoutes(deps))
  app.route('/', scormAdminRoutes(deps))
  app.route('/', adminPageRoutes(deps))
  app.route('/', analyticsSettingsRoutes(deps))
  app.route('/', practiceRoutes(deps))
  app.route('/', searchRoutes(deps))
  app.route('/', reportRoutes(deps))
  app.route('/', cohortRoutes(deps))
  app.route('/', dashboardRoutes(deps))
  app.route('/', externalImportRoutes(deps))
  app.route('/', importRoutes(deps))
  app.route('/', dispatchRoutes(deps))
  app.route('/', scormLearnerRoutes(deps))
  app.route('/', assetRoutes())
  app.route('/', contentRoutes(deps))
  return app
}
