/**
 * The bus wire format: one small array per message, encoded with the satchel codec
 * (MessagePack by default, the same header byte as stored values).
 *
 * ```
 * [sender, 1, keys]       set      (full Redis keys)
 * [sender, 2, keys]       delete
 * [sender, 3, tags, at]   tags     (at: invalidation time, ms since epoch)
 * [sender, 4, prefixes]   clear
 * ```
 *
 * A positional array with numeric type codes instead of `{ type, keys }` objects: a delete of
 * one key is ~40 bytes, and every instance decodes every message, so the envelope stays small.
 * Unknown type codes are reported as malformed, so a newer writer cannot be misread by an older
 * reader during a rolling deploy (it is ignored and counted instead).
 *
 * @module
 */
import type { Codec } from '../../core/codec.js'
import type { BusMessage } from '../types.js'

const TYPE_CODES = { set: 1, delete: 2, tags: 3, clear: 4 } as const

/**
 * A decoded bus message with the id of the instance that sent it.
 * @example
 * ```ts
 * const read = decodeBusMessage(codec, buf)
 * if (read.ok && read.sender !== myId) handle(read.message)
 * ```
 */
export type DecodedBusMessage =
  | { ok: true; sender: string; message: BusMessage }
  | { ok: false; error: string }

/**
 * Encodes a message for the channel.
 * @throws EncodeError when the message holds something the codec cannot encode.
 * @example publish(channel, encodeBusMessage(codec, instanceId, { type: 'delete', keys: [key] }))
 */
export function encodeBusMessage(codec: Codec, sender: string, message: BusMessage): Buffer {
  switch (message.type) {
    case 'set':
    case 'delete':
      return codec.encode([sender, TYPE_CODES[message.type], message.keys])
    case 'tags':
      return codec.encode([sender, TYPE_CODES.tags, message.tags, message.at])
    case 'clear':
      return codec.encode([sender, TYPE_CODES.clear, message.prefixes])
  }
}

/**
 * Decodes and validates a payload read from the channel. Never throws: anyone with access to
 * Redis can publish on the channel, so every field is checked before the engine sees it.
 * @example
 * ```ts
 * const read = decodeBusMessage(codec, payload)
 * if (!read.ok) stats.malformed++
 * ```
 */
export function decodeBusMessage(codec: Codec, payload: Uint8Array): DecodedBusMessage {
  const read = codec.decode<unknown>(payload)
  if (!read.ok) return { ok: false, error: `undecodable payload (${read.reason})` }
  const value = read.value
  if (!Array.isArray(value) || value.length < 3) return { ok: false, error: 'not an envelope' }
  const [sender, code, list, at] = value as unknown[]
  if (typeof sender !== 'string' || sender === '') return { ok: false, error: 'no sender' }
  if (!isStringArray(list)) return { ok: false, error: 'list is not an array of strings' }
  switch (code) {
    case TYPE_CODES.set:
      return { ok: true, sender, message: { type: 'set', keys: list } }
    case TYPE_CODES.delete:
      return { ok: true, sender, message: { type: 'delete', keys: list } }
    case TYPE_CODES.tags:
      if (typeof at !== 'number' || !Number.isFinite(at)) {
        return { ok: false, error: 'tags message without a time' }
      }
      return { ok: true, sender, message: { type: 'tags', tags: list, at } }
    case TYPE_CODES.clear:
      return { ok: true, sender, message: { type: 'clear', prefixes: list } }
    default:
      return { ok: false, error: `unknown message type ${String(code)}` }
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
