/**
 * The page where someone who cannot sign in asks their school for a login link
 * (`GET|POST /login-link-request`): a plain form (no script), answered with the same
 * "request sent" page whether or not the email has an account; field errors are shown beside
 * the form, and a refusal by the rate limit is a 429 page.
 *
 * @module
 */
import { asc, eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { orgs } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { Layout } from '../../web/layout.js'
import { fileLoginLinkRequest, RECEIVED } from './create.js'
import { MESSAGE_MAX } from './schemas.js'

/** Where the page lives. */
export const REQUEST_PAGE_PATH = '/login-link-request'

function RequestForm(props: {
  schools: readonly { id: string; name: string }[]
  errors?: readonly { field: string; message: string }[]
  notice?: string
}) {
  const errorOf = (field: string) => props.errors?.find((e) => e.field === field)?.message
  return (
    <Layout title="Ask your school for a login link">
      <h1>Ask your school for a login link</h1>
      <p>
        If you cannot sign in, your school's administrators can send you a link that signs you in
        once. They see your email and your message.
      </p>
      {props.notice ? (
        <p class="meta" role="alert">
          {props.notice}
        </p>
      ) : null}
      <form method="post" action={REQUEST_PAGE_PATH}>
        <p>
          <label>
            School{' '}
            <select name="orgId" required>
              {props.schools.map((s) => (
                <option value={s.id}>{s.name}</option>
              ))}
            </select>
          </label>
          {errorOf('orgId') ? <span role="alert"> {errorOf('orgId')}</span> : null}
        </p>
        <p>
          <label>
            Email <input type="email" name="email" required autocomplete="email" />
          </label>
          {errorOf('email') ? <span role="alert"> {errorOf('email')}</span> : null}
        </p>
        <p>
          <label>
            Message (optional)
            <br />
            <textarea name="message" rows={3} cols={50} maxlength={MESSAGE_MAX} />
          </label>
        </p>
        <button type="submit">Send request</button>
      </form>
    </Layout>
  )
}

async function schools(deps: CampusDeps) {
  return deps.database.db
    .select({ id: orgs.sourcedId, name: orgs.name })
    .from(orgs)
    .where(eq(orgs.type, 'school'))
    .orderBy(asc(orgs.name))
}

async function html(c: Context, page: unknown, status: 200 | 400 | 429 = 200) {
  return c.html(`<!DOCTYPE html>${await page}`, status, { 'cache-control': 'no-store' })
}

/** The page routes. */
export function loginLinkRequestPage(deps: CampusDeps): Hono {
  const app = new Hono()
  app.get(REQUEST_PAGE_PATH, async (c) => html(c, <RequestForm schools={await schools(deps)} />))
  app.post(REQUEST_PAGE_PATH, async (c) => {
    const outcome = await fileLoginLinkRequest(c, deps)
    if (outcome.kind === 'limited') {
      const page = await html(
        c,
        <RequestForm
          schools={await schools(deps)}
          notice="Too many requests from here; try again later."
        />,
        429,
      )
      for (const [name, value] of outcome.response.headers) {
        if (name !== 'content-type' && name !== 'content-length') page.headers.set(name, value)
      }
      return page
    }
    if (outcome.kind === 'invalid') {
      return outcome.apply(
        await html(
          c,
          <RequestForm schools={await schools(deps)} errors={outcome.error.errors} />,
          400,
        ),
      )
    }
    return outcome.apply(
      await html(
        c,
        <Layout title="Request sent">
          <h1>Request sent</h1>
          <p>{RECEIVED.detail}</p>
          <p>
            <a href="/login">Back to sign-in</a>
          </p>
        </Layout>,
      ),
    )
  })
  return app
}
