// Everything generated family modules use, gathered in one namespace (`import { generatedSupport as rt }`),
// so their helper names never clash with the runtime's public API.
export * from './codec-support.js';
export * from './client-support.js';
export { AttrWriter } from './attrs.js';
export { NetlinkSocket } from './socket.js';
export type { RequestResult } from './socket.js';
export { NetlinkError, NlgenError } from './errors.js';
export { NETLINK_GENERIC } from './message.js';
export type { NetlinkMessage, NetlinkRequest } from './message.js';
export { resolveFamily } from './genl.js';
export * from './codecs.js';
export * from './wide-enums.js';
