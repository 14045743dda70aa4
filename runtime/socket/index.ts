// socket/ — the engine: `NetlinkSocket` matches requests to replies (sequence numbers or arrival order), batches sends
// into sendmsg windows, runs dumps with backpressure, delivers multicast to subscriptions, and fails what a lost or
// malformed datagram leaves pending. May import sys/, wire/ and transport/; knows no family.
export * from './socket.js';
export * from './subscription.js';
export * from './transport.js';
