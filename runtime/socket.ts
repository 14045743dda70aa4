// A netlink socket on the Node event loop: requests matched by sequence number, streaming dumps with backpressure,
// batching, multicast subscriptions, network namespaces. The loop never waits on the kernel.
// `Symbol.dispose`/`asyncDispose` in our declarations: the lib reference lets them type-check under any `lib`/`types`.
/// <reference lib="esnext.disposable" preserve="true" />
import {
  AF_NETLINK,
  EAGAIN,
  EINTR,
  ENOBUFS,
  EPERM,
  errno,
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_PKTINFO,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
  sys,
} from './ffi.js';
import { DumpInterruptedError } from './dump-interrupted.js';
import {
  DecodeError,
  NetlinkError,
  ReplyLostError,
  SocketClosedError,
  SystemError,
  TruncatedMessageError,
} from './errors.js';
import { type ExtAck, parseDoneMessage, parseErrorMessage } from './extack.js';
import {
  BACKGROUND_DATAGRAMS,
  growReceiveCapacity,
  receive,
  receiveDirect,
  receiveInBackground,
  type ReceiveSet,
  releaseReceiveSet,
  rx,
  sendGathered,
  takeReceiveSet,
} from './io.js';
import {
  encodeMessage,
  Message,
  type NetlinkMessage,
  type NetlinkRequest,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  nlmsgAlign,
  writeHeader,
} from './message.js';
import { inNetns, type NetnsSpec } from './netns.js';
import { PendingTable } from './pending-table.js';
import { Poller, type PollTarget } from './poll.js';
import { type AbortSignalLike, type SubscribeOptions, Subscription, type SubscriptionHost } from './subscription.js';

/** Options of `NetlinkSocket.open`. */
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
   * How replies find their request. `'seq'` (default): by sequence number and port id, as the kernel's own families
   * answer. `'order'`: for peers that answer without them, as the classic tutorials write a module
   * (`nlmsg_put(skb, 0, 0, type, …)`: port id 0, sequence 0). One request is in flight at a time; the first
   * unicast with sequence number 0 is its reply and completes it (the ACK or error that may follow it is dropped); an
   * error with the request's sequence number before any reply rejects it, an ACK resolves it without messages.
   */
  replyMatch?: 'seq' | 'order';
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

const KIND_DO = 0;
const KIND_DUMP = 1;
const STATE_QUEUED = 0;
const STATE_SENT = 1;
const STATE_DONE = 2;

/** Datagrams handled per wakeup before yielding to the loop (timers and I/O stay responsive during big dumps). */
const MAX_DATAGRAMS_PER_WAKEUP = 16;

/** Datagrams of one dump read on the main thread before the rest is received in the background (small dumps never are). */
const BACKGROUND_AFTER = 4;

const NO_BATCHES: unknown[][] = [];

/**
 * Flushes are scheduled as reactions to this settled promise: the same microtask queue as `queueMicrotask`, without
 * the AsyncResource and bound function Node makes for every `queueMicrotask` call.
 */
const RESOLVED = Promise.resolve();

/**
 * The one message object a decoded dump's decoder is handed, refilled for every message: a typed dump builds its
 * typed objects straight from the datagram, without a Message per message (a 100k-route dump made 100k of them).
 */
class MessageCursor implements NetlinkMessage {
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
const cursor = new MessageCursor();

/** One request or dump on its way. Monomorphic on purpose (hot path). */
class Op {
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
 */
export class NetlinkSocket implements PollTarget, SubscriptionHost {
  /** Netlink protocol (NETLINK_ROUTE, NETLINK_GENERIC …). */
  readonly protocol: number;
  /** Port id the kernel assigned to this socket. */
  readonly portid: number;
  /** Identity (`dev:inode`) of the network namespace the socket lives in. */
  readonly netnsId: string;
  /** Receive buffer size the kernel reports (already doubled by the kernel). */
  readonly rcvBuf: number;
  /** Replies allowed outstanding at once. */
  readonly maxInFlight: number;

  #fd: number;
  readonly #poller: Poller;
  #closed = false;
  #seq: number;
  readonly #pending = new PendingTable<Op>();
  #sendQueue: Op[] = [];
  #sendHead = 0;
  #inFlight = 0;
  #flushScheduled = false;
  readonly #flushBound = (): void => this.#flush();
  readonly #dumpQueue: Op[] = [];
  #activeDump: Op | undefined;
  #paused = false;
  #overrunSeen = false;
  readonly #subs = new Set<Subscription>();
  readonly #groupRefs = new Map<number, number>();
  /** Set on the first join, for good; from then on each datagram's group is read (see `#connected`). */
  #pktinfo = false;
  /**
   * Connected to the kernel, which then refuses unicast from any other port. Until the first join (`#pktinfo`) every
   * datagram is the kernel's unicast, so reading takes `receiveDirect`; after it, `receive` with sender and group,
   * also once the groups are left, as multicast datagrams still queued then must keep their group number.
   */
  readonly #connected: boolean;
  readonly #maxDatagram: number;
  readonly #background: boolean;
  /** `replyMatch: 'order'`: unsequenced unicast answers the do request in flight (`#orderOp`). */
  readonly #inOrder: boolean;
  #orderOp: Op | undefined = undefined;
  /** Sequence number of the last request answered by an unsequenced reply: its ACK, if one follows, is dropped. */
  #answeredSeq = 0;
  /** The background receive in flight: the threadpool owns the socket's reading until it is back. */
  #bgSet: ReceiveSet | undefined = undefined;
  /** fd whose close waits for the background receive in flight (the worker must not read a reused fd number). */
  #bgFd = -1;
  #bgCount = 0;
  #sendCount = 0;
  readonly #bgDone = (n: number, err: number): void => this.#onBackground(n, err);
  // scratch for the send path
  #sendOps: Op[] = [];
  #sendSizes: number[] = [];
  readonly #fill = (i: number, dst: Uint8Array, dv: DataView, off: number): void => {
    const op = this.#sendOps[i];
    const len = NLMSG_HDRLEN + op.payload.length;
    writeHeader(dv, off, len, op.type, op.flags, op.seq, this.portid);
    dst.set(op.payload, off + NLMSG_HDRLEN);
    if (op.size > len) dst.fill(0, off + len, off + op.size);
  };

  private constructor(fd: number, protocol: number, portid: number, netnsId: string, rcvBuf: number, sndBuf: number, maxInFlight: number | undefined, background: boolean, connected: boolean, inOrder: boolean) {
    this.#fd = fd;
    this.#inOrder = inOrder;
    this.#connected = connected;
    this.#background = background;
    this.protocol = protocol;
    this.portid = portid;
    this.netnsId = netnsId;
    this.rcvBuf = rcvBuf;
    this.#maxDatagram = Math.max(4096, sndBuf - 64);
    this.maxInFlight = inOrder ? 1 : (maxInFlight ?? Math.min(256, Math.max(4, Math.floor(rcvBuf / 8192))));
    this.#seq = (Math.random() * 0x7fffffff) >>> 0;
    this.#poller = new Poller(fd, this);
    this.#poller.unref();
  }

  /**
   * Opens a socket of `protocol`, inside `options.netns` when given (the calling thread returns to its own namespace
   * before this returns, also on failure). Sets strict checking, extended ACK and capped ACKs as asked.
   */
  static async open(protocol: number, options: OpenOptions = {}): Promise<NetlinkSocket> {
    return NetlinkSocket.openSync(protocol, options);
  }

  /** Synchronous form of `open`. */
  static openSync(protocol: number, options: OpenOptions = {}): NetlinkSocket {
    const { value: fd, netnsId } = inNetns(options.netns, () => {
      const s = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
      if (s < 0) throw new SystemError(`socket(AF_NETLINK, ${protocol})`, errno());
      return s;
    });
    try {
      const addr = new Uint8Array(12);
      addr[0] = AF_NETLINK;
      if (sys.bind(fd, addr, 12) !== 0) throw new SystemError('bind', errno());
      const len = [12];
      if (sys.getsockname(fd, addr, len) !== 0) throw new SystemError('getsockname', errno());
      const portid = new DataView(addr.buffer).getUint32(4, true);
      // Connected to the kernel (port 0), the socket gets no unicast from other processes: the kernel refuses it
      // with ECONNREFUSED. Without that guarantee (connect failing) every datagram's sender is checked instead.
      const kernel = new Uint8Array(12);
      kernel[0] = AF_NETLINK;
      const connected = sys.connect(fd, kernel, 12) === 0;
      const strict = options.strict ?? true;
      const extAck = options.extAck ?? true;
      const capAck = options.capAck ?? true;
      // Older kernels lack some options: failing to set them only loses detail, never correctness.
      if (extAck) setInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
      if (capAck) setInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
      if (strict) setInt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
      if (options.rcvBuf !== undefined) setRcvBuf(fd, options.rcvBuf);
      const rcvBuf = getInt(fd, SOL_SOCKET, SO_RCVBUF);
      const sndBuf = getInt(fd, SOL_SOCKET, SO_SNDBUF);
      const replyMatch = options.replyMatch ?? 'seq';
      if (replyMatch !== 'seq' && replyMatch !== 'order') throw new TypeError(`replyMatch must be 'seq' or 'order', not ${String(replyMatch)}`);
      return new NetlinkSocket(fd, protocol, portid, netnsId, rcvBuf, sndBuf, options.maxInFlight, options.backgroundReceive ?? true, connected, replyMatch === 'order');
    } catch (err) {
      sys.close(fd);
      throw err;
    }
  }

  /** The socket's file descriptor (−1 once closed). */
  get fd(): number {
    return this.#fd;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Datagrams this socket has sent (each one send call carrying one or more requests): diagnostics and tests. */
  get sendCalls(): number {
    return this.#sendCount;
  }

  /** Background receives (recvmmsg calls on libuv's threadpool) this socket has made: diagnostics and tests. */
  get backgroundReceives(): number {
    return this.#bgCount;
  }

  /** Requests sent whose final reply has not arrived, plus queued ones (diagnostics). */
  get pendingCount(): number {
    return this.#pending.size + (this.#sendQueue.length - this.#sendHead) + this.#dumpQueue.length;
  }

  /**
   * Sends a request (NLM_F_REQUEST|NLM_F_ACK added) and resolves with its reply messages and ACK, or rejects with
   * a NetlinkError carrying errno, code and the decoded extended ACK.
   */
  request(req: NetlinkRequest, opts?: RequestOptions): Promise<RequestResult> {
    return this.#startDo(new Op(KIND_DO, req.type, (req.flags ?? 0) | NLM_F_REQUEST | NLM_F_ACK, req.payload), opts);
  }

  /**
   * `request` for generated clients: a NetlinkError is named by `namer` (its property `path`) before the promise
   * rejects. One promise per request and no request object: batches of many thousand requests go through here.
   */
  requestNamed(type: number, flags: number, payload: Uint8Array, opts: RequestOptions | undefined, namer: ErrorNamer, rootSet: string, attrsStart: number): Promise<RequestResult> {
    return this.#startDo(this.#namedOp(type, flags, payload, namer, rootSet, attrsStart), opts);
  }

  /**
   * `requestNamed` for requests whose replies nobody reads (ops without a reply): resolves with undefined once
   * the kernel ACKs, so no result objects are built; reply messages, should any come, are dropped.
   */
  requestNamedAck(type: number, flags: number, payload: Uint8Array, opts: RequestOptions | undefined, namer: ErrorNamer, rootSet: string | undefined, attrsStart: number): Promise<void> {
    const op = this.#namedOp(type, flags, payload, rootSet === undefined ? undefined : namer, rootSet ?? '', attrsStart);
    op.voidResult = true;
    return this.#startDo(op, opts) as Promise<unknown> as Promise<void>; // settled with undefined (voidResult)
  }

  /** A do request whose NetlinkError `namer` names before it rejects. */
  #namedOp(type: number, flags: number, payload: Uint8Array, namer: ErrorNamer | undefined, rootSet: string, attrsStart: number): Op {
    const op = new Op(KIND_DO, type, flags | NLM_F_REQUEST | NLM_F_ACK, payload);
    op.namer = namer;
    op.rootSet = rootSet;
    op.attrsStart = attrsStart;
    return op;
  }

  /** Queues a do request and returns the promise its ACK (or error) settles. */
  #startDo(op: Op, opts: RequestOptions | undefined): Promise<RequestResult> {
    return new Promise<RequestResult>((resolve, reject) => {
      op.resolve = resolve;
      op.reject = reject;
      this.#enqueue(op, opts?.signal);
    });
  }

  /**
   * Sends several requests together (one sendmsg per window of `maxInFlight`); resolves with one entry per
   * request, in order: its result, or the error that request got.
   */
  batch(reqs: readonly NetlinkRequest[], opts?: RequestOptions): Promise<(RequestResult | Error)[]> {
    return Promise.all(reqs.map((r) => this.request(r, opts).catch((e: Error) => e)));
  }

  /**
   * A dump (NLM_F_REQUEST|NLM_F_DUMP added) as an async iterable of arrays: one array per received datagram, so a
   * consumer can decode a whole batch synchronously. Reading stops while batches pile up (backpressure). The dump
   * starts when iteration starts; dumps on one socket run one after the other.
   */
  dumpBatches(req: NetlinkRequest, opts?: DumpOptions): AsyncIterable<NetlinkMessage[]> & AsyncIterator<NetlinkMessage[]> {
    return new DumpIterator<NetlinkMessage>(this, req, opts, undefined);
  }

  /**
   * `dumpBatches` whose batches hold `decode(message)` instead of the messages (generated clients' typed dumps).
   * `decode` runs as the datagram is read and gets one reused message object: it must read what it needs from
   * `data`/`view`/`start`/`end` and keep nothing of the object itself. An exception from it fails the dump.
   */
  dumpDecoded<T>(req: NetlinkRequest, opts: DumpOptions | undefined, decode: (m: NetlinkMessage) => T): AsyncIterable<T[]> & AsyncIterator<T[]> {
    return new DumpIterator<T>(this, req, opts, decode);
  }

  /** A dump as an async iterable of messages (see `dumpBatches`). Throws DumpInterruptedError at the end if flagged. */
  async *dump(req: NetlinkRequest, opts?: DumpOptions): AsyncGenerator<NetlinkMessage, void, undefined> {
    for await (const batch of this.dumpBatches(req, opts)) yield* batch;
  }

  /**
   * Collects a whole dump. With `retries`, a dump flagged NLM_F_DUMP_INTR is restarted up to that many times;
   * after that a DumpInterruptedError carrying the partial results is thrown.
   */
  async dumpAll(req: NetlinkRequest, opts: DumpAllOptions = {}): Promise<NetlinkMessage[]> {
    const retries = opts.retries ?? 0;
    for (let attempt = 1; ; attempt++) {
      const out: NetlinkMessage[] = [];
      try {
        for await (const batch of this.dumpBatches(req, opts)) {
          for (const m of batch) out.push(m);
          opts.onBatch?.(batch, attempt);
        }
        return out;
      } catch (err) {
        if (!(err instanceof DumpInterruptedError)) throw err;
        if (attempt > retries) throw new DumpInterruptedError(out, out.length, attempt);
      }
    }
  }

  /**
   * Joins multicast `groups` and returns the subscription (an async iterable of messages and overrun markers).
   * Group 0 receives unsolicited unicast messages instead of a multicast group.
   */
  subscribe(groups: readonly number[], opts?: SubscribeOptions): Subscription {
    this.#assertOpen();
    const sub = new Subscription(this, opts);
    if (opts?.signal?.aborted) {
      sub.close();
      return sub;
    }
    this.#subs.add(sub);
    this.#updateRef();
    try {
      for (const g of groups) sub.join(g);
    } catch (err) {
      sub.close();
      throw err;
    }
    return sub;
  }

  /** Closes the socket: pending operations reject with SocketClosedError, subscriptions end. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const err = new SocketClosedError();
    for (const op of this.#pending.values()) this.#failOp(op, err);
    for (let i = this.#sendHead; i < this.#sendQueue.length; i++) this.#failOp(this.#sendQueue[i], err);
    for (const op of this.#dumpQueue) this.#failOp(op, err);
    this.#pending.clear();
    this.#sendQueue = [];
    this.#sendHead = 0;
    this.#dumpQueue.length = 0;
    this.#activeDump = undefined;
    for (const sub of [...this.#subs]) sub.close();
    this.#poller.close();
    // A background receive still holds the fd number: closing it now could let a new socket reuse the number and
    // the worker read that socket's datagram. It is closed when the receive comes back.
    if (this.#bgSet) this.#bgFd = this.#fd;
    else sys.close(this.#fd);
    this.#fd = -1;
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Same as `close()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  // ---- subscriptions (SubscriptionHost) ----

  /** @internal */
  joinGroup(_sub: Subscription, group: number): void {
    this.#assertOpen();
    const n = this.#groupRefs.get(group) ?? 0;
    if (n === 0 && group !== 0) {
      if (!this.#pktinfo) {
        // The destination group of each datagram tells notifications apart from replies, also for groups ≥ 32.
        setInt(this.#fd, SOL_NETLINK, NETLINK_PKTINFO, 1);
        this.#pktinfo = true;
      }
      const v = new Int32Array([group]);
      if (sys.setsockopt(this.#fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, v, 4) !== 0) {
        throw new SystemError(`joining multicast group ${group}`, errno());
      }
    }
    this.#groupRefs.set(group, n + 1);
  }

  /** @internal */
  leaveGroup(_sub: Subscription, group: number): void {
    const n = this.#groupRefs.get(group) ?? 0;
    if (n <= 1) {
      this.#groupRefs.delete(group);
      if (group !== 0 && n === 1 && !this.#closed) {
        sys.setsockopt(this.#fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, new Int32Array([group]), 4);
      }
    } else this.#groupRefs.set(group, n - 1);
  }

  /** @internal */
  endSubscription(sub: Subscription): void {
    if (this.#subs.delete(sub)) {
      this.#updateRef();
      this.resumeIfDrained();
    }
  }

  /** @internal Restarts reading once no consumer is over its buffer limit. */
  resumeIfDrained(): void {
    if (!this.#paused || this.#closed) return;
    const d = this.#activeDump;
    if (d && !d.abandoned && d.batches.length - d.head >= d.hwm) return;
    for (const s of this.#subs) if (s.queued >= s.maxQueued) return;
    this.#paused = false;
    if (!this.#bgSet) this.#poller.start();
  }

  // ---- sending ----

  #assertOpen(): void {
    if (this.#closed) throw new SocketClosedError();
  }

  #nextSeq(): number {
    let s = this.#seq;
    do s = (s + 1) >>> 0;
    while (s === 0 || this.#pending.has(s));
    this.#seq = s;
    return s;
  }

  #enqueue(op: Op, signal: AbortSignalLike | undefined): void {
    if (this.#closed) {
      this.#failOp(op, new SocketClosedError());
      return;
    }
    if (signal) {
      if (signal.aborted) {
        this.#failOp(op, signal.reason);
        return;
      }
      op.signal = signal;
      op.onAbort = () => this.#abort(op);
      signal.addEventListener('abort', op.onAbort, { once: true });
    }
    op.seq = this.#nextSeq();
    if (op.kind === KIND_DUMP) this.#dumpQueue.push(op);
    else this.#sendQueue.push(op);
    this.#updateRef();
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      // Requests made in the same tick leave together in one sendmsg.
      RESOLVED.then(this.#flushBound);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#closed) return;
    if (this.#sendHead >= this.#sendQueue.length && (this.#activeDump || this.#dumpQueue.length === 0)) return;
    this.#flushScheduled = true;
    RESOLVED.then(this.#flushBound);
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#closed) return;
    // Scratch arrays reused with a count: truncating them (length = 0) on every flush costs more than the send.
    // Entries past `count` stay until overwritten (at most maxInFlight ops); clearing them (fill) measurably
    // slowed dumps, for reasons not pinned down, so they are left.
    const ops = this.#sendOps;
    const sizes = this.#sendSizes;
    for (;;) {
      let count = 0;
      let bytes = 0;
      if (!this.#activeDump) {
        while (this.#dumpQueue.length > 0) {
          const d = this.#dumpQueue.shift()!;
          if (d.state !== STATE_QUEUED) continue;
          this.#activeDump = d;
          ops[count] = d;
          sizes[count++] = d.size;
          bytes += d.size;
          break;
        }
      }
      const q = this.#sendQueue;
      while (this.#sendHead < q.length && this.#inFlight < this.maxInFlight) {
        const op = q[this.#sendHead];
        if (op.state !== STATE_QUEUED) {
          this.#sendHead++;
          continue;
        }
        if (count > 0 && bytes + op.size > this.#maxDatagram) break;
        this.#sendHead++;
        ops[count] = op;
        sizes[count++] = op.size;
        bytes += op.size;
        this.#inFlight++;
      }
      if (this.#sendHead === q.length) {
        // pop() of the usual single entry stays in optimized code; the length setter does not.
        if (q.length === 1) q.pop();
        else q.length = 0;
        this.#sendHead = 0;
      } else if (this.#sendHead > 1024 && this.#sendHead * 2 > q.length) {
        this.#sendQueue = q.slice(this.#sendHead);
        this.#sendHead = 0;
      }
      if (count === 0) return;
      for (let i = 0; i < count; i++) {
        const op = ops[i];
        op.state = STATE_SENT;
        this.#pending.add(op);
        if (this.#inOrder && op.kind === KIND_DO) this.#orderOp = op;
      }
      this.#sendCount++;
      const n = sendGathered(this.#fd, count, bytes, sizes, this.#fill);
      if (n < 0) {
        for (let i = 0; i < count; i++) {
          const op = ops[i];
          this.#pending.delete(op.seq);
          if (op.kind === KIND_DO) this.#inFlight--;
          else if (this.#activeDump === op) this.#activeDump = undefined;
          const err = new NetlinkError(-n, {}, requestBytes(op, this.portid), 'sendmsg');
          err.origin = 'local';
          this.#failOp(op, err);
        }
        this.#updateRef();
        continue;
      }
      // The kernel answers while sendmsg runs, so the replies are queued already: read them now instead of
      // waiting for the next loop iteration (bounded like any wakeup; the poller picks up the rest).
      this.#drain(false);
      if (this.#closed) return;
      // Keep going while the window allows (replies read above may have freed slots).
      if (!(this.#sendHead < this.#sendQueue.length && this.#inFlight < this.maxInFlight)) return;
    }
  }

  #abort(op: Op): void {
    if (op.state === STATE_DONE) return;
    const reason = op.signal?.reason;
    if (op.state === STATE_QUEUED) {
      // Never sent: drop it from the queue (the flush skips it).
      op.state = STATE_DONE;
      if (op.kind === KIND_DUMP) {
        const i = this.#dumpQueue.indexOf(op);
        if (i >= 0) this.#dumpQueue.splice(i, 1);
      }
      this.#settleFail(op, reason);
      this.#updateRef();
      return;
    }
    // Sent: the kernel will still answer. Keep the entry so the late reply (or the rest of the dump) is drained
    // and discarded, then free the slot.
    op.abandoned = true;
    op.batches = [];
    op.head = 0;
    this.#settleFail(op, reason);
    this.resumeIfDrained();
  }

  // ---- receiving (PollTarget) ----

  /** @internal Called by the poller from inside libuv. */
  onPoll(status: number, _events: number): void {
    if (this.#closed) return;
    if (status < 0) this.#poller.markStopped();
    this.#drain(true);
  }

  /**
   * Reads and dispatches up to MAX_DATAGRAMS_PER_WAKEUP datagrams. From the poller it reads until EAGAIN; right after
   * a send it stops as soon as nothing is pending (saving the final empty read).
   */
  #drain(fromPoll: boolean): void {
    if (this.#paused || this.#bgSet) return;
    let handled = 0;
    while (handled < MAX_DATAGRAMS_PER_WAKEUP) {
      if (!fromPoll && this.#pending.size === 0 && this.#subs.size === 0 && !this.#overrunSeen) break;
      const n = this.#connected && !this.#pktinfo ? receiveDirect(this.#fd) : receive(this.#fd);
      if (n < 0) {
        const e = -n;
        if (e === EAGAIN) {
          if (this.#overrunSeen) this.#failLostReplies();
          break;
        }
        if (e === EINTR) continue;
        if (e === ENOBUFS) {
          this.#onOverrun();
          continue;
        }
        this.#fatal(new SystemError('recvmsg', e));
        return;
      }
      handled++;
      this.#handleDatagram();
      if (this.#paused || this.#closed) break;
      const d = this.#activeDump;
      if (this.#background && d !== undefined && d.datagrams >= BACKGROUND_AFTER) {
        this.#receiveInBackground();
        return;
      }
    }
    if (!this.#closed && !this.#paused && !this.#poller.started) this.#poller.start();
  }

  /** Handles the datagram `rx` describes. */
  #handleDatagram(): void {
    if (rx.srcPid !== 0) return; // only the kernel speaks for itself; ignore other processes
    if (rx.truncated) {
      growReceiveCapacity(rx.size);
      this.#onTruncated();
    } else this.#dispatch(rx.data, rx.group);
  }

  /**
   * Hands the socket's reading to the threadpool for one recvmmsg: the poller stops (two readers would reorder
   * datagrams) until it comes back in `#onBackground`.
   */
  #receiveInBackground(): void {
    this.#poller.stop();
    if (!this.#startBackground()) this.#poller.start();
  }

  /**
   * Starts one background receive; false when it could not be started (koffi refuses more concurrent calls than
   * its limit): the caller then keeps reading on the main thread.
   */
  #startBackground(): boolean {
    const set = takeReceiveSet();
    this.#bgSet = set;
    try {
      receiveInBackground(this.#fd, set, this.#bgDone);
    } catch {
      this.#bgSet = undefined;
      releaseReceiveSet(set);
      return false;
    }
    this.#bgCount++;
    return true;
  }

  /** A background receive came back with `n` datagrams (or −1 and `err`). */
  #onBackground(n: number, err: number): void {
    const set = this.#bgSet!;
    this.#bgSet = undefined;
    if (this.#closed) {
      releaseReceiveSet(set);
      if (this.#bgFd >= 0) sys.close(this.#bgFd);
      this.#bgFd = -1;
      return;
    }
    if (n < 0) {
      releaseReceiveSet(set);
      if (err === ENOBUFS) this.#onOverrun();
      else if (err !== EAGAIN && err !== EINTR) {
        this.#fatal(new SystemError('recvmmsg', err));
        return;
      }
      this.#drain(true);
      return;
    }
    // Start the next receive before handling these, so the kernel builds the next parts meanwhile — unless the
    // queue ran dry, the reader is paused, or the dump ends in this batch.
    const d = this.#activeDump;
    if (n === BACKGROUND_DATAGRAMS && d !== undefined && !this.#paused && !set.endsWith(n - 1, d.seq, NLMSG_DONE, NLMSG_ERROR)) {
      this.#startBackground();
    }
    set.take(n);
    for (let i = 0; i < n; i++) {
      set.load(i);
      this.#handleDatagram();
      if (this.#closed) break;
    }
    releaseReceiveSet(set);
    if (!this.#bgSet) this.#drain(true);
  }

  #dispatch(data: Uint8Array, group: number): void {
    const length = data.length;
    const view = new DataView(data.buffer, data.byteOffset, length);
    let off = 0;
    const pending = this.#pending;
    const portid = this.portid;
    let lastSeq = -1;
    let lastOp: Op | undefined;
    while (off < length) {
      if (length - off < NLMSG_HDRLEN) {
        this.#onMalformed(new DecodeError('truncated nlmsghdr', off), -1);
        break;
      }
      const len = view.getUint32(off, true);
      if (len < NLMSG_HDRLEN || len > length - off) {
        const seq = length - off >= 12 ? view.getUint32(off + 8, true) : -1;
        this.#onMalformed(new DecodeError(`nlmsg_len ${len} is invalid (${length - off} bytes left)`, off), seq);
        break;
      }
      const type = view.getUint16(off + 4, true);
      const flags = view.getUint16(off + 6, true);
      const seq = view.getUint32(off + 8, true);
      const pid = view.getUint32(off + 12, true);
      const at = off;
      off += (len + 3) & ~3;
      // Consecutive messages usually answer the same request (dumps): skip the map lookup for them.
      let op: Op | undefined;
      if (group === 0 && pid === portid) {
        if (seq === lastSeq && lastOp !== undefined && lastOp.state !== STATE_DONE && !lastOp.finished) op = lastOp;
        else {
          op = pending.get(seq);
          lastSeq = seq;
          lastOp = op;
        }
      }
      // A plain success ACK (error 0, the echoed header, no TLVs) ends most do requests: settle it without a
      // Message or a status parse (what parseErrorMessage would return for these 36 bytes is an empty extack).
      if (op !== undefined && op.kind === KIND_DO && type === NLMSG_ERROR && len === NLMSG_HDRLEN + 4 + NLMSG_HDRLEN && view.getInt32(at + NLMSG_HDRLEN, true) === 0) {
        this.#completeDoOk(op, {});
        continue;
      }
      // Replies of a dump: the run of them starting here is handled in one tight loop (decoded without a Message
      // for decoded dumps).
      if (op !== undefined && op.kind === KIND_DUMP && type > NLMSG_OVERRUN) {
        off = this.#dumpRun(op, data, view, at, length, group);
        continue;
      }
      const msg = new Message(type, flags, seq, pid, group, data, view, at + NLMSG_HDRLEN, at + len);
      if (op === undefined) {
        if (this.#inOrder && group === 0 && this.#answerInOrder(msg, seq)) continue;
        if (type !== NLMSG_NOOP) this.#notify(msg, group);
        continue;
      }
      try {
        if (op.kind === KIND_DO) {
          if (type === NLMSG_ERROR) this.#completeDo(op, msg);
          else if (type === NLMSG_DONE || type === NLMSG_NOOP || type === NLMSG_OVERRUN) {
            // Multi-part do replies end with DONE; the ACK follows and completes the request.
          } else if (!op.abandoned && !op.voidResult) (op.messages ??= []).push(msg);
        } else if (type === NLMSG_DONE) {
          // (Data messages of a dump never get here: #dumpRun took them, batch delivered.)
          const st = parseDoneMessage(msg);
          let err: NetlinkError | undefined;
          if (st.error < 0) {
            err = new NetlinkError(-st.error, st.extack, requestBytes(op, this.portid));
            err.origin = 'NLMSG_DONE';
          }
          this.#finishDump(op, err);
        } else if (type === NLMSG_ERROR) {
          const st = parseErrorMessage(msg);
          this.#finishDump(op, st.error < 0 ? new NetlinkError(-st.error, st.extack, requestBytes(op, this.portid)) : undefined);
        }
      } catch (err) {
        // A malformed status message fails its own request only.
        this.#onMalformed(err, seq);
      }
    }
  }

  /**
   * Takes the consecutive replies of dump `op` that start at `off` (data messages with its sequence number and our
   * port id) — decoded through the shared cursor when the dump has a decoder, else as Messages — delivers them as
   * one batch and returns the offset after the run. A control message (DONE, ERROR), another request's message or
   * a malformed header ends the run; `#dispatch` takes it from there.
   */
  #dumpRun(op: Op, data: Uint8Array, view: DataView, off: number, length: number, group: number): number {
    const decode = op.decode;
    const seq = op.seq;
    const portid = this.portid;
    const c = cursor;
    c.data = data;
    c.view = view;
    c.seq = seq;
    c.portid = portid;
    c.group = group;
    const batch: unknown[] | undefined = op.abandoned ? undefined : [];
    let count = 0;
    let intr = false;
    let failure: { err: unknown } | undefined;
    try {
      while (length - off >= NLMSG_HDRLEN) {
        const len = view.getUint32(off, true);
        if (len < NLMSG_HDRLEN || len > length - off) break;
        const type = view.getUint16(off + 4, true);
        if (type <= NLMSG_OVERRUN || view.getUint32(off + 8, true) !== seq || view.getUint32(off + 12, true) !== portid) break;
        const flags = view.getUint16(off + 6, true);
        if (flags & NLM_F_DUMP_INTR) intr = true;
        count++;
        const at = off;
        off += (len + 3) & ~3;
        if (batch === undefined) continue;
        if (decode === undefined) {
          batch.push(new Message(type, flags, seq, portid, group, data, view, at + NLMSG_HDRLEN, at + len));
          continue;
        }
        c.type = type;
        c.flags = flags;
        c.start = at + NLMSG_HDRLEN;
        c.end = at + len;
        batch.push(decode(c));
      }
    } catch (err) {
      failure = { err };
    }
    op.count += count;
    op.datagrams++;
    if (intr) op.intr = true;
    // A reply the decoder rejects (DecodeError) fails its dump, as a malformed message would; the rest of the dump
    // is drained and discarded.
    if (failure !== undefined) this.#onMalformed(failure.err, seq);
    else if (batch !== undefined && batch.length > 0) this.#deliverBatch(op, batch);
    return off;
  }

  /**
   * `replyMatch: 'order'`: an unsequenced unicast answers (and completes) the do request in flight; the ACK of a
   * request answered that way is dropped. False when `msg` is neither (it goes to the subscriptions).
   */
  #answerInOrder(msg: Message, seq: number): boolean {
    if (seq !== 0) {
      if (seq !== this.#answeredSeq || msg.type !== NLMSG_ERROR) return false;
      this.#answeredSeq = 0;
      return true;
    }
    const op = this.#orderOp;
    if (op === undefined || op.state !== STATE_SENT || this.#pending.get(op.seq) !== op) return false;
    this.#orderOp = undefined;
    try {
      if (msg.type === NLMSG_ERROR) {
        this.#completeDo(op, msg);
        return true;
      }
    } catch (err) {
      this.#onMalformed(err, op.seq);
      return true;
    }
    if (!op.abandoned && !op.voidResult) (op.messages ??= []).push(msg);
    this.#answeredSeq = op.seq;
    this.#completeDoOk(op, {});
    return true;
  }

  #completeDo(op: Op, msg: Message): void {
    const st = parseErrorMessage(msg);
    if (st.error === 0) {
      this.#completeDoOk(op, st.extack);
      return;
    }
    this.#pending.delete(op.seq);
    this.#inFlight--;
    this.#scheduleFlush();
    if (op.abandoned) op.state = STATE_DONE;
    else this.#settleFail(op, new NetlinkError(-st.error, st.extack, requestBytes(op, this.portid)));
    this.#updateRef();
  }

  /** A do request's success ACK arrived (with `extack`, possibly a warning). */
  #completeDoOk(op: Op, extack: ExtAck): void {
    this.#pending.delete(op.seq);
    this.#inFlight--;
    this.#scheduleFlush();
    if (op.abandoned) op.state = STATE_DONE;
    else if (op.voidResult) this.#settleOk(op, undefined);
    else {
      const ack: NetlinkAck = { extack };
      if (extack.message !== undefined) ack.warning = extack.message;
      this.#settleOk(op, { messages: op.messages ?? [], ack });
    }
    this.#updateRef();
  }

  #deliverBatch(op: Op, batch: unknown[]): void {
    if (op.abandoned || op.state === STATE_DONE) return;
    const w = op.waiter;
    if (w && op.head === op.batches.length) {
      op.waiter = op.waiterReject = undefined;
      w({ value: batch, done: false });
      return;
    }
    op.batches.push(batch);
    if (op.batches.length - op.head >= op.hwm && !this.#paused) {
      this.#paused = true;
      this.#poller.stop();
    }
  }

  #finishDump(op: Op, error: unknown): void {
    this.#pending.delete(op.seq);
    if (this.#activeDump === op) this.#activeDump = undefined;
    this.#scheduleFlush();
    if (!error && op.intr) error = new DumpInterruptedError([], op.count);
    op.finished = true;
    op.error = error;
    if (op.abandoned) op.state = STATE_DONE;
    else this.#wakeDump(op);
    this.#updateRef();
    this.resumeIfDrained();
  }

  /** Resolves a waiting dump consumer with the end or the error, once its buffered batches are gone. */
  #wakeDump(op: Op): void {
    if (op.head < op.batches.length) return;
    const w = op.waiter;
    const r = op.waiterReject;
    if (!w) return;
    op.waiter = op.waiterReject = undefined;
    op.state = STATE_DONE;
    this.#detachSignal(op);
    if (op.error !== undefined) r!(op.error);
    else w({ value: undefined, done: true });
  }

  #notify(msg: Message, group: number): void {
    if (this.#subs.size === 0) return;
    let full = false;
    for (const sub of this.#subs) if (sub.wants(group) && sub.push(msg)) full = true;
    if (full && !this.#paused) {
      this.#paused = true;
      this.#poller.stop();
    }
  }

  #onOverrun(): void {
    this.#overrunSeen = true;
    let full = false;
    for (const sub of this.#subs) if (sub.overrun()) full = true;
    if (full && !this.#paused) {
      this.#paused = true;
      this.#poller.stop();
    }
  }

  /**
   * After an overrun, once the receive queue is empty, a sent request without its final reply lost it: the
   * kernel answers requests synchronously while they are sent, so anything still queued would have been read.
   */
  #failLostReplies(): void {
    this.#overrunSeen = false;
    for (const op of this.#pending.values()) {
      if (op.kind !== KIND_DO || op.state !== STATE_SENT) continue;
      this.#pending.delete(op.seq);
      this.#inFlight--;
      if (op.abandoned) op.state = STATE_DONE;
      else this.#settleFail(op, new ReplyLostError(requestBytes(op, this.portid)));
    }
    this.#scheduleFlush();
    this.#updateRef();
  }

  #onTruncated(): void {
    const err = new TruncatedMessageError(rx.size, rx.data.length);
    // The first header survived: fail the request it belongs to; otherwise tell the subscribers.
    const d = rx.data;
    const seq = d.length >= 16 ? new DataView(d.buffer, d.byteOffset, d.length).getUint32(8, true) : -1;
    const op = rx.group === 0 ? this.#pending.get(seq) : undefined;
    if (op) this.#failPending(op, err);
    else this.#failSubscribers(err);
  }

  /** Hands an error nobody asked for to the subscribers, or to a process warning when there are none. */
  #failSubscribers(err: unknown): void {
    if (this.#subs.size === 0) {
      process.emitWarning(err instanceof Error ? err : String(err), { code: 'NLGEN_UNCLAIMED_ERROR' });
      return;
    }
    for (const sub of [...this.#subs]) sub.fail(err);
  }

  #onMalformed(err: unknown, seq: number): void {
    const op = seq >= 0 ? this.#pending.get(seq) : undefined;
    if (op) this.#failPending(op, err);
    else this.#failSubscribers(err);
  }

  /** Fails a sent operation now; its remaining replies will be discarded. */
  #failPending(op: Op, err: unknown): void {
    if (op.kind === KIND_DUMP) {
      if (!op.abandoned) {
        op.abandoned = true;
        op.batches = [];
        op.head = 0;
        this.#settleFail(op, err);
      }
      return;
    }
    this.#pending.delete(op.seq);
    this.#inFlight--;
    this.#settleFail(op, err);
    this.#updateRef();
  }

  #fatal(err: unknown): void {
    for (const op of this.#pending.values()) this.#failOp(op, err);
    this.#pending.clear();
    for (const sub of [...this.#subs]) sub.fail(err);
    this.close();
  }

  // ---- settling ----

  /** Resolves a do request or dump start; `r` is undefined only for voidResult requests. */
  #settleOk(op: Op, r: RequestResult | undefined): void {
    op.state = STATE_DONE;
    this.#detachSignal(op);
    const f = op.resolve;
    op.resolve = op.reject = undefined;
    f?.(r as RequestResult);
  }

  #settleFail(op: Op, err: unknown): void {
    this.#detachSignal(op);
    if (op.kind === KIND_DUMP) {
      op.error = err;
      op.finished = true;
      const r = op.waiterReject;
      op.waiter = op.waiterReject = undefined;
      if (r) {
        op.state = STATE_DONE;
        r(err);
      }
      return;
    }
    if (!op.abandoned) op.state = STATE_DONE;
    const f = op.reject;
    op.resolve = op.reject = undefined;
    if (f !== undefined && op.namer !== undefined && err instanceof NetlinkError) {
      try {
        op.namer.nameError(err, op.rootSet, op.attrsStart);
      } catch {
        // A path that cannot be worked out leaves `path` unset; the kernel's error still reaches the caller.
      }
    }
    f?.(err);
  }

  #failOp(op: Op, err: unknown): void {
    op.abandoned = true;
    this.#settleFail(op, err);
    op.state = STATE_DONE;
  }

  #detachSignal(op: Op): void {
    if (op.signal && op.onAbort) op.signal.removeEventListener('abort', op.onAbort);
    op.signal = undefined;
    op.onAbort = undefined;
  }

  #updateRef(): void {
    if (this.#closed) return;
    const busy =
      this.#pending.size > 0 ||
      this.#sendHead < this.#sendQueue.length ||
      this.#dumpQueue.length > 0 ||
      this.#subs.size > 0;
    if (busy) this.#poller.ref();
    else if (!this.#unrefScheduled) {
      // Let go of the loop once the current burst of work is over, not at once: the usual request loop makes its
      // next request in the previous reply's continuation, and would otherwise pay uv_unref + uv_ref (two native
      // calls) per request. The check runs in this loop iteration's check phase, so an idle socket still never
      // holds the process open.
      this.#unrefScheduled = true;
      setImmediate(this.#unrefIfIdle);
    }
  }

  #unrefScheduled = false;
  readonly #unrefIfIdle = (): void => {
    this.#unrefScheduled = false;
    if (this.#closed) return;
    const busy =
      this.#pending.size > 0 ||
      this.#sendHead < this.#sendQueue.length ||
      this.#dumpQueue.length > 0 ||
      this.#subs.size > 0;
    if (!busy) this.#poller.unref();
  };

  // ---- dump iteration (used by DumpIterator) ----

  /** @internal */
  startDump(req: NetlinkRequest, opts: DumpOptions | undefined, decode?: (m: NetlinkMessage) => unknown): Op {
    const op = new Op(KIND_DUMP, req.type, (req.flags ?? 0) | NLM_F_REQUEST | NLM_F_DUMP, req.payload);
    op.batches = [];
    op.decode = decode;
    if (opts?.highWaterMark) op.hwm = Math.max(1, opts.highWaterMark);
    this.#enqueue(op, opts?.signal);
    return op;
  }

  /** @internal */
  nextBatch(op: Op): Promise<IteratorResult<unknown[]>> {
    if (op.head < op.batches.length) {
      const value = op.batches[op.head];
      op.batches[op.head++] = undefined as unknown as unknown[];
      if (op.head === op.batches.length) {
        op.batches.length = 0;
        op.head = 0;
      }
      if (this.#paused) this.resumeIfDrained();
      return Promise.resolve({ value, done: false });
    }
    if (op.finished || op.state === STATE_DONE) {
      op.state = STATE_DONE;
      this.#detachSignal(op);
      if (op.error !== undefined) {
        const e = op.error;
        op.error = undefined;
        return Promise.reject(e);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.#paused) this.resumeIfDrained();
    return new Promise((resolve, reject) => {
      op.waiter = resolve;
      op.waiterReject = reject;
    });
  }

  /** @internal The consumer stopped early: drain and discard the rest of the dump. */
  cancelDump(op: Op): void {
    if (op.state === STATE_DONE || op.finished) {
      op.state = STATE_DONE;
      this.#detachSignal(op);
      return;
    }
    if (op.state === STATE_QUEUED) {
      op.state = STATE_DONE;
      const i = this.#dumpQueue.indexOf(op);
      if (i >= 0) this.#dumpQueue.splice(i, 1);
      this.#detachSignal(op);
      this.#updateRef();
      return;
    }
    op.abandoned = true;
    op.batches = [];
    op.head = 0;
    this.#detachSignal(op);
    this.resumeIfDrained();
  }
}

/** Async iterator over a dump's batches; the dump request is sent on the first `next()`. */
class DumpIterator<T> implements AsyncIterable<T[]>, AsyncIterator<T[]> {
  #op: Op | undefined;
  #done = false;
  constructor(
    private readonly sock: NetlinkSocket,
    private readonly req: NetlinkRequest,
    private readonly opts: DumpOptions | undefined,
    private readonly decode: ((m: NetlinkMessage) => T) | undefined,
  ) {}

  next(): Promise<IteratorResult<T[]>> {
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    if (this.sock.closed && !this.#op) return Promise.reject(new SocketClosedError());
    this.#op ??= this.sock.startDump(this.req, this.opts, this.decode);
    const p = this.sock.nextBatch(this.#op) as Promise<IteratorResult<T[]>>;
    return p.then(
      (r) => {
        if (r.done) this.#done = true;
        return r;
      },
      (e) => {
        this.#done = true;
        throw e;
      },
    );
  }

  return(): Promise<IteratorResult<T[]>> {
    this.#done = true;
    if (this.#op) this.sock.cancelDump(this.#op);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function requestBytes(op: Op, portid: number): Uint8Array {
  return encodeMessage(op.type, op.flags, op.seq, portid, op.payload);
}

function setInt(fd: number, level: number, name: number, value: number): boolean {
  return sys.setsockopt(fd, level, name, new Int32Array([value]), 4) === 0;
}

function getInt(fd: number, level: number, name: number): number {
  const v = new Int32Array(1);
  const len = [4];
  if (sys.getsockopt(fd, level, name, v, len) !== 0) throw new SystemError(`getsockopt(${level}, ${name})`, errno());
  return v[0];
}

/** SO_RCVBUFFORCE (needs CAP_NET_ADMIN), else SO_RCVBUF (capped at rmem_max). */
function setRcvBuf(fd: number, bytes: number): void {
  if (setInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, bytes)) return;
  const e = errno();
  if (e !== EPERM && e !== 13 /* EACCES */) throw new SystemError('setsockopt(SO_RCVBUFFORCE)', e);
  if (!setInt(fd, SOL_SOCKET, SO_RCVBUF, bytes)) throw new SystemError('setsockopt(SO_RCVBUF)', errno());
}
