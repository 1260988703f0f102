/**
 * Races a promise against a timer; the timer is always cleared and a late settlement ignored.
 * The subscriber's connect, subscribe and PING bypass the gateway (a subscriber connection is
 * not the gateway's client), so they carry their own bound.
 * @example await withDeadline(connection.ping(), 1000)
 */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
