/**
 * The admin area's page frame: the site layout with the admin navigation, the admin stylesheet
 * (a static asset: the Content-Security-Policy admits no inline style) and the notice line a
 * form post redirects back with.
 *
 * @module
 */
import type { Child } from 'hono/jsx'
import { assetUrl } from '../../web/assets/index.js'
import { Layout } from '../../web/layout.js'
import type { AdminAccess } from '../access.js'

/** Admin pages, in navigation order; `operator` pages need a campus-wide operator. */
export const ADMIN_PAGES = [
  { path: '/admin/login-link-requests', label: 'Login-link requests', operator: false },
  { path: '/admin/users', label: 'Users', operator: false },
  { path: '/admin/ixl-import', label: 'IXL import', operator: false },
  { path: '/admin/imports', label: 'Imports', operator: false },
  { path: '/admin/tenants', label: 'Tenants', operator: false },
  { path: '/admin/scorm', label: 'SCORM packages', operator: false },
  { path: '/admin/analytics', label: 'Analytics', operator: false },
  { path: '/admin/cache', label: 'Cache', operator: true },
  { path: '/admin/flags', label: 'Flags', operator: true },
  { path: '/admin/cache/clear', label: 'Clear cache', operator: true },
] as const

/** Props of {@link AdminFrame}. */
export interface AdminFrameProps {
  title: string
  access: AdminAccess
  current: string
  notice?: { text: string; error: boolean } | undefined
  /** Client scripts from /assets (never inline: the CSP refuses them). */
  scripts?: readonly string[]
  children?: Child
}

/** The frame of every admin page. */
export function AdminFrame(props: AdminFrameProps) {
  const pages = ADMIN_PAGES.filter((p) => !p.operator || props.access.kind === 'operator')
  return (
    <Layout
      title={props.title}
      breadcrumbs={[{ label: 'Admin', path: '/admin' }, { label: props.title }]}
    >
      <link rel="stylesheet" href={assetUrl('admin.css')} />
      <nav class="admin" aria-label="Admin">
        <ul>
          {pages.map((p) => (
            <li>
              {p.path === props.current ? (
                <a href={p.path} aria-current="page">
                  {p.label}
                </a>
              ) : (
                <a href={p.path}>{p.label}</a>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <h1>{props.title}</h1>
      <p class="meta">
        {props.access.kind === 'operator'
          ? 'Campus operator: every organisation.'
          : `Administrator of ${props.access.orgId}.`}
      </p>
      {props.notice ? (
        <p class={props.notice.error ? 'notice error' : 'notice'} role="status">
          {props.notice.text}
        </p>
      ) : null}
      {props.children}
      {(props.scripts ?? []).map((src) => (
        <script src={src} defer />
      ))}
    </Layout>
  )
}
