/**
 * The outbox transport: with no SMTP server configured, mail is written to `mail_outbox`, where
 * an organisation's administrators read it (the Outbox page).
 *
 * @module
 */
import { and, desc, eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { mailOutbox } from '../db/schema.js'
import { MailError, type Mailer } from './mailer.js'

/** A {@link Mailer} that stores messages in the database. */
export function createOutboxMailer(db: Database): Mailer {
  return {
    transport: 'outbox',
    async send(message) {
      try {
        const [row] = await db
          .insert(mailOutbox)
          .values({
            orgSourcedId: message.orgId,
            recipient: message.to,
            subject: message.subject,
            textBody: message.text,
            htmlBody: message.html ?? null,
          })
          .returning({ id: mailOutbox.id })
        if (!row) throw new Error('no row returned')
        return { via: 'outbox', id: row.id }
      } catch (error) {
        throw new MailError('writing the message to the outbox failed', { cause: error })
      }
    },
    async close() {},
  }
}

/** A message in the outbox. */
export type OutboxMessage = typeof mailOutbox.$inferSelect

/**
 * An organisation's outbox, newest first (for the Outbox page; always org-scoped).
 * @example const mail = await listOutbox(db, principal.orgId, { recipient: 'a@school.example' })
 */
export async function listOutbox(
  db: Database,
  orgId: string,
  options: { recipient?: string; limit?: number } = {},
): Promise<OutboxMessage[]> {
  const where = options.recipient
    ? and(eq(mailOutbox.orgSourcedId, orgId), eq(mailOutbox.recipient, options.recipient))
    : eq(mailOutbox.orgSourcedId, orgId)
  return db
    .select()
    .from(mailOutbox)
    .where(where)
    .orderBy(desc(mailOutbox.createdAt))
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
}
