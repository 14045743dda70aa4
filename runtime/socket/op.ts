// One request or dump on its way through a `NetlinkSocket`, and the reused message object typed dumps decode from.
import { encodeMessage, type NetlinkMessage, type Message, NLMSG_HDRLEN, nlmsgAlign } from '../wire/message.js';
import type { ReceivedBlock } from '../transport/io.js';
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
export const NO_BATCHES: (unknown[] | PendingBatch)[] = [];

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

/**
 * The replies of a decoded dump that one datagram carried, not yet decoded: `decode` runs when the consumer takes
 * the batch (`decodeAll`), so what it makes is handed on at once. Decoded as the datagram was read, a batch waited in
 * the queue behind the ones before it, and everything the decoder had made survived young-generation collections
 * (measured: a 100,000-route `nlgen dump` spent ~25 ms more, most of it in the collector). The bytes stay valid
 * meanwhile: slabs are only appended to, and a background receive's block is reused only once every batch holding it
 * was decoded (see `ReceivedBlock`).
 */
export class PendingBatch {
  /** Where the run's first message starts in `data`. */
  start = 0;
  /** Messages in the run. */
  count = 0;

  constructor(
    readonly data: Uint8Array,
    readonly view: DataView,
    readonly seq: number,
    readonly portid: number,
    readonly group: number,
    readonly decode: (m: NetlinkMessage) => unknown,
  ) {}

  #block: ReceivedBlock | undefined = undefined;

  /** The batch reads `block`'s bytes until it is decoded (its decoder copies what it keeps). */
  hold(block: ReceivedBlock): void {
    block.hold();
    this.#block = block;
  }

  /**
   * What `decode` makes of each message, in order (throws what it throws). Once only. The run's headers were checked
   * when it was taken (lengths, types, sequence, port), so they are only read again here: no per-message record was
   * kept in between (growing one was measurable in a 100,000-route dump).
   */
  decodeAll(): unknown[] {
    const c = cursor;
    const v = this.view;
    c.data = this.data;
    c.view = v;
    c.seq = this.seq;
    c.portid = this.portid;
    c.group = this.group;
    const n = this.count;
    const out: unknown[] = new Array(n);
    let off = this.start;
    try {
      for (let i = 0; i < n; i++) {
        const len = v.getUint32(off, true);
        c.type = v.getUint16(off + 4, true);
        c.flags = v.getUint16(off + 6, true);
        c.start = off + NLMSG_HDRLEN;
        c.end = off + len;
        out[i] = this.decode(c);
        off += (len + 3) & ~3;
      }
    } finally {
      const b = this.#block;
      if (b !== undefined) {
        this.#block = undefined;
        b.release();
      }
    }
    return out;
  }
}

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
  /** Messages, or (decoded dumps) the replies `decode` will turn into the batch's values. */
  batches: (unknown[] | PendingBatch)[] = NO_BATCHES;
  head = 0;
  /** Turns each reply message of a dump into the value its batch holds (see `dumpDecoded`). */
  decode: ((m: NetlinkMessage) => unknown) | undefined = undefined;
  /** `decode` keeps no view of the received bytes (it copies what it keeps): they can be reused once it ran. */
  decodeCopies = false;
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
