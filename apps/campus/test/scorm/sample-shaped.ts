/**
 * Packages laid out like the widely used public sample courses (the "golf examples"): the
 * schema files beside the manifest (1.2: at the root; 2004: in `common/`, `extend/`,
 * `unique/`, `vocab/`), one folder per SCO, a `shared/` folder of scripts, styles and images
 * that every SCO depends on, and more files per resource than the launch page. Built here
 * because the samples themselves cannot be fetched in the test environment.
 */
import { SCO_SCRIPT, scoHtml, zipFiles } from './fixtures.js'

/** The SCO folders and titles, in manifest order. */
export const SAMPLE_SCOS = [
  ['Playing', 'Playing the Game'],
  ['Etiquette', 'Etiquette'],
  ['Handicapping', 'Handicapping'],
  ['HavingFun', 'Having Fun'],
] as const

/** A few bytes that are a JPEG by name (the store serves by extension). */
const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9,
])
const XSD = '<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'

function resources(version: '1.2' | '2004'): string {
  const type = version === '1.2' ? 'adlcp:scormtype' : 'adlcp:scormType'
  return `${SAMPLE_SCOS.map(
    ([
      dir,
    ]) => `<resource identifier="${dir}_resource" type="webcontent" ${type}="sco" href="${dir}/${dir}.html">
      <file href="${dir}/${dir}.html"/>
      <file href="${dir}/notes.html"/>
      <dependency identifierref="common_files"/>
    </resource>`,
  ).join('\n    ')}
    <resource identifier="common_files" type="webcontent" ${type}="asset">
      <file href="shared/scormfunctions.js"/>
      <file href="shared/style.css"/>
      <file href="shared/background.jpg"/>
    </resource>`
}

function items(version: '1.2' | '2004'): string {
  return SAMPLE_SCOS.map(
    ([dir, title]) => `<item identifier="${dir}_item" identifierref="${dir}_resource">
        <title>${title}</title>${version === '1.2' ? '\n        <adlcp:masteryscore>80</adlcp:masteryscore>' : ''}
      </item>`,
  ).join('\n      ')
}

/** The manifest of a sample-shaped package. */
export function sampleManifest(version: '1.2' | '2004'): string {
  if (version === '1.2') {
    return `<?xml version="1.0" standalone="no" ?>
<manifest identifier="com.example.golf.sample12" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="golf_sample_default_org">
    <organization identifier="golf_sample_default_org">
      <title>Golf Explained - sample shape 1.2</title>
      ${items(version)}
    </organization>
  </organizations>
  <resources>
    ${resources(version)}
  </resources>
</manifest>`
  }
  return `<?xml version="1.0" standalone="no" ?>
<manifest identifier="com.example.golf.sample2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="golf_sample_default_org">
    <organization identifier="golf_sample_default_org">
      <title>Golf Explained - sample shape 2004</title>
      ${items(version)}
    </organization>
  </organizations>
  <resources>
    ${resources(version)}
  </resources>
</manifest>`
}

/** The zip of a sample-shaped package. */
export function buildSampleShaped(version: '1.2' | '2004'): Buffer {
  const files: Record<string, string | Uint8Array> = {
    'imsmanifest.xml': sampleManifest(version),
    'shared/scormfunctions.js': SCO_SCRIPT,
    'shared/style.css': 'body { font-family: sans-serif }',
    'shared/background.jpg': JPEG,
  }
  const schemas =
    version === '1.2'
      ? ['adlcp_rootv1p2.xsd', 'imscp_rootv1p1p2.xsd', 'imsmd_rootv1p2p1.xsd', 'ims_xml.xsd']
      : [
          'adlcp_v1p3.xsd',
          'imscp_v1p1.xsd',
          'common/anyElement.xsd',
          'extend/data.xsd',
          'unique/strict.xsd',
          'vocab/lom.xsd',
        ]
  for (const name of schemas) files[name] = XSD
  for (const [dir, title] of SAMPLE_SCOS) {
    files[`${dir}/${dir}.html`] = scoHtml(title).replaceAll(
      'shared/sco.js',
      '../shared/scormfunctions.js',
    )
    files[`${dir}/notes.html`] = `<!DOCTYPE html><title>${title} notes</title><p>Notes</p>`
  }
  return zipFiles(files)
}
