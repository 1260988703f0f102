/**
 * Sign-in pages: password login, magic-link request, the link confirmation, onboarding and the
 * account page. Plain HTML forms (no script, no inline handlers), so they work under a strict
 * Content-Security-Policy and without JavaScript. Field errors sit next to their fields and are
 * tied to them with `aria-describedby`.
 *
 * @module
 */
import type { FieldProblem } from '../../auth/errors.js'
import type { Principal } from '../../auth/principal.js'
import { Layout } from '../layout.js'

type Errors = readonly FieldProblem[]

function errorOf(errors: Errors, field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message
}

/** A labelled input with its error message, if any. */
function Field(props: {
  name: string
  label: string
  type?: string
  value?: string | undefined
  autocomplete?: string
  required?: boolean
  errors: Errors
}) {
  const error = errorOf(props.errors, props.name)
  const id = `f-${props.name}`
  return (
    <p class="field">
      <label for={id}>{props.label}</label>
      <br />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <span id={`${id}-error`} class="error" role="alert">
          {` ${props.label} ${error}.`}
        </span>
      ) : null}
    </p>
  )
}

/** A page-level message (an error or a notice). */
function Notice({ text, kind }: { text: string | undefined; kind: 'error' | 'info' }) {
  if (!text) return null
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  )
}

/** Props of {@link LoginPage}. */
export interface LoginPageProps {
  email?: string | undefined
  next?: string | undefined
  errors?: Errors
  message?: string | undefined
  info?: string | undefined
}

/** `GET /login`: email and password. */
export function LoginPage(props: LoginPageProps) {
  const errors = props.errors ?? []
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <Notice text={props.message} kind="error" />
      <Notice text={props.info} kind="info" />
      <form method="post" action="/login">
        <input type="hidden" name="next" value={props.next ?? ''} />
        <Field
          name="email"
          label="Email"
          type="email"
          value={props.email}
          autocomplete="username"
          errors={errors}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          errors={errors}
        />
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href="/login/magic">Email me a sign-in link instead</a>
      </p>
    </Layout>
  )
}

/** `GET /login/magic`: ask for a sign-in link. */
export function MagicRequestPage(props: {
  email?: string | undefined
  errors?: Errors
  sent?: boolean
  message?: string | undefined
}) {
  const errors = props.errors ?? []
  return (
    <Layout title="Email a sign-in link">
      <h1>Email a sign-in link</h1>
      <Notice text={props.message} kind="error" />
      {props.sent ? (
        <p class="notice info" role="status">
          If an account uses that address, a sign-in link is on its way. It works once and expires
          soon.
        </p>
      ) : null}
      <form method="post" action="/login/magic">
        <Field
          name="email"
          label="Email"
          type="email"
          value={props.email}
          autocomplete="username"
          errors={errors}
        />
        <button type="submit">Send link</button>
      </form>
      <p>
        <a href="/login">Sign in with a password</a>
      </p>
    </Layout>
  )
}

/**
 * `GET /auth/link?token=…`: a button that redeems the link. Redeeming on GET would let a mail
 * scanner that follows links use up the single-use token before its owner clicks.
 */
export function LinkPage(props: { token: string; message?: string | undefined }) {
  return (
    <Layout title="Sign in with your link">
      <h1>Sign in with your link</h1>
      <Notice text={props.message} kind="error" />
      {props.message ? (
        <p>
          <a href="/login/magic">Ask for a new link</a>
        </p>
      ) : (
        <form method="post" action="/auth/link">
          <input type="hidden" name="token" value={props.token} />
          <button type="submit">Sign in</button>
        </form>
      )}
    </Layout>
  )
}

/** Props of {@link OnboardingPage}. */
export interface OnboardingPageProps {
  /** The invitation token; absent when a signed-in user without a password onboards. */
  token?: string | undefined
  email: string
  givenName?: string | undefined
  familyName?: string | undefined
  preferredFirstName?: string | undefined
  errors?: Errors
  message?: string | undefined
}

/** `GET /auth/onboarding`: set a password and profile. */
export function OnboardingPage(props: OnboardingPageProps) {
  const errors = props.errors ?? []
  return (
    <Layout title="Set up your account">
      <h1>Set up your account</h1>
      <p>
        Signing in as <strong>{props.email}</strong>.
      </p>
      <Notice text={props.message} kind="error" />
      <form method="post" action="/auth/onboarding">
        {props.token ? <input type="hidden" name="token" value={props.token} /> : null}
        <Field
          name="givenName"
          label="First name"
          value={props.givenName}
          autocomplete="given-name"
          errors={errors}
        />
        <Field
          name="familyName"
          label="Last name"
          value={props.familyName}
          autocomplete="family-name"
          errors={errors}
        />
        <Field
          name="preferredFirstName"
          label="Preferred first name (optional)"
          value={props.preferredFirstName}
          autocomplete="nickname"
          required={false}
          errors={errors}
        />
        <Field
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          errors={errors}
        />
        <Field
          name="confirmPassword"
          label="Repeat the password"
          type="password"
          autocomplete="new-password"
          errors={errors}
        />
        <button type="submit">Save and continue</button>
      </form>
    </Layout>
  )
}

/** `GET /auth/onboarding` with a dead invitation. */
export function InvitationGonePage() {
  return (
    <Layout title="Invitation not valid">
      <h1>Invitation not valid</h1>
      <p>This invitation is invalid, expired or already used.</p>
      <p>
        <a href="/login">Sign in</a> or <a href="/login/magic">email yourself a sign-in link</a>.
      </p>
    </Layout>
  )
}

/** `GET /account`: who is signed in, and the sign-out buttons. */
export function AccountPage({ principal }: { principal: Principal }) {
  return (
    <Layout title="Your account">
      <h1>Your account</h1>
      <dl class="account">
        <dt>Name</dt>
        <dd data-testid="account-name">{principal.name}</dd>
        <dt>Email</dt>
        <dd data-testid="account-email">{principal.email}</dd>
        <dt>Role</dt>
        <dd data-testid="account-role">{principal.role}</dd>
        <dt>Organisation</dt>
        <dd data-testid="account-org">{principal.orgId}</dd>
      </dl>
      <form method="post" action="/logout">
        <button type="submit">Sign out</button>
      </form>
      <form method="post" action="/logout/everywhere">
        <button type="submit">Sign out everywhere</button>
      </form>
    </Layout>
  )
}

/** Any sign-in page answered 429: when to try again. */
export function TooManyAttemptsPage({ retryAfter }: { retryAfter: string | null }) {
  return (
    <Layout title="Too many attempts">
      <h1>Too many attempts</h1>
      <p role="alert">
        Too many attempts from here or for this account.
        {retryAfter ? ` Try again in ${retryAfter} seconds.` : ' Try again later.'}
      </p>
      <p>
        <a href="/login">Back to sign in</a>
      </p>
    </Layout>
  )
}
