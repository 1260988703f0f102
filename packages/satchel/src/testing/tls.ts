import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { RedisServerError } from './errors.js'

const run = promisify(execFile)

/**
 * PEM-encoded certificates for a TLS test server, ready for client options such as ioredis's
 * `tls: { ca }`.
 *
 * @example
 * ```ts
 * const server = await startRedis({ tls: true })
 * const redis = new Redis(server.url, { tls: { ca: server.tls!.ca } })
 * ```
 */
export interface TlsMaterial {
  /** The throwaway certificate authority that signed `cert`; trust it and nothing else. */
  ca: string
  /**
   * The server certificate, for `localhost` and `127.0.0.1`. It is also valid for client
   * authentication, so it doubles as a client certificate when a test turns that on.
   */
  cert: string
  /** The private key of `cert`. */
  key: string
}

/** Paths of {@link TlsMaterial} written to disk, as redis-server's `--tls-*-file` options need. */
export interface TlsFiles {
  caFile: string
  certFile: string
  keyFile: string
}

// A config of our own, so that the result does not depend on the distribution's openssl.cnf
// (whose default extensions would clash with ours or differ between OpenSSL versions).
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = satchel test
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyAgreement
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`

// EC P-256 instead of RSA: key generation takes milliseconds instead of up to a second, which
// adds up when every test file starts its own server. Two days is ample for a test run, and short
// enough that a certificate leaked from a temp dir is worthless.
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
const VALIDITY_DAYS = '2'

/**
 * Creates a throwaway CA and a server certificate for `localhost` / `127.0.0.1` with the
 * `openssl` command line tool, working in `workDir` (which must exist).
 *
 * @throws RedisServerError when `openssl` is missing or fails.
 */
export async function generateTlsMaterial(
  workDir: string,
  openssl = 'openssl',
): Promise<TlsMaterial> {
  const dir = join(workDir, 'tls-gen')
  await mkdir(dir, { recursive: true })
  const path = (name: string): string => join(dir, name)
  try {
    await writeFile(path('openssl.cnf'), OPENSSL_CONFIG)
    const config = ['-config', path('openssl.cnf')]
    await run(openssl, [
      'req',
      '-x509',
      ...config,
      '-extensions',
      'ca_ext',
      ...KEY_ARGS,
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.crt'),
      '-days',
      VALIDITY_DAYS,
      '-subj',
      '/CN=satchel test CA',
    ])
    await run(openssl, [
      'req',
      '-new',
      ...config,
      ...KEY_ARGS,
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
      '-subj',
      '/CN=localhost',
    ])
    await run(openssl, [
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      // An explicit random serial avoids the `.srl` file `-CAcreateserial` would leave behind.
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      VALIDITY_DAYS,
      '-extfile',
      path('openssl.cnf'),
      '-extensions',
      'server_ext',
      '-out',
      path('server.crt'),
    ])
    const [ca, cert, key] = await Promise.all([
      readFile(path('ca.crt'), 'utf8'),
      readFile(path('server.crt'), 'utf8'),
      readFile(path('server.key'), 'utf8'),
    ])
    return { ca, cert, key }
  } catch (error) {
    const stderr = readStderr(error)
    throw new RedisServerError(
      `Could not generate TLS certificates with "${openssl}" (is OpenSSL installed?)`,
      { cause: error, ...(stderr ? { logTail: stderr } : {}) },
    )
  } finally {
    // The CA key never needs to outlive generation: nothing else should be able to sign for it.
    await rm(dir, { recursive: true, force: true })
  }
}

/** Writes `material` into `dir` for redis-server to read; safe to call again on restart. */
export async function writeTlsFiles(dir: string, material: TlsMaterial): Promise<TlsFiles> {
  const files = {
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
  }
  await Promise.all([
    writeFile(files.caFile, material.ca),
    writeFile(files.certFile, material.cert),
    writeFile(files.keyFile, material.key, { mode: 0o600 }),
  ])
  return files
}

function readStderr(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'stderr' in error) {
    const { stderr } = error
    if (typeof stderr === 'string' && stderr.length > 0) return stderr
  }
  return undefined
}
