/**
 * A real SMTP server for tests (the `smtp-server` package) that keeps every message it
 * accepts, with a helper that waits for the next message to an address.
 *
 * @module
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** One accepted message. */
export interface ReceivedMail {
  readonly to: string[]
  /** The raw message (headers and body), quoted-printable soft breaks undone. */
  readonly raw: string
}

/** A running test mail server. */
export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>` for `SMTP_URL`. */
  readonly url: string
  readonly messages: ReceivedMail[]
  /** Resolves with the first message to `to` after `from` messages (polling; bounded). */
  waitFor(to: string, from?: number, timeoutMs?: number): Promise<ReceivedMail>
  stop(): Promise<void>
}

/** Undoes quoted-printable encoding (soft line breaks and `=XX` escapes). */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/** Starts an SMTP server on a free port (no TLS, no auth: a local test double of a mail relay). */
export async function startSmtp(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, from = 0, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = messages.slice(from).find((m) => m.to.includes(to.toLowerCase()))
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The first campus link (`/auth/link?token=…` or `/auth/onboarding?token=…`) in a message. */
export function linkIn(mail: ReceivedMail): string {
  const match = /https?:\/\/[^\s]+\/auth\/(?:link|onboarding)\?token=[A-Za-z0-9_-]{43}/.exec(
    mail.raw,
  )
  if (!match) throw new Error(`no sign-in link in:\n${mail.raw}`)
  return match[0]
}
