/**
 * Mail: {@link createMailer} picks SMTP (`SMTP_URL`) or the outbox table.
 * @module
 */
import type { Database } from '../db/client.js'
import type { Mailer } from './mailer.js'
import { createOutboxMailer } from './outbox.js'
import { createSmtpMailer } from './smtp.js'

export { type MailDelivery, MailError, type Mailer, type MailMessage } from './mailer.js'
export { listOutbox, type OutboxMessage } from './outbox.js'

/** Options of {@link createMailer}. */
export interface MailerOptions {
  db: Database
  /** SMTP URL; undefined → the outbox table. */
  smtpUrl: string | undefined
  /** @default 'Campus <no-reply@campus.example>' */
  from?: string
}

/**
 * The mailer campus uses.
 * @example const mailer = createMailer({ db, smtpUrl: process.env.SMTP_URL })
 */
export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) {
    return createSmtpMailer({
      url: options.smtpUrl,
      from: options.from ?? 'Campus <no-reply@campus.example>',
    })
  }
  return createOutboxMailer(options.db)
}
