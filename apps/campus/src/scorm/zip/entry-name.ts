/**
 * Zip entry names: what makes one safe to store. A name is a relative POSIX path whose every
 * segment is a plain name, so joined to the package's directory it can never leave it.
 *
 * @module
 */

/** Why `name` is unsafe, or undefined when it is a safe relative path. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'empty name'
  if (name.length > 1024) return 'name longer than 1024 characters'
  // Control characters (NUL included) have no place in a file name and confuse file systems.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in name'
  if (name.includes('\\')) return 'backslash in name (Windows path separators are not allowed)'
  if (name.startsWith('/')) return 'absolute path'
  if (/^[A-Za-z]:/.test(name)) return 'drive letter in name'
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/')
  for (const segment of segments) {
    if (segment === '..') return 'path traversal ("..")'
    if (segment === '.' || segment === '') return 'empty or "." path segment'
  }
  return undefined
}
