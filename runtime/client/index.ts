// client/ — what a generated family client is built on: `FamilyClient` (typed ops, dumps, batches, subscriptions,
// errors named by family and op), generic netlink family resolution, and `generatedSupport`, the one namespace
// generated modules import. The top layer: May import every layer below.
export * from './genl.js';
export * as generatedSupport from './generated-support.js';
// Thrown by a generated client's `transaction` when the kernel aborted it (nothing applied).
export { TransactionError, type TransactionFailure } from './client-support.js';
// What a generated client's `subscribe` yields besides notifications (the socket's buffer overran: events were lost).
export type { MappedSubscription, OverrunNotice } from './client-support.js';
// What a generated client's dump methods return (iterate it, take batches, or have it as JSON lines with `json()`).
export type { TypedDump } from './client-support.js';
