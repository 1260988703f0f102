/**
 * Types for msgpackr's `new Function`-free build, which ships without declarations: it is the
 * same `Unpackr` as the main entry, built with record-reader compilation disabled.
 */
declare module 'msgpackr/unpack-no-eval' {
  export { Unpackr } from 'msgpackr'
}
