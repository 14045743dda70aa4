// One request or dump on its way through a `NetlinkSocket`, and the reused message object typed dumps decode from.
import { encodeMessage, type NetlinkMessage, type Message, NLMSG_HDRLEN, nlmsgAlign } from '../wire/message.js';
import type { ErrorNamer, RequestResult } from './options.js';
import type { AbortSignalLike } from './subscription.js';

/** `Op.kind` of a do request (answered by an ACK or error, possibly after reply messages). */
export const KIND_DO = 0;
/** `Op.kind` of a dump (answered by batches of messages and DONE). */
export const KIND_DUMP = 1;
/** `Op.state`: waiting in a send queue. */
export const STATE_QUEUED = 0;
/** `Op.state`: sent, its final reply not yet read. */
export const STATE_SENT = 1;
/** `Op.state`: settled; whatever still arrives for it is dropped. */
export const STATE_DONE = 2;

/** The batch list of every do request (nothing is ever added to it). */
export const NO_BATCHES: unknown[][] = [];

/**
 * The one message object a decoded dump's decoder is handed, refilled for every message: a typed dump builds its
 * typed objects straight from the datagram, without a Message per message (a 100k-route dump made 100k of them).
 */
export class MessageCursor implements NetlinkMessage {
  declare readonly kind: 'message';
  type = 0;
  flags = 0;
  seq = 0;
  portid = 0;
  group = 0;
  data: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  start = 0;
  end = 0;
  get payload(): Uint8Array {
    return this.data.subarray(this.start, this.end);
  }
}
Object.defineProperty(MessageCursor.prototype, 'kind', { value: 'message', enumerable: true });
/** The one shared `MessageCursor` (dispatch is synchronous: one decode at a time). */
export const cursor = new MessageCursor();

/** `Op.batchRole` of a transaction's begin message. */
export const BATCH_ROLE_BEGIN = 1;
/** `Op.batchRole` of a transaction's end message. */
export const BATCH_ROLE_END = 2;

/** One request or dump on its way. Monomorphic on purpose (hot path). */
export class Op {
  seq = 0;
  state = STATE_QUEUED;
  abandoned = false;
  size: number;
  /** Reply messages of a do request; created on the first one (most requests get only an ACK). */
  messages: Message[] | undefined = undefined;
  resolve: ((r: RequestResult) => void) | undefined = undefined;
  reject: ((e: unknown) => void) | undefined = undefined;
  signal: AbortSignalLike | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  /** Names the property a NetlinkError blamed before the request rejects (generated clients); see `requestNamed`. */
  namer: ErrorNamer | undefined = undefined;
  rootSet = '';
  attrsStart = 0;
  /** Resolves with undefined instead of a RequestResult (the caller wants only success or the error). */
  voidResult = false;
  /**
   * In a transaction (see `NetlinkSocket.transaction`): BATCH_ROLE_BEGIN for the batch's begin message (pending for
   * its error only; the kernel acks it never), BATCH_ROLE_END for the end message (sent, never pending).
   */
  batchRole = 0;
  /** On a batch's begin message: how many messages, itself and the end included, must leave in one datagram. */
  groupSize = 0;
  // dumps (a do request keeps the shared empty list: nothing is ever added to it)
  /** Messages, or what `decode` made of them. */
  batches: unknown[][] = NO_BATCHES;
  head = 0;
  /** Turns each reply message of a dump into the value its batch holds (see `dumpDecoded`). */
  decode: ((m: NetlinkMessage) => unknown) | undefined = undefined;
  waiter: ((r: IteratorResult<unknown[]>) => void) | undefined = undefined;
  waiterReject: ((e: unknown) => void) | undefined = undefined;
  finished = false;
  error: unknown = undefined;
  intr = false;
  count = 0;
  /** Datagrams that carried messages of this dump. */
  datagrams = 0;
  hwm = 8;

  constructor(
    readonly kind: number,
    readonly type: number,
    readonly flags: number,
    readonly payload: Uint8Array,
  ) {
    this.size = nlmsgAlign(NLMSG_HDRLEN + payload.length);
  }
}

/**
 * A netlink socket. Open with `NetlinkSocket.open(protocol, options)`; close with `close()` or `await using`.
 * An idle socket does not keep the process alive; pending requests, dumps and subscriptions do.

/** The request as it went out (header and payload): what a NetlinkError carries as `request`. */
export function requestBytes(op: Op, portid: number): Uint8Array {
  return encodeMessage(op.type, op.flags, op.seq, portid, op.payload);
}
