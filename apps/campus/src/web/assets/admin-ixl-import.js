// Live progress of an import run on /admin/ixl-import/runs/:id: polls the run's counters every
// second until it ends, then reloads once to show its problems. Served as a static file
// (GET /assets/admin-ixl-import.js) because pages run under a CSP that refuses inline scripts.
const panel = document.querySelector('[data-import-run]')

if (panel && panel.getAttribute('data-status') === 'running') {
  const id = panel.getAttribute('data-import-run')
  const show = (key, value) => {
    const cell = panel.querySelector(`[data-counter="${key}"]`)
    if (cell) cell.textContent = String(value)
  }
  const poll = async () => {
    try {
      const res = await fetch(`/admin/ixl-import/runs/${encodeURIComponent(id)}/progress`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
      if (res.ok) {
        const run = await res.json()
        for (const key of Object.keys(run)) show(key, run[key])
        const seconds = (Date.now() - Date.parse(run.startedAt)) / 1000
        if (seconds > 0) show('rate', Math.round(run.rowsRead / seconds))
        panel.setAttribute('data-status', run.status)
        if (run.status !== 'running') {
          window.location.reload()
          return
        }
      }
    } catch {
      // A failed poll is retried on the next tick.
    }
    setTimeout(poll, 1000)
  }
  setTimeout(poll, 1000)
}
