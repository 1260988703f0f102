/**
 * The subset of a pino logger satchel calls. Any pino instance (or `console`-shaped object with
 * these methods) fits. Default: silent.
 */
export interface Logger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

const noop = (): void => {}

/** A logger that drops everything: the default, so a library never writes to stdout uninvited. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop }
