// The campus side of a dispatch: the player page runs inside the launcher's frame in the
// tenant LMS. This script follows the run-time API the SCORM player put on the window and, on
// every Commit/LMSCommit and on Terminate/LMSFinish, posts the learner's progress (completion,
// success, scaled score; the session time once the session ends) to the launcher, and only to
// the origin that launched it. The launcher mirrors it into the LMS and reports it to campus.
// See docs/scorm-dispatch.md.
;(() => {
  const root = document.getElementById('scorm-player')
  const target = root?.getAttribute('data-launcher-origin')
  const is2004 = root?.getAttribute('data-version') === '2004'
  const api = is2004 ? window.API_1484_11 : window.API
  if (!api || !target || window.parent === window) return

  // `HHHH:MM:SS.SS` (1.2) or `PT1H2M3.5S` (2004) → whole seconds.
  const seconds = (text) => {
    const clock = /^(\d+):(\d{2}):(\d{2})(\.\d+)?$/.exec(text || '')
    if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])
    const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text || '')
    if (!iso) return 0
    const [, d, h, m, s] = iso.map((x) => Number(x || 0))
    return Math.round(d * 86400 + h * 3600 + m * 60 + s)
  }

  // session_time is write-only in the data model (reading it throws), so keep what was set.
  let sessionTime = ''
  api.on(
    is2004 ? 'SetValue.cmi.session_time' : 'LMSSetValue.cmi.core.session_time',
    (_element, value) => {
      sessionTime = String(value)
    },
  )

  const summary = (finished) => {
    const cmi = api.cmi
    if (is2004) {
      const scaled = cmi.score.scaled === '' ? null : Number(cmi.score.scaled)
      return {
        completionStatus: cmi.completion_status || 'unknown',
        successStatus: cmi.success_status || 'unknown',
        scoreScaled: Number.isFinite(scaled) ? scaled : null,
        sessionSeconds: finished ? seconds(sessionTime) : 0,
      }
    }
    const status = cmi.core.lesson_status
    const raw = cmi.core.score.raw === '' ? null : Number(cmi.core.score.raw)
    const max = cmi.core.score.max === '' ? 100 : Number(cmi.core.score.max)
    return {
      completionStatus: ['completed', 'passed', 'failed'].includes(status)
        ? 'completed'
        : status === 'not attempted'
          ? 'not attempted'
          : 'incomplete',
      successStatus: status === 'passed' || status === 'failed' ? status : 'unknown',
      scoreScaled:
        raw !== null && Number.isFinite(raw) && max > 0
          ? Math.max(-1, Math.min(1, raw / max))
          : null,
      sessionSeconds: finished ? seconds(sessionTime) : 0,
    }
  }
  const send = (finished) => {
    // Never let a reporting problem fail the content's own Commit or Finish call.
    try {
      window.parent.postMessage(
        { type: 'campus-dispatch', summary: summary(finished), finished },
        target,
      )
    } catch (error) {
      console.error('campus dispatch: progress not sent', error)
    }
  }
  api.on(is2004 ? 'Commit' : 'LMSCommit', () => send(false))
  api.on(is2004 ? 'Terminate' : 'LMSFinish', () => send(true))
})()
