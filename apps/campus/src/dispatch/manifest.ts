/**
 * The `imsmanifest.xml` of a dispatch package: one organisation, one item, one SCO whose launch
 * page is the launcher. Built with fast-xml-parser's builder, which escapes the title (an
 * administrator's text) in text and attributes.
 *
 * @module
 */
import { XMLBuilder } from 'fast-xml-parser'

/** SCORM versions a dispatch package can be built for. */
export const DISPATCH_PACKAGE_VERSIONS = ['1.2', '2004'] as const
/** One of {@link DISPATCH_PACKAGE_VERSIONS}. */
export type DispatchPackageVersion = (typeof DISPATCH_PACKAGE_VERSIONS)[number]

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
})

/** The namespaces and version strings of each SCORM version. */
const FLAVOURS = {
  '1.2': {
    xmlns: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
    adlcp: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
    schemaversion: '1.2',
    scormTypeAttribute: '@_adlcp:scormtype',
    schemaLocation:
      'http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd',
  },
  '2004': {
    xmlns: 'http://www.imsglobal.org/xsd/imscp_v1p1',
    adlcp: 'http://www.adlnet.org/xsd/adlcp_v1p3',
    schemaversion: '2004 4th Edition',
    scormTypeAttribute: '@_adlcp:scormType',
    schemaLocation:
      'http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd',
  },
} as const

/** The manifest of a dispatch package listing `files` (the launcher's files). */
export function dispatchManifest(options: {
  dispatchId: string
  title: string
  version: DispatchPackageVersion
  launch: string
  files: readonly string[]
}): string {
  const f = FLAVOURS[options.version]
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    manifest: {
      '@_identifier': `campus-dispatch-${options.dispatchId}`,
      '@_version': '1',
      '@_xmlns': f.xmlns,
      '@_xmlns:adlcp': f.adlcp,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:schemaLocation': f.schemaLocation,
      metadata: { schema: 'ADL SCORM', schemaversion: f.schemaversion },
      organizations: {
        '@_default': 'campus-dispatch-org',
        organization: {
          '@_identifier': 'campus-dispatch-org',
          title: options.title,
          item: {
            '@_identifier': 'campus-dispatch-item',
            '@_identifierref': 'campus-dispatch-sco',
            title: options.title,
          },
        },
      },
      resources: {
        resource: {
          '@_identifier': 'campus-dispatch-sco',
          '@_type': 'webcontent',
          [f.scormTypeAttribute]: 'sco',
          '@_href': options.launch,
          file: options.files.map((href) => ({ '@_href': href })),
        },
      },
    },
  })
}
