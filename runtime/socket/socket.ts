// A netlink socket on the Node event loop: requests matched by sequence number, streaming dumps with backpressure,
// batching, multicast subscriptions, network namespaces. The loop never waits on the kernel.
// `Symbol.dispose`/`asyncDispose` in our declarations: the lib reference lets them type-check under any `lib`/`types`.
/// <reference lib="esnext.disposable" preserve="true" />
// The public class is the last of the layers listed in socket-state.ts; this file holds opening, the public API,
// the subscription host and dump iteration.
import {
  AF_NETLINK,
  errno,
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_PKTINFO,
  SO_RCVBUF,
  SO_SNDBUF,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
  sys,
} from '../sys/ffi.js';
import { inNetns } from '../transport/netns.js';
import { DumpInterruptedError } from '../wire/dump-interrupted.js';
import { SocketClosedError, SystemError } from '../wire/errors.js';
import { type NetlinkMessage, type NetlinkRequest, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from '../wire/message.js';
import { DumpIterator } from './dump-iterator.js';
import { BATCH_ROLE_BEGIN, BATCH_ROLE_END, KIND_DO, KIND_DUMP, Op, PendingBatch, STATE_DONE, STATE_QUEUED, STATE_SENT } from './op.js';
import type { BatchMessages, DumpAllOptions, DumpOptions, ErrorNamer, OpenOptions, RequestOptions, RequestResult, TransactionRequest } from './options.js';
import { getInt, setInt, setRcvBuf } from './socket-options.js';
import { SocketSend } from './socket-send.js';
import { type NetlinkTransport, transportFor } from './transport.js';
import { type SubscribeOptions, Subscription } from './subscription.js';

export type { BatchMessages, DumpAllOptions, DumpOptions, ErrorNamer, NetlinkAck, OpenOptions, RequestOptions, RequestResult, TransactionRequest } from './options.js';

/**
 * A netlink socket. Open with `NetlinkSocket.open(protocol, options)`; close with `close()` or `await using`.
 * An idle socket does not keep the process alive; pending requests, dumps and subscriptions do.
 */
/** The smallest `receiveLimit`: the kernel allocates every dump datagram at least about a page (NLMSG_GOODSIZE). */
const MIN_RECEIVE_LIMIT = 4096;

export class NetlinkSocket extends SocketSend {
  private constructor(fd: number, protocol: number, portid: number, netnsId: string, rcvBuf: number, sndBuf: number, maxInFlight: number | undefined, background: boolean, connected: boolean, inOrder: boolean, transport: NetlinkTransport | undefined) {
    super(fd, protocol, portid, netnsId, rcvBuf, sndBuf, maxInFlight, background, connected, inOrder, transport);
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
    const replyMatch = options.replyMatch ?? 'seq';
    if (replyMatch !== 'seq' && replyMatch !== 'order') throw new TypeError(`replyMatch must be 'seq' or 'order', not ${String(replyMatch)}`);
    const limit = options.receiveLimit;
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= MIN_RECEIVE_LIMIT)) {
      throw new RangeError(`receiveLimit must be an integer of at least ${MIN_RECEIVE_LIMIT} bytes (the kernel builds no smaller dump datagram), not ${String(limit)}`);
    }
    const t = transportFor(protocol, options.transport);
    // A transport stands in for the kernel: no file descriptor, no namespace, nothing read in the background.
    if (t) return NetlinkSocket.#recording(new NetlinkSocket(-1, protocol, t.portid, t.netnsId, 1 << 21, 1 << 21, options.maxInFlight, false, true, replyMatch === 'order', t), options);
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
      const background = (options.backgroundReceive ?? true) && limit === undefined;
      return NetlinkSocket.#recording(new NetlinkSocket(fd, protocol, portid, netnsId, rcvBuf, sndBuf, options.maxInFlight, background, connected, replyMatch === 'order', undefined), options);
    } catch (err) {
      sys.close(fd);
      throw err;
    }
  }

  static #recording(s: NetlinkSocket, options: OpenOptions): NetlinkSocket {
    s.recorder = options.record;
    if (options.receiveLimit !== undefined) s.receiveLimit = options.receiveLimit;
    return s;
  }

  /** The socket's file descriptor (−1 once closed). */
  get fd(): number {
    return this.fdNum;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Datagrams this socket has sent (each one send call carrying one or more requests): diagnostics and tests. */
  get sendCalls(): number {
    return this.sendCount;
  }

  /** Background receives (recvmmsg calls on libuv's threadpool) this socket has made: diagnostics and tests. */
  get backgroundReceives(): number {
    return this.bgCount;
  }

  /** Requests sent whose final reply has not arrived, plus queued ones (diagnostics). */
  get pendingCount(): number {
    return this.pending.size + (this.sendQueue.length - this.sendHead) + this.dumpQueue.length;
  }

  /**
   * Sends a request (NLM_F_REQUEST|NLM_F_ACK added) and resolves with its reply messages and ACK, or rejects with
   * a NetlinkError carrying errno, code and the decoded extended ACK.
   */
  request(req: NetlinkRequest, opts?: RequestOptions): Promise<RequestResult> {
    return this.startDo(new Op(KIND_DO, req.type, (req.flags ?? 0) | NLM_F_REQUEST | NLM_F_ACK, req.payload), opts);
  }

  /**
   * `request` for generated clients: a NetlinkError is named by `namer` (its property `path`) before the promise
   * rejects. One promise per request and no request object: batches of many thousand requests go through here.
   */
  requestNamed(type: number, flags: number, payload: Uint8Array, opts: RequestOptions | undefined, namer: ErrorNamer, rootSet: string, attrsStart: number): Promise<RequestResult> {
    return this.startDo(this.namedOp(type, flags, payload, namer, rootSet, attrsStart), opts);
  }

  /**
   * `requestNamed` for requests whose replies nobody reads (ops without a reply): resolves with undefined once
   * the kernel ACKs, so no result objects are built; reply messages, should any come, are dropped.
   */
  requestNamedAck(type: number, flags: number, payload: Uint8Array, opts: RequestOptions | undefined, namer: ErrorNamer, rootSet: string | undefined, attrsStart: number): Promise<void> {
    const op = this.namedOp(type, flags, payload, rootSet === undefined ? undefined : namer, rootSet ?? '', attrsStart);
    op.voidResult = true;
    return this.startDo(op, opts) as Promise<unknown> as Promise<void>; // settled with undefined (voidResult)
  }

  /** A do request whose NetlinkError `namer` names before it rejects. */
  protected namedOp(type: number, flags: number, payload: Uint8Array, namer: ErrorNamer | undefined, rootSet: string, attrsStart: number): Op {
    const op = new Op(KIND_DO, type, flags | NLM_F_REQUEST | NLM_F_ACK, payload);
    op.namer = namer;
    op.rootSet = rootSet;
    op.attrsStart = attrsStart;
    return op;
  }

  /** Queues a do request and returns the promise its ACK (or error) settles. */
  protected startDo(op: Op, opts: RequestOptions | undefined): Promise<RequestResult> {
    return new Promise<RequestResult>((resolve, reject) => {
      op.resolve = resolve;
      op.reject = reject;
      this.enqueue(op, opts?.signal);
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
   * Sends `requests` as one transaction of a family that takes batches (nfnetlink: NFNL_MSG_BATCH_BEGIN … _END):
   * `batch.begin`, every request (NLM_F_REQUEST|NLM_F_ACK added) and `batch.end` leave in one datagram, and the
   * kernel applies all of the requests or none. Resolves, once the kernel answered every request, with one outcome
   * per request in order: its result, or the Error it got — when any request failed, the kernel applied none of
   * them. Rejects when the kernel refused the batch itself (its begin message), e.g. ERESTART when the ruleset
   * generation differs from the genid the begin message carries; then no request was looked at.
   */
  transaction(requests: readonly TransactionRequest[], batch: BatchMessages, namer?: ErrorNamer): Promise<(RequestResult | Error)[]> {
    if (requests.length === 0) return Promise.resolve([]);
    if (this.isClosed) return Promise.reject(new SocketClosedError());
    const begin = new Op(KIND_DO, batch.begin.type, (batch.begin.flags ?? 0) | NLM_F_REQUEST, batch.begin.payload);
    begin.batchRole = BATCH_ROLE_BEGIN;
    begin.groupSize = requests.length + 2;
    const end = new Op(KIND_DO, batch.end.type, (batch.end.flags ?? 0) | NLM_F_REQUEST, batch.end.payload);
    end.batchRole = BATCH_ROLE_END;
    const inner = requests.map((r) =>
      namer !== undefined && r.rootSet !== undefined
        ? this.namedOp(r.type, r.flags ?? 0, r.payload, namer, r.rootSet, r.attrsStart ?? 0)
        : new Op(KIND_DO, r.type, (r.flags ?? 0) | NLM_F_REQUEST | NLM_F_ACK, r.payload),
    );
    return new Promise((resolve, reject) => {
      let refused: unknown;
      begin.resolve = () => undefined;
      // An error for the begin message: the kernel refused the batch and will answer none of its requests.
      begin.reject = (e: unknown) => {
        refused = e;
        for (const op of inner) {
          if (op.state === STATE_DONE) continue;
          if (op.state === STATE_SENT && this.pending.delete(op.seq)) this.inFlight--;
          this.settleFail(op, e);
        }
        this.scheduleFlush();
        this.updateRef();
      };
      const outcomes = inner.map(
        (op) =>
          new Promise<RequestResult | Error>((settle) => {
            op.resolve = settle;
            op.reject = (e: unknown) => settle(e instanceof Error ? e : new Error(String(e)));
          }),
      );
      this.enqueue(begin, undefined);
      for (const op of inner) this.enqueue(op, undefined);
      this.enqueue(end, undefined);
      void Promise.all(outcomes).then((out) => {
        // Every request answered: the begin message will get nothing more.
        if (begin.state !== STATE_DONE) {
          if (this.pending.delete(begin.seq)) this.inFlight--;
          begin.state = STATE_DONE;
          this.scheduleFlush();
          this.updateRef();
        }
        if (refused !== undefined) reject(refused);
        else resolve(out);
      });
    });
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
   * `decode` runs when the consumer takes a batch (each of its messages in turn) and gets one reused message object:
   * it must read what it needs from `data`/`view`/`start`/`end` and keep nothing of the object itself. An exception
   * from it fails the dump: that call rejects with it, and the rest of the dump is discarded. `decodeCopies`: the
   * decoder keeps no view of `data` (it copies what it keeps, as generated decoders do), so the received bytes can be
   * reused once it ran; a decoder that keeps views must leave it false.
   */
  dumpDecoded<T>(req: NetlinkRequest, opts: DumpOptions | undefined, decode: (m: NetlinkMessage) => T, decodeCopies = false): AsyncIterable<T[]> & AsyncIterator<T[]> {
    return new DumpIterator<T>(this, req, opts, decode, decodeCopies);
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
    this.assertOpen();
    const sub = new Subscription(this, opts);
    if (opts?.signal?.aborted) {
      sub.close();
      return sub;
    }
    this.subs.add(sub);
    this.updateRef();
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
    if (this.isClosed) return;
    this.isClosed = true;
    const err = new SocketClosedError();
    for (const op of this.pending.values()) this.failOp(op, err);
    for (let i = this.sendHead; i < this.sendQueue.length; i++) this.failOp(this.sendQueue[i], err);
    for (const op of this.dumpQueue) this.failOp(op, err);
    this.pending.clear();
    this.sendQueue = [];
    this.sendHead = 0;
    this.dumpQueue.length = 0;
    this.activeDump = undefined;
    for (const sub of [...this.subs]) sub.close();
    this.poller.close();
    // A background receive still holds the fd number: closing it now could let a new socket reuse the number and
    // the worker read that socket's datagram. It is closed when the receive comes back.
    if (this.bgSet) this.bgFd = this.fdNum;
    else if (this.transport) this.transport.close();
    else sys.close(this.fdNum);
    this.fdNum = -1;
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
    this.assertOpen();
    const n = this.groupRefs.get(group) ?? 0;
    if (n === 0 && group !== 0 && this.transport) this.transport.membership(group, true);
    else if (n === 0 && group !== 0) {
      if (!this.pktinfo) {
        // The destination group of each datagram tells notifications apart from replies, also for groups ≥ 32.
        setInt(this.fdNum, SOL_NETLINK, NETLINK_PKTINFO, 1);
        this.pktinfo = true;
      }
      const v = new Int32Array([group]);
      if (sys.setsockopt(this.fdNum, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, v, 4) !== 0) {
        throw new SystemError(`joining multicast group ${group}`, errno());
      }
    }
    this.groupRefs.set(group, n + 1);
  }

  /** @internal */
  leaveGroup(_sub: Subscription, group: number): void {
    const n = this.groupRefs.get(group) ?? 0;
    if (n <= 1) {
      this.groupRefs.delete(group);
      if (group !== 0 && n === 1 && !this.isClosed && this.transport) this.transport.membership(group, false);
      else if (group !== 0 && n === 1 && !this.isClosed) {
        sys.setsockopt(this.fdNum, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, new Int32Array([group]), 4);
      }
    } else this.groupRefs.set(group, n - 1);
  }

  /** @internal */
  endSubscription(sub: Subscription): void {
    if (this.subs.delete(sub)) {
      this.updateRef();
      this.resumeIfDrained();
    }
  }

  // ---- dump iteration (used by DumpIterator) ----

  /** @internal */
  startDump(req: NetlinkRequest, opts: DumpOptions | undefined, decode?: (m: NetlinkMessage) => unknown, decodeCopies = false): Op {
    const op = new Op(KIND_DUMP, req.type, (req.flags ?? 0) | NLM_F_REQUEST | NLM_F_DUMP, req.payload);
    op.batches = [];
    op.decode = decode;
    op.decodeCopies = decodeCopies;
    if (opts?.highWaterMark) op.hwm = Math.max(1, opts.highWaterMark);
    this.enqueue(op, opts?.signal);
    return op;
  }

  /** @internal */
  nextBatch(op: Op): Promise<IteratorResult<unknown[]>> {
    if (op.head < op.batches.length) {
      const next = op.batches[op.head]!;
      op.batches[op.head++] = undefined as unknown as unknown[];
      if (op.head === op.batches.length) {
        op.batches.length = 0;
        op.head = 0;
      }
      let value: unknown[];
      try {
        value = next instanceof PendingBatch ? next.decodeAll() : next;
      } catch (err) {
        // A reply the decoder rejects (DecodeError) fails its dump, as a malformed message would: the rest is
        // drained and discarded, and this call rejects with the error.
        this.failPending(op, err);
        op.state = STATE_DONE;
        op.error = undefined;
        this.detachSignal(op);
        this.resumeIfDrained();
        return Promise.reject(err);
      }
      if (this.paused) this.resumeIfDrained();
      return Promise.resolve({ value, done: false });
    }
    if (op.finished || op.state === STATE_DONE) {
      op.state = STATE_DONE;
      this.detachSignal(op);
      if (op.error !== undefined) {
        const e = op.error;
        op.error = undefined;
        return Promise.reject(e);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.paused) this.resumeIfDrained();
    return new Promise((resolve, reject) => {
      op.waiter = resolve;
      op.waiterReject = reject;
    });
  }

  /** @internal The consumer stopped early: drain and discard the rest of the dump. */
  cancelDump(op: Op): void {
    if (op.state === STATE_DONE || op.finished) {
      op.state = STATE_DONE;
      this.detachSignal(op);
      return;
    }
    if (op.state === STATE_QUEUED) {
      op.state = STATE_DONE;
      const i = this.dumpQueue.indexOf(op);
      if (i >= 0) this.dumpQueue.splice(i, 1);
      this.detachSignal(op);
      this.updateRef();
      return;
    }
    op.abandoned = true;
    op.batches = [];
    op.head = 0;
    this.detachSignal(op);
    this.resumeIfDrained();
  }
}
