/**
 * The Outbox page: mail campus wrote instead of sending (no `SMTP_URL`), for an organisation's
 * administrators. Shows only the signed-in administrator's organisation.
 *
 * @module
 */
import type { OutboxMessage } from '../../mail/index.js'
import { Layout } from '../layout.js'

/** `GET /outbox`. */
export function OutboxPage({ orgId, messages }: { orgId: string; messages: OutboxMessage[] }) {
  return (
    <Layout title="Outbox">
      <h1>Outbox</h1>
      <p class="meta">
        Mail for {orgId} written here because no mail server is configured (newest first).
      </p>
      {messages.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <ul class="plain outbox">
          {messages.map((m) => (
            <li>
              <article class="card">
                <h2>{m.subject}</h2>
                <p class="meta">
                  To {m.recipient} · {m.createdAt.toISOString()}
                </p>
                <pre>{m.textBody}</pre>
              </article>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}
