// The state every part of a `NetlinkSocket` shares, and what they all do with it: settle operations (resolve, reject,
// name the error's property), hold the event loop while work is pending, and resume reading when consumers drain.
// The socket is one object built in layers, each in its own file and each extending the one before:
//   socket-state → socket-failures → socket-dispatch → socket-receive → socket-send → socket (the public class).
// Members are `protected`: one object, split by responsibility, not separate objects talking through interfaces
// (the hot paths stay the direct field accesses they were).
import { Poller, type PollTarget } from '../transport/poll.js';
import { type NetlinkTransport, type ReadinessWatcher, type SocketRecorder, TransportPoller } from './transport.js';
import type { ReceiveSet } from '../transport/io.js';
import { SocketClosedError, NetlinkError } from '../wire/errors.js';
import { KIND_DUMP, Op, STATE_DONE } from './op.js';
import type { RequestResult } from './options.js';
import { PendingTable } from './pending-table.js';
import type { Subscription, SubscriptionHost } from './subscription.js';

/** The shared state of a netlink socket; see `NetlinkSocket`. */
export abstract class SocketState implements PollTarget, SubscriptionHost {
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

  protected fdNum: number;
  protected readonly poller: ReadinessWatcher;
  /** The transport in place of the kernel (`open({ transport })`), or undefined for a kernel socket. */
  protected readonly transport: NetlinkTransport | undefined;
  /** Sees every datagram sent and received (`open({ record })`). */
  protected recorder: SocketRecorder | undefined = undefined;
  protected isClosed = false;
  protected seq: number;
  protected readonly pending = new PendingTable<Op>();
  protected sendQueue: Op[] = [];
  protected sendHead = 0;
  protected inFlight = 0;
  protected readonly dumpQueue: Op[] = [];
  protected activeDump: Op | undefined;
  protected paused = false;
  protected overrunSeen = false;
  protected readonly subs = new Set<Subscription>();
  protected readonly groupRefs = new Map<number, number>();
  /** Set on the first join, for good; from then on each datagram's group is read (see `connected`). */
  protected pktinfo = false;
  /**
   * Connected to the kernel, which then refuses unicast from any other port. Until the first join (`pktinfo`) every
   * datagram is the kernel's unicast, so reading takes `receiveDirect`; after it, `receive` with sender and group,
   * also once the groups are left, as multicast datagrams still queued then must keep their group number.
   */
  protected readonly connected: boolean;
  protected readonly maxDatagram: number;
  protected readonly background: boolean;
  /** OpenOptions.receiveLimit: what every receive offers the kernel at most (a debugging aid; no growing). */
  protected receiveLimit = Infinity;
  /** `replyMatch: 'order'`: unsequenced unicast answers the do request in flight (`orderOp`). */
  protected readonly inOrder: boolean;
  protected orderOp: Op | undefined = undefined;
  /** Sequence number of the last request answered by an unsequenced reply: its ACK, if one follows, is dropped. */
  protected answeredSeq = 0;
  /** The background receive in flight: the threadpool owns the socket's reading until it is back. */
  protected bgSet: ReceiveSet | undefined = undefined;
  /** fd whose close waits for the background receive in flight (the worker must not read a reused fd number). */
  protected bgFd = -1;
  protected bgCount = 0;
  protected sendCount = 0;

  protected constructor(fd: number, protocol: number, portid: number, netnsId: string, rcvBuf: number, sndBuf: number, maxInFlight: number | undefined, background: boolean, connected: boolean, inOrder: boolean, transport: NetlinkTransport | undefined) {
    this.fdNum = fd;
    this.inOrder = inOrder;
    this.connected = connected;
    this.background = background;
    this.protocol = protocol;
    this.portid = portid;
    this.netnsId = netnsId;
    this.rcvBuf = rcvBuf;
    this.maxDatagram = Math.max(4096, sndBuf - 64);
    this.maxInFlight = inOrder ? 1 : (maxInFlight ?? Math.min(256, Math.max(4, Math.floor(rcvBuf / 8192))));
    this.seq = (Math.random() * 0x7fffffff) >>> 0;
    this.transport = transport;
    this.poller = transport ? new TransportPoller(transport, this) : new Poller(fd, this);
    this.poller.unref();
  }

  /** @internal Called by the poller from inside libuv (socket-receive). */
  abstract onPoll(status: number, events: number): void;
  /** Closes the socket (the public class). */
  abstract close(): void;
  /** Sends what the window allows once the current microtask ends (socket-send). */
  protected abstract scheduleFlush(): void;
  /** @internal */
  abstract joinGroup(sub: Subscription, group: number): void;
  /** @internal */
  abstract leaveGroup(sub: Subscription, group: number): void;
  /** @internal */
  abstract endSubscription(sub: Subscription): void;

  /** @internal Restarts reading once no consumer is over its buffer limit. */
  resumeIfDrained(): void {
    if (!this.paused || this.isClosed) return;
    const d = this.activeDump;
    if (d && !d.abandoned && d.batches.length - d.head >= d.hwm) return;
    for (const s of this.subs) if (s.queued >= s.maxQueued) return;
    this.paused = false;
    if (!this.bgSet) this.poller.start();
  }

  protected assertOpen(): void {
    if (this.isClosed) throw new SocketClosedError();
  }

  // ---- settling ----

  /** Resolves a do request or dump start; `r` is undefined only for voidResult requests. */
  protected settleOk(op: Op, r: RequestResult | undefined): void {
    op.state = STATE_DONE;
    this.detachSignal(op);
    const f = op.resolve;
    op.resolve = op.reject = undefined;
    f?.(r as RequestResult);
  }

  protected settleFail(op: Op, err: unknown): void {
    this.detachSignal(op);
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

  protected failOp(op: Op, err: unknown): void {
    op.abandoned = true;
    this.settleFail(op, err);
    op.state = STATE_DONE;
  }

  protected detachSignal(op: Op): void {
    if (op.signal && op.onAbort) op.signal.removeEventListener('abort', op.onAbort);
    op.signal = undefined;
    op.onAbort = undefined;
  }

  /** Whether anything is pending, queued or subscribed: what holds the event loop. */
  protected busy(): boolean {
    return this.pending.size > 0 || this.sendHead < this.sendQueue.length || this.dumpQueue.length > 0 || this.subs.size > 0;
  }

  protected updateRef(): void {
    if (this.isClosed) return;
    if (this.busy()) this.poller.ref();
    else if (!this.unrefScheduled) {
      // Let go of the loop once the current burst of work is over, not at once: the usual request loop makes its
      // next request in the previous reply's continuation, and would otherwise pay uv_unref + uv_ref (two native
      // calls) per request. The check runs in this loop iteration's check phase, so an idle socket still never
      // holds the process open.
      this.unrefScheduled = true;
      setImmediate(this.unrefIfIdle);
    }
  }

  protected unrefScheduled = false;
  protected readonly unrefIfIdle = (): void => {
    this.unrefScheduled = false;
    if (this.isClosed) return;
    if (!this.busy()) this.poller.unref();
  };
}
