/**
 * The SMTP transport: nodemailer over `SMTP_URL` (`smtp://user:pass@host:587`,
 * `smtps://…` for implicit TLS). Bounded timeouts, so a dead mail server fails a request rather
 * than hanging it.
 *
 * @module
 */
import nodemailer from 'nodemailer'
import { MailError, type Mailer } from './mailer.js'

/** Options of {@link createSmtpMailer}. */
export interface SmtpMailerOptions {
  /** `smtp://` or `smtps://` URL. */
  url: string
  /** The From address. */
  from: string
}

/** A {@link Mailer} that sends through an SMTP server. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const url = new URL(options.url)
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? {
          auth: {
            user: decodeURIComponent(url.username),
            pass: decodeURIComponent(url.password),
          },
        }
      : {}),
    // Opportunistic STARTTLS unless the URL asks for more; a local test server offers none.
    ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  })
  return {
    transport: 'smtp',
    async send(message) {
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
        })
        return { via: 'smtp', messageId: String(info.messageId) }
      } catch (error) {
        throw new MailError(`SMTP delivery to the mail server failed`, { cause: error })
      }
    },
    async close() {
      transporter.close()
    },
  }
}
