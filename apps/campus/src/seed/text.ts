/**
 * Generated text: article paragraphs, question bodies, YouTube ids. Short and readable, so
 * pages look plausible and the large data set stays a manageable size.
 *
 * @module
 */
import type { AssessmentItemBody } from '../db/schema.js'
import type { Random } from './random.js'
import { ANSWER_PHRASES, QUESTION_STEMS, SENTENCES } from './words.js'

const YOUTUBE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

/** An 11-character id matching `^[A-Za-z0-9_-]{11}$` (the shape, not a real video). */
export function youtubeId(random: Random): string {
  let id = ''
  for (let i = 0; i < 11; i++) id += YOUTUBE_ALPHABET[random.int(0, YOUTUBE_ALPHABET.length - 1)]
  return id
}

const fill = (template: string, concept: string): string => template.replace('%', concept)

/** Capitalizes the first letter ("the solar system" → "The solar system"). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Two to four paragraphs about `concept`, 300–600 characters in all: distinct sentences until
 * a random total of 300–510 is reached (a sentence is under 90 characters), split evenly.
 */
export function paragraphs(random: Random, concept: string): string[] {
  const target = random.int(300, 510)
  const sentences: string[] = []
  let length = 0
  for (const template of random.shuffle(SENTENCES)) {
    if (length >= target) break
    const sentence = fill(template, concept)
    sentences.push(sentence)
    length += sentence.length + 1
  }
  const count = Math.min(random.int(2, 4), sentences.length)
  const per = Math.ceil(sentences.length / count)
  const result: string[] = []
  for (let i = 0; i < sentences.length; i += per) result.push(sentences.slice(i, i + per).join(' '))
  return result
}

/** One sentence describing a course or unit. */
export function description(random: Random, concepts: readonly string[]): string {
  const [a, b, c] = random.shuffle(concepts)
  return `Covers ${a}, ${b} and ${c}, with videos, articles and practice.`
}

/** A four-choice question about `concept`. */
export function questionBody(random: Random, concept: string): AssessmentItemBody {
  return {
    prompt: fill(random.pick(QUESTION_STEMS), concept),
    choices: random.shuffle(ANSWER_PHRASES).slice(0, 4),
    correct: random.int(0, 3),
  }
}
