/**
 * The frame of every dashboard view: the site layout, the admin stylesheet (it styles the SVG
 * charts; the Content-Security-Policy admits no inline style) and the "computed at" line.
 *
 * @module
 */
import type { Child } from 'hono/jsx'
import type { PageViewer } from '../../../practice/viewer.js'
import { assetUrl } from '../../../web/assets/index.js'
import { Layout } from '../../../web/layout.js'

/** Props of {@link DashboardFrame}. */
export interface DashboardFrameProps {
  title: string
  viewer: PageViewer
  computedAt: string
  children?: Child
}

/** The dashboard page frame. */
export function DashboardFrame(props: DashboardFrameProps) {
  return (
    <Layout title={props.title} breadcrumbs={[{ label: 'Dashboard' }]} viewer={props.viewer}>
      <link rel="stylesheet" href={assetUrl('admin.css')} />
      <h1>{props.title}</h1>
      <p class="meta">
        Figures as of <time datetime={props.computedAt}>{props.computedAt.slice(0, 19)}Z</time>{' '}
        (refreshed at least every minute).
      </p>
      {props.children}
    </Layout>
  )
}

/** A score as the pages print it. */
export function percent(value: number | null): string {
  return value === null ? '–' : `${value}%`
}

/** A refused dashboard (403), with the reason. */
export function DashboardRefusedPage(props: { viewer: PageViewer; message: string }) {
  return (
    <Layout title="Dashboard not available" viewer={props.viewer}>
      <h1>Dashboard not available</h1>
      <p class="notice">{props.message}</p>
      <p>
        <a href="/dashboard">Your dashboard</a>
      </p>
    </Layout>
  )
}
