/**
 * SCORM packages built in the test suite: SCORM 1.2 and 2004 (2nd, 3rd, 4th edition), with
 * one SCO or several. Each SCO is a small HTML page whose script finds the run-time API the
 * way real content does (walking up the parent windows), resumes from `location` and
 * `suspend_data`, records an answer as an interaction, and finishes with a score.
 */
import { strToU8, type Zippable, zipSync } from 'fflate'

/** Which package to build. */
export interface FixtureOptions {
  version: '1.2' | '2004'
  /** 2004 edition. @default 4 */
  edition?: 2 | 3 | 4
  /** Number of SCOs. @default 1 */
  scos?: number
  title?: string
  /** Replace the manifest text. */
  manifest?: string
  /** Extra or replacing files (path → text or bytes); `null` removes a file. */
  files?: Record<string, string | Uint8Array | null>
}

/** The SCO script: the same file serves 1.2 and 2004 (it detects the API it finds). */
export const SCO_SCRIPT = `(function () {
  function find(name) {
    var w = window
    for (var i = 0; i < 10 && w; i++) {
      if (w[name]) return w[name]
      if (w.parent === w) break
      w = w.parent
    }
    return null
  }
  var api04 = find('API_1484_11')
  var api12 = api04 ? null : find('API')
  var v = api04 ? '2004' : api12 ? '1.2' : 'none'
  var out = document.getElementById('out')
  document.getElementById('version').textContent = v
  if (v === 'none') return
  var K = v === '2004'
    ? { loc: 'cmi.location', susp: 'cmi.suspend_data', entry: 'cmi.entry', exit: 'cmi.exit', raw: 'cmi.score.raw', time: 'cmi.session_time', resp: 'learner_response' }
    : { loc: 'cmi.core.lesson_location', susp: 'cmi.suspend_data', entry: 'cmi.core.entry', exit: 'cmi.core.exit', raw: 'cmi.core.score.raw', time: 'cmi.core.session_time', resp: 'student_response' }
  function get(k) { return v === '2004' ? api04.GetValue(k) : api12.LMSGetValue(k) }
  function set(k, x) { return v === '2004' ? api04.SetValue(k, x) : api12.LMSSetValue(k, x) }
  function commit() { return v === '2004' ? api04.Commit('') : api12.LMSCommit('') }
  function finish() { return v === '2004' ? api04.Terminate('') : api12.LMSFinish('') }
  var ok = v === '2004' ? api04.Initialize('') : api12.LMSInitialize('')
  document.getElementById('entry').textContent = get(K.entry)
  document.getElementById('resumed').textContent = get(K.susp) || '(none)'
  document.getElementById('location').textContent = get(K.loc) || '(none)'
  out.textContent = ok === 'true' || ok === true ? 'ready' : 'init failed'
  function answer() {
    var picked = document.querySelector('input[name=q1]:checked')
    return picked ? picked.value : ''
  }
  document.getElementById('save').addEventListener('click', function () {
    var a = answer()
    set(K.loc, 'q1')
    set(K.susp, 'answer=' + a)
    set(K.exit, 'suspend')
    set('cmi.interactions.0.id', 'q1')
    set('cmi.interactions.0.type', 'choice')
    set('cmi.interactions.0.' + K.resp, a)
    set('cmi.interactions.0.result', a === 'b' ? 'correct' : (v === '2004' ? 'incorrect' : 'wrong'))
    if (v === '1.2') set('cmi.core.lesson_status', 'incomplete')
    else set('cmi.completion_status', 'incomplete')
    out.textContent = commit() === 'true' ? 'saved' : 'save failed'
  })
  document.getElementById('finish').addEventListener('click', function () {
    var score = get(K.susp) === 'answer=b' ? 100 : 20
    set(K.raw, String(score))
    set(K.exit, v === '2004' ? 'normal' : '')
    set(K.time, v === '2004' ? 'PT1M5S' : '0000:01:05')
    if (v === '1.2') {
      set('cmi.core.score.min', '0')
      set('cmi.core.score.max', '100')
      set('cmi.core.lesson_status', score >= 80 ? 'passed' : 'failed')
    } else {
      set('cmi.score.min', '0')
      set('cmi.score.max', '100')
      set('cmi.score.scaled', String(score / 100))
      set('cmi.completion_status', 'completed')
      set('cmi.success_status', score >= 80 ? 'passed' : 'failed')
    }
    var c = commit()
    var f = finish()
    out.textContent = (c === 'true' || c === true) && (f === 'true' || f === true) ? 'finished' : 'finish failed'
  })
})()
`

/** One SCO page. */
export function scoHtml(title: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<p>API: <span id="version"></span> · entry: <span id="entry"></span> · location: <span id="location"></span></p>
<p>Saved answer: <span id="resumed"></span></p>
<fieldset><legend>Which is a prime number?</legend>
<label><input type="radio" name="q1" value="a"> 4</label>
<label><input type="radio" name="q1" value="b"> 7</label>
<label><input type="radio" name="q1" value="c"> 9</label>
</fieldset>
<button id="save" type="button">Save answer</button>
<button id="finish" type="button">Finish</button>
<p id="out">loading</p>
<script src="shared/sco.js"></script>
</body></html>`
}

const SCHEMA_VERSION = { 2: 'CAM 1.3', 3: '2004 3rd Edition', 4: '2004 4th Edition' } as const

/** The manifest of a fixture package. */
export function fixtureManifest(options: FixtureOptions): string {
  const n = options.scos ?? 1
  const title = options.title ?? `Fixture SCORM ${options.version}${n > 1 ? ' multi' : ''}`
  const range = Array.from({ length: n }, (_, i) => i + 1)
  if (options.version === '1.2') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.fixture12" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>${title}</title>
      ${range
        .map(
          (i) => `<item identifier="item${i}" identifierref="res${i}">
        <title>Lesson ${i}</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>`,
        )
        .join('\n      ')}
    </organization>
  </organizations>
  <resources>
    ${range
      .map(
        (
          i,
        ) => `<resource identifier="res${i}" type="webcontent" adlcp:scormtype="sco" href="sco${i}.html">
      <file href="sco${i}.html"/>
      <dependency identifierref="shared"/>
    </resource>`,
      )
      .join('\n    ')}
    <resource identifier="shared" type="webcontent" adlcp:scormtype="asset">
      <file href="shared/sco.js"/>
    </resource>
  </resources>
</manifest>`
  }
  const edition = options.edition ?? 4
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.fixture2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>${SCHEMA_VERSION[edition]}</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>${title}</title>
      ${range
        .map(
          (i) => `<item identifier="item${i}" identifierref="res${i}">
        <title>Lesson ${i}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="pass${i}" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>`,
        )
        .join('\n      ')}
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    ${range
      .map(
        (
          i,
        ) => `<resource identifier="res${i}" type="webcontent" adlcp:scormType="sco" href="sco${i}.html">
      <file href="sco${i}.html"/>
      <dependency identifierref="shared"/>
    </resource>`,
      )
      .join('\n    ')}
    <resource identifier="shared" type="webcontent" adlcp:scormType="asset">
      <file href="shared/sco.js"/>
    </resource>
  </resources>
</manifest>`
}

/** Builds a package zip. */
export function buildPackage(options: FixtureOptions): Buffer {
  const n = options.scos ?? 1
  const files: Record<string, string | Uint8Array | null> = {
    'imsmanifest.xml': options.manifest ?? fixtureManifest(options),
    'shared/sco.js': SCO_SCRIPT,
  }
  for (let i = 1; i <= n; i++) files[`sco${i}.html`] = scoHtml(`Lesson ${i}`)
  Object.assign(files, options.files ?? {})
  return zipFiles(files)
}

/** Zips `files` as given: names are not checked, so unsafe names can be made. */
export function zipFiles(
  files: Record<string, string | Uint8Array | null>,
  level: 0 | 6 | 9 = 6,
): Buffer {
  const zippable: Zippable = {}
  for (const [name, content] of Object.entries(files)) {
    if (content === null) continue
    zippable[name] = [typeof content === 'string' ? strToU8(content) : content, { level }]
  }
  return Buffer.from(zipSync(zippable))
}
