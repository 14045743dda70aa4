// What callers pass to and get back from a `NetlinkSocket`: open, request and dump options, ACKs and results.
import type { NetnsSpec } from '../transport/netns.js';
import type { NetlinkError } from '../wire/errors.js';
import type { ExtAck } from '../wire/extack.js';
import type { NetlinkMessage, NetlinkRequest } from '../wire/message.js';
import type { AbortSignalLike } from './subscription.js';
import type { NetlinkTransport, SocketRecorder } from './transport.js';

export interface OpenOptions {
  /** Network namespace to open the socket in: a name under /run/netns, a path, or an open fd. */
  netns?: NetnsSpec;
  /** Receive buffer in bytes: SO_RCVBUFFORCE when permitted, else SO_RCVBUF (capped by net.core.rmem_max). */
  rcvBuf?: number;
  /** Strict checking of dump requests (NETLINK_GET_STRICT_CHK). Default true. */
  strict?: boolean;
  /** Extended ACK: error messages, offsets, policies (NETLINK_EXT_ACK). Default true. */
  extAck?: boolean;
  /** Errors do not echo the request payload (NETLINK_CAP_ACK). Default true. */
  capAck?: boolean;
  /**
   * Requests whose replies may be outstanding at once; more are queued in JS. Bounds the replies that can pile up
   * in the receive buffer (an overflowing buffer drops them). Default: receive buffer / 8 KiB, between 4 and 256.
   */
  maxInFlight?: number;
  /**
   * Big dumps are received on libuv's threadpool, several datagrams per call, so the kernel builds the next part of
   * the dump while JS handles the last one (the kernel does that work inside the receive call). The calls never
   * block or park a thread. Default true; false keeps every receive on the main thread.
   */
  backgroundReceive?: boolean;
  /**
   * A debugging aid (ynl's `--dbg-small-recv`): every receive offers the kernel at most this many bytes (at least
   * 4096), and nothing is received in the background. The kernel sizes dump datagrams by the biggest receive it has
   * seen, so dumps then arrive in many small datagrams; a datagram that does not fit fails its request with a
   * TruncatedMessageError instead of growing the buffer.
   */
  receiveLimit?: number;
  /**
   * How replies find their request. `'seq'` (default): by sequence number and port id, as the kernel's own families
   * answer. `'order'`: for peers that answer without them, as the classic tutorials write a module
   * (`nlmsg_put(skb, 0, 0, type, …)`: port id 0, sequence 0). One request is in flight at a time; the first
   * unicast with sequence number 0 is its reply and completes it (the ACK or error that may follow it is dropped); an
   * error with the request's sequence number before any reply rejects it, an ACK resolves it without messages.
   */
  replyMatch?: 'seq' | 'order';
  /**
   * A transport in place of the kernel (a mock kernel in unit tests, see `MockKernel`): the socket sends to it and reads
   * from it through the same code as a kernel socket. `netns`, `rcvBuf` and the socket options do not apply.
   */
  transport?: NetlinkTransport;
  /** Sees every datagram sent and received (a `SessionRecorder` writes them to a file for replay in tests). */
  record?: SocketRecorder;
}

/** Names the attribute a NetlinkError's extended ACK points at (generated clients implement it). */
export interface ErrorNamer {
  /** Sets `err.path` from the request bytes; `rootSet` is the request's attribute set, after `attrsStart` payload bytes. */
  nameError(err: NetlinkError, rootSet: string, attrsStart: number): void;
}

/** Options of `request` and `batch`. */
export interface RequestOptions {
  /** Rejects the request with the signal's reason; a late reply is discarded. */
  signal?: AbortSignalLike;
}

/** One request of a transaction: a message, and where its attributes start for naming an error's property path. */
export interface TransactionRequest {
  type: number;
  flags?: number;
  payload: Uint8Array;
  /** Attribute set of the request, for `ErrorNamer` (generated clients). */
  rootSet?: string;
  /** Payload bytes before the attributes (fixed header). */
  attrsStart?: number;
}

/** The messages that open and close a batch (nfnetlink: NFNL_MSG_BATCH_BEGIN and _END with the subsystem's res_id). */
export interface BatchMessages {
  begin: NetlinkRequest;
  end: NetlinkRequest;
}

/** Options of `dump` and `dumpBatches`. */
export interface DumpOptions {
  /** Stops the dump: iteration rejects with the signal's reason; the rest of the dump is drained and discarded. */
  signal?: AbortSignalLike;
  /** Datagrams buffered before the socket stops reading (backpressure). Default 8. */
  highWaterMark?: number;
}

/** Options of `dumpAll`. */
export interface DumpAllOptions extends DumpOptions {
  /** Times to restart a dump that came back with NLM_F_DUMP_INTR before giving up. Default 0. */
  retries?: number;
  /** Called with each batch as it arrives and the attempt number (1 for the first run), e.g. for progress. */
  onBatch?: (batch: readonly NetlinkMessage[], attempt: number) => void;
}

/** The ACK that completed a request; `warning` is the extended ACK message the kernel attached to a success. */
export interface NetlinkAck {
  /** Extended ACK TLVs of the ACK (often empty). */
  extack: ExtAck;
  /** Warning text, when the kernel accepted the request but said something. */
  warning?: string;
}

/** Result of `request`: the reply messages (possibly none) and the ACK. */
export interface RequestResult {
  messages: NetlinkMessage[];
  ack?: NetlinkAck;
}
