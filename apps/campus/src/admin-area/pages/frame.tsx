/**
 * The admin area's page frame: the site layout with the admin navigation, the admin styles and
 * the notice line a form post redirects back with.
 *
 * @module
 */
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { Layout } from '../../web/layout.js'
import type { AdminAccess } from '../access.js'

/** Admin pages, in navigation order; `operator` pages need a campus-wide operator. */
export const ADMIN_PAGES = [
  { path: '/admin/login-link-requests', label: 'Login-link requests', operator: false },
  { path: '/admin/users', label: 'Users', operator: false },
  { path: '/admin/cache', label: 'Cache', operator: true },
  { path: '/admin/flags', label: 'Flags', operator: true },
  { path: '/admin/cache/clear', label: 'Clear cache', operator: true },
] as const

// A constant, never data.
const CSS = raw(`
nav.admin ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; margin: 0 0 1rem; }
nav.admin [aria-current="page"] { font-weight: 700; color: var(--ink); }
table.admin { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
table.admin th, table.admin td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
table.admin form { display: inline; }
button.secondary { background: var(--bg); color: var(--accent); }
button.danger { background: #b42318; border-color: #b42318; }
.badge { display: inline-block; min-width: 2rem; text-align: center; font-weight: 700; font-size: 1.2rem;
  border-radius: 1rem; padding: .1rem .6rem; background: #fff4e5; border: 1px solid #f5a623; }
.notice { padding: .5rem .75rem; border-radius: 6px; background: var(--soft); border: 1px solid var(--line); }
.notice.error { border-color: #b42318; }
.stats { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); padding: 0; list-style: none; }
.stats li { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; }
.stats strong { display: block; font-size: 1.3rem; }
figure.chart { margin: 0 0 1.5rem; }
figure.chart figcaption { font-size: .9rem; color: var(--muted); }
.legend { margin-left: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; }
label.field { display: block; margin: .5rem 0; }
`)

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
      <style>{CSS}</style>
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
