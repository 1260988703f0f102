// The imports pages: upload a OneRoster zip (its bytes as the request body, so the server can
// stream it to disk), then follow the run by polling its JSON until it ends. Served as a static
// file (GET /assets/admin-import.js) because pages run under a CSP that refuses inline scripts.
const form = document.querySelector('[data-import-upload]')
if (form) {
  const status = form.querySelector('[data-upload-status]')
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const file = form.querySelector('input[type=file]').files[0]
    if (!file) return
    status.textContent = `Uploading ${file.name}…`
    const res = await fetch(form.getAttribute('data-endpoint'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/zip', 'x-file-name': file.name },
      body: file,
    })
    const body = await res.json().catch(() => ({}))
    if (res.status === 202 && body.location) {
      window.location.assign(body.location)
    } else {
      status.textContent = `Refused: ${body.detail ?? res.statusText}`
    }
  })
}

const run = document.querySelector('[data-run]')
if (run && run.getAttribute('data-run-status') === 'running') {
  const url = run.getAttribute('data-poll')
  const show = (data) => {
    for (const cell of document.querySelectorAll('[data-run-field]')) {
      const key = cell.getAttribute('data-run-field')
      if (key === 'filesDone') cell.textContent = `${data.filesDone}/${data.filesTotal}`
      else if (key in data) cell.textContent = String(data[key])
    }
  }
  const poll = async () => {
    const res = await fetch(url, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
    if (!res.ok) return
    const data = await res.json()
    show(data)
    // Finished: reload to show the problems the server rendered.
    if (data.status !== 'running') window.location.reload()
    else setTimeout(poll, 1000)
  }
  setTimeout(poll, 1000)
}
