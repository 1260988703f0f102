/*
 * Campus dispatch launcher: runs inside the tenant LMS as the package's SCO.
 *
 * 1. Finds the LMS's SCORM API (`API_1484_11` for 2004, `API` for 1.2) in a parent or opener
 *    window and starts the attempt.
 * 2. Asks campus to launch the dispatch for the LMS's learner (POST, CORS: campus checks the
 *    key, the tenant and dispatch, this page's domain and the registration caps).
 * 3. Opens the course from campus in a frame, where campus's run-time records the learner's
 *    progress. The campus player posts that progress (`campus-dispatch` messages); the
 *    launcher mirrors it into the LMS's API, so the LMS's own gradebook sees it too.
 *
 * No dependencies and no build step: the file goes into the package as it is.
 */
;(() => {
  const root = document.getElementById('campus-dispatch')
  const statusLine = document.getElementById('campus-dispatch-status')
  const campus = root.getAttribute('data-campus')
  const dispatchId = root.getAttribute('data-dispatch')
  const key = root.getAttribute('data-key')
  let grant = null
  let frame = null
  let finished = false

  function say(text, isError) {
    statusLine.textContent = text
    statusLine.className = isError ? 'error' : ''
    statusLine.hidden = false
  }

  function findApi(win) {
    for (let i = 0; win && i < 16; i++) {
      try {
        if (win.API_1484_11) return { version: '2004', api: win.API_1484_11 }
        if (win.API) return { version: '1.2', api: win.API }
      } catch (_e) {
        // A cross-origin ancestor: look no further up this chain.
        return null
      }
      if (win.parent === win) break
      win = win.parent
    }
    return null
  }
  const lms = findApi(window) || (window.opener ? findApi(window.opener) : null)

  const call = {
    init: () => {
      if (!lms) return
      lms.version === '2004' ? lms.api.Initialize('') : lms.api.LMSInitialize('')
    },
    get: (element) => {
      if (!lms) return ''
      return String(
        lms.version === '2004' ? lms.api.GetValue(element) : lms.api.LMSGetValue(element),
      )
    },
    set: (element, value) => {
      if (!lms) return
      lms.version === '2004'
        ? lms.api.SetValue(element, value)
        : lms.api.LMSSetValue(element, value)
    },
    commit: () => {
      if (!lms) return
      lms.version === '2004' ? lms.api.Commit('') : lms.api.LMSCommit('')
    },
    finish: () => {
      if (!lms || finished) return
      finished = true
      lms.version === '2004' ? lms.api.Terminate('') : lms.api.LMSFinish('')
    },
  }

  function pad(n) {
    return (n < 10 ? '0' : '') + n
  }
  function sessionTime(seconds) {
    if (lms && lms.version === '2004') return `PT${seconds}S`
    const h = Math.floor(seconds / 3600)
    const m = Math.floor((seconds % 3600) / 60)
    return `${h < 1000 ? `000${h}`.slice(-4) : String(h)}:${pad(m)}:${pad(seconds % 60)}`
  }

  // Campus's summary into the LMS's own data model.
  function mirror(summary) {
    if (!lms) return
    if (lms.version === '2004') {
      call.set('cmi.completion_status', summary.completionStatus)
      call.set('cmi.success_status', summary.successStatus)
      if (summary.scoreScaled !== null) call.set('cmi.score.scaled', String(summary.scoreScaled))
    } else {
      const status =
        summary.successStatus !== 'unknown'
          ? summary.successStatus
          : summary.completionStatus === 'completed'
            ? 'completed'
            : 'incomplete'
      call.set('cmi.core.lesson_status', status)
      if (summary.scoreScaled !== null) {
        call.set('cmi.core.score.raw', String(Math.round(summary.scoreScaled * 100)))
      }
    }
    if (summary.sessionSeconds > 0) {
      call.set(
        lms.version === '2004' ? 'cmi.session_time' : 'cmi.core.session_time',
        sessionTime(summary.sessionSeconds),
      )
    }
    call.commit()
  }

  window.addEventListener('message', (event) => {
    if (!grant || !frame || event.source !== frame.contentWindow) return
    if (event.origin !== campus) return
    const message = event.data
    if (message?.type !== 'campus-dispatch' || !message.summary) return
    const summary = message.summary
    mirror(summary)
    if (message.finished) call.finish()
  })
  window.addEventListener('pagehide', () => {
    call.finish()
  })

  call.init()
  const learnerId = lms
    ? call.get(lms.version === '2004' ? 'cmi.learner_id' : 'cmi.core.student_id')
    : ''
  const learnerName = lms
    ? call.get(lms.version === '2004' ? 'cmi.learner_name' : 'cmi.core.student_name')
    : ''
  if (!learnerId) {
    say('This course must be opened from a learning management system (no SCORM API found).', true)
    return
  }

  fetch(`${campus}/api/dispatch/${encodeURIComponent(dispatchId)}/launch`, {
    method: 'POST',
    mode: 'cors',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: key, learnerId: learnerId, learnerName: learnerName }),
  })
    .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
    .then((result) => {
      if (!result.ok) {
        say(result.body?.detail || 'The course could not be opened.', true)
        root.setAttribute('data-error', result.body?.code || 'E_LAUNCH')
        return
      }
      grant = result.body
      frame = document.createElement('iframe')
      frame.title = document.title
      frame.src = grant.launchUrl
      statusLine.hidden = true
      root.appendChild(frame)
      root.setAttribute('data-registration', grant.registrationId)
    })
    .catch(() => {
      say('Campus could not be reached; try again later.', true)
    })
})()
