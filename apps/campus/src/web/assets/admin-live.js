// The admin panel's live pending count: Server-Sent Events from
// /api/admin/login-link-requests/events, falling back to polling the count endpoint when the
// browser has no EventSource. Served as a static file (GET /assets/admin-live.js) because pages
// run under a CSP that refuses inline scripts.
const badge = document.querySelector('[data-pending-count]')

if (badge) {
  const org = badge.getAttribute('data-org')
  const query = org ? `?orgId=${encodeURIComponent(org)}` : ''
  const show = (pending) => {
    badge.textContent = String(pending)
    const plural = document.querySelector('[data-pending-plural]')
    if (plural) plural.textContent = pending === 1 ? 'request' : 'requests'
  }

  if (typeof EventSource === 'function') {
    const source = new EventSource(`/api/admin/login-link-requests/events${query}`)
    source.addEventListener('open', () => {
      badge.setAttribute('data-live', 'connected')
    })
    source.addEventListener('pending', (event) => {
      show(JSON.parse(event.data).pending)
    })
    // EventSource reconnects by itself; say so while it does.
    source.addEventListener('error', () => {
      badge.setAttribute('data-live', 'reconnecting')
    })
  } else {
    const poll = async () => {
      const res = await fetch(`/api/admin/login-link-requests/count${query}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
      if (res.ok) show((await res.json()).pending)
    }
    badge.setAttribute('data-live', 'polling')
    setInterval(poll, 5000)
  }
}
