// transport/ — sockets as the operating system sees them: readiness on Node's event loop (libuv uv_poll), gathered
// sends and batched receives (on libuv's threadpool for big dumps), network namespaces. May import sys/ and wire/;
// knows nothing of requests, replies or families.
export * from './netns.js';
export { pollerStats } from './poll.js';
export { receivedBlockStats } from './io.js';
