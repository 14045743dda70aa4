// Everything generated family modules use, gathered in one namespace (`import { generatedSupport as rt }`),
// so their helper names never clash with the runtime's public API.
export * from '../codec/codec-support.js';
export * from './client-support.js';
export { AttrWriter } from '../wire/attrs.js';
export { NetlinkSocket } from '../socket/socket.js';
export type { RequestResult } from '../socket/socket.js';
export { NetlinkError, NlgenError } from '../wire/errors.js';
export { NETLINK_GENERIC } from '../wire/message.js';
export type { NetlinkMessage, NetlinkRequest } from '../wire/message.js';
export { resolveFamily } from './genl.js';
export * from '../codec/codecs.js';
export * from '../codec/wide-enums.js';
export * from '../codec/json-text.js';
export * from '../codec/json-out.js';
