/**
 * The one page frame every content page shares: document head with inline CSS (no external
 * assets), a skip link, the site header, breadcrumbs and the main landmark.
 *
 * @module
 */

import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { PageViewer } from '../practice/viewer.js'

/** One step of the breadcrumb trail; the last one is the current page and has no link. */
export interface Crumb {
  label: string
  path?: string
}

/** Props of {@link Layout}. */
export interface LayoutProps {
  /** The document title (the page heading; the site name is appended). */
  title: string
  breadcrumbs?: Crumb[]
  /**
   * Who is looking: a learner gets "My progress" in the header, anyone signed in their name,
   * nobody a sign-in link. Undefined (pages outside the content area) → no header links.
   */
  viewer?: PageViewer | undefined
  children?: Child
}

/**
 * The page CSS, inlined in every document. The Content-Security-Policy allows exactly this text
 * by its hash (`security/headers.ts`), so any other inline style is refused.
 */
export const PAGE_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --accent: #0a5bd3; --bg: #fff; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f5a623;
  outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }
header.site { border-bottom: 1px solid var(--line); padding: .75rem 1.5rem; }
header.site { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
header.site a { font-weight: 700; text-decoration: none; color: var(--ink); }
header.site nav a { font-weight: 400; color: var(--accent); margin-left: 1rem; }
.progress { font-size: .8rem; border-radius: 4px; padding: 0 .35rem; margin-left: .4rem;
  border: 1px solid var(--line); }
.progress.done { border-color: #1a7f37; color: #1a7f37; }
.notice { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem;
  background: var(--soft); }
.score { font-size: 1.5rem; font-weight: 700; }
.right { color: #1a7f37; }
.wrong { color: #cf222e; }
table.attempts { border-collapse: collapse; width: 100%; }
table.attempts th, table.attempts td { text-align: left; padding: .3rem .5rem;
  border-bottom: 1px solid var(--line); }
.wrap { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
nav.crumbs ol { list-style: none; padding: 0; margin: 0 0 1rem; display: flex;
  flex-wrap: wrap; gap: .25rem; color: var(--muted); font-size: .9rem; }
nav.crumbs li + li::before { content: "/"; margin-right: .25rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .25rem 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1rem 0 .25rem; }
.meta { color: var(--muted); font-size: .9rem; }
.kind { display: inline-block; font-size: .75rem; text-transform: uppercase;
  letter-spacing: .04em; color: var(--muted); border: 1px solid var(--line);
  border-radius: 4px; padding: 0 .35rem; margin-right: .4rem; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { padding: .2rem 0; }
.cards { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
  list-style: none; padding: 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; background: var(--soft); }
.card h2, .card h3 { margin-top: 0; }
section.unit { border-top: 1px solid var(--line); }
.lesson-frame { display: grid; gap: 2rem; grid-template-columns: 15rem 1fr; }
@media (max-width: 48rem) { .lesson-frame { grid-template-columns: 1fr; } }
.lesson-nav { border-right: 1px solid var(--line); padding-right: 1rem; }
.lesson-nav [aria-current="page"] { font-weight: 700; color: var(--ink); }
.video { position: relative; aspect-ratio: 16 / 9; background: #000; }
.video iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; }
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1rem; padding: 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
label.choice { display: block; padding: .2rem 0; }
button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; }
form.search { display: flex; gap: .4rem; align-items: center; }
form.search input, form.search select { font: inherit; padding: .25rem .4rem; }
form.search button { padding: .25rem .6rem; }
.pager { display: flex; justify-content: space-between; margin-top: 2rem; }
figure.chart { margin: 1.5rem 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-weight: 600; margin-top: .25rem; }
table.chart-data { border-collapse: collapse; margin-top: .5rem; }
table.chart-data th, table.chart-data td { text-align: right; padding: .2rem .6rem;
  border-bottom: 1px solid var(--line); }
`
// A constant, never data: `raw` keeps selectors and quotes intact (JSX would escape them).
const CSS = raw(PAGE_CSS)

/** The breadcrumb trail (subject → course → unit → lesson → page). */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  if (items.length === 0) return null
  return (
    <nav class="crumbs" aria-label="Breadcrumb">
      <ol>
        {items.map((item, i) =>
          item.path !== undefined && i < items.length - 1 ? (
            <li>
              <a href={item.path}>{item.label}</a>
            </li>
          ) : (
            <li aria-current="page">{item.label}</li>
          ),
        )}
      </ol>
    </nav>
  )
}

/** The header's links for `viewer`. */
function SiteNav({ viewer }: { viewer: PageViewer | undefined }) {
  if (viewer === undefined) return null
  if (viewer.kind === 'anonymous') {
    return (
      <nav aria-label="Account">
        <a href="/login">Sign in</a>
      </nav>
    )
  }
  return (
    <nav aria-label="Account">
      <a href="/dashboard">Dashboard</a>
      {viewer.kind === 'learner' ? <a href="/me/progress">My progress</a> : null}
      {/* Cohorts are for staff (teachers: their classes; administrators: everything). */}
      {viewer.kind === 'member' && viewer.role !== 'student' ? (
        <a href="/cohorts">Cohorts</a>
      ) : null}
      <a href="/account">{viewer.name}</a>
    </nav>
  )
}

/**
 * The header's search box: a plain GET form to `/search` (works without JavaScript). Learners
 * search courses only, so their form fixes the type.
 */
function SearchBox({ viewer }: { viewer: PageViewer | undefined }) {
  if (viewer === undefined || viewer.kind === 'anonymous') return null
  return (
    <search>
      <form class="search" action="/search" method="get">
        <label for="site-search">Search</label>
        <input id="site-search" name="q" type="search" maxlength={100} required />
        {viewer.kind === 'learner' ? (
          <input type="hidden" name="type" value="courses" />
        ) : (
          <select name="type" aria-label="Search for">
            <option value="students">Students</option>
            <option value="classes">Classes</option>
            <option value="courses">Courses</option>
          </select>
        )}
        <button type="submit">Go</button>
      </form>
    </search>
  )
}

/** The page frame. */
export function Layout({ title, breadcrumbs = [], viewer, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Campus`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <a href="/">Campus</a>
          <SearchBox viewer={viewer} />
          <SiteNav viewer={viewer} />
        </header>
        <div class="wrap">
          <Breadcrumbs items={breadcrumbs} />
          <main id="main">{children}</main>
        </div>
      </body>
    </html>
  )
}
