// codec/ — what generated encoders and decoders call: checked integer, enum, flag and address reads and writes, key
// sets and validation, and the descriptor types of a family's codec tables. May import wire/ only: codecs run without
// a socket (`<Family>Codecs`).
// Thrown by generated clients before sending when a request breaks the spec's checks; its path has the extack form.
export { ValidationError } from './codec-support.js';
// Tools that read requests as JSON (the nlgen CLI) let the validators take JSON spellings of bigints, bytes, arrays.
export { acceptJsonValues } from './codec-support.js';
// nlgen's JSON form of decoded values (what `nlgen dump` prints and a dump's `json()` yields).
export { jsonText } from './json-text.js';
export type {
  AttrSetCodec,
  CodecDecodeOptions,
  CodecEncodeOptions,
  MessageBytes,
  MessageCodec,
  MessageLayout,
  NotificationLayout,
  RequestCodec,
  SelectorValues,
  StructCodec,
} from './codecs.js';
