// The SCORM player: puts scorm-again's run-time API where the content looks for it (`API` for
// SCORM 1.2, `API_1484_11` for 2004) before the content frame loads, primed with the learner's
// saved state so a reload resumes. The API keeps the SCO's SetValue calls in memory and sends
// them as one commit on Commit/LMSCommit and Terminate/LMSFinish; if the page goes away with
// values the SCO never committed, they are sent with navigator.sendBeacon. See docs/scorm.md.
;(() => {
  const root = document.getElementById('scorm-player')
  const frame = document.getElementById('scorm-content')
  const status = document.getElementById('scorm-status')
  if (!root || !frame) return
  const version = root.getAttribute('data-version')
  const commitUrl = root.getAttribute('data-commit-url')
  let state = {}
  try {
    state = JSON.parse(root.getAttribute('data-state') || '{}')
  } catch {
    state = {}
  }
  const settings = {
    lmsCommitUrl: commitUrl,
    dataCommitFormat: 'flattened',
    autocommit: false,
    logLevel: 4,
    commitRequestDataType: 'application/json;charset=UTF-8',
    // Same origin, so a JSON beacon needs no preflight; campus accepts only JSON commits.
    terminationCommitContentType: 'application/json',
    fetchMode: 'same-origin',
  }
  const is2004 = version === '2004'
  const Api = is2004 ? window.Scorm2004API : window.Scorm12API
  if (typeof Api !== 'function') {
    if (status) status.textContent = 'The SCORM run-time could not be loaded.'
    return
  }
  const api = new Api(settings)
  api.loadFromFlattenedJSON(state, '')
  if (is2004) window.API_1484_11 = api
  else window.API = api

  let dirty = false
  let finished = false
  let commits = 0
  const show = (text) => {
    if (!status) return
    status.textContent = text
    status.setAttribute('data-commits', String(commits))
  }
  api.on(is2004 ? 'SetValue.cmi.*' : 'LMSSetValue.cmi.*', () => {
    dirty = true
  })
  api.on(is2004 ? 'Commit' : 'LMSCommit', () => {
    dirty = false
    commits += 1
    show('Progress saved.')
  })
  api.on(is2004 ? 'Terminate' : 'LMSFinish', () => {
    dirty = false
    finished = true
    commits += 1
    show('Finished: your results are saved.')
  })
  window.addEventListener('pagehide', () => {
    if (!dirty || finished || !commitUrl) return
    const body = JSON.stringify(api.renderCommitCMI(true))
    navigator.sendBeacon(commitUrl, new Blob([body], { type: 'application/json' }))
    dirty = false
  })
  frame.setAttribute('src', root.getAttribute('data-launch-url') || 'about:blank')
})()
