/**
 * Outgoing mail. One interface, two transports: SMTP through nodemailer when `SMTP_URL` is set,
 * else the `mail_outbox` table, so the sign-in flows work on a bare `npm start` and
 * administrators read their org's mail on the Outbox page.
 *
 * @module
 */

/** One message. `orgId` files it under the organisation it concerns (the outbox is per org). */
export interface MailMessage {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html?: string | undefined
  /** The organisation the message concerns; null for campus-wide mail. */
  readonly orgId: string | null
}

/** Where a message went. */
export type MailDelivery =
  | { readonly via: 'smtp'; readonly messageId: string }
  | {
      readonly via: 'outbox'
      readonly id: string
    }

/**
 * Sends mail. `send` resolves once the SMTP server accepted the message (or the outbox row is
 * written) and rejects with a {@link MailError} otherwise.
 *
 * @example await deps.mailer.send({ to: 'a@school.example', subject: 'Hi', text: 'Hello', orgId })
 */
export interface Mailer {
  readonly transport: 'smtp' | 'outbox'
  send(message: MailMessage): Promise<MailDelivery>
  close(): Promise<void>
}

/** A message could not be handed over. */
export class MailError extends Error {
  readonly code = 'E_MAIL_SEND'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MailError'
  }
}
