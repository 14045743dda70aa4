// Public surface of the nlgen runtime (imported by generated clients as `@nlgen/runtime`).
export * from './message.js';
export * from './attrs.js';
export * from './attr-path.js';
export * from './errors.js';
export * from './dump-interrupted.js';
export * from './errno.js';
export * from './extack.js';
export * from './socket.js';
export * from './subscription.js';
export * from './netns.js';
export { pollerStats } from './poll.js';
export * from './genl.js';
// Thrown by generated clients before sending when a request breaks the spec's checks; its path has the extack form.
export { ValidationError } from './codec-support.js';
export * as generatedSupport from './generated-support.js';
export type {
  AttrSetCodec,
  CodecDecodeOptions,
  CodecEncodeOptions,
  MessageBytes,
  MessageCodec,
  RequestCodec,
  SelectorValues,
  StructCodec,
} from './codecs.js';
