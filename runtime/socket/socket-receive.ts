// Reading a `NetlinkSocket`: on the main thread when the poller says it is readable (a bounded number of datagrams
// per wakeup, so timers and I/O stay responsive), and on libuv's threadpool for big dumps (one recvmmsg at a time,
// the next started before the last is handled, so the kernel builds the next parts while JavaScript decodes).
import { EAGAIN, EINTR, ENOBUFS, sys } from '../sys/ffi.js';
import {
  BACKGROUND_DATAGRAMS,
  growReceiveCapacity,
  receive,
  receiveDirect,
  receiveInBackground,
  releaseReceiveSet,
  rx,
  takeReceiveSet,
} from '../transport/io.js';
import { SystemError } from '../wire/errors.js';
import { NLMSG_DONE, NLMSG_ERROR } from '../wire/message.js';
import { SocketDispatch } from './socket-dispatch.js';
import type { NetlinkTransport } from './transport.js';

/** Datagrams handled per wakeup before yielding to the loop (timers and I/O stay responsive during big dumps). */
const MAX_DATAGRAMS_PER_WAKEUP = 16;

/** Datagrams of one dump read on the main thread before the rest is received in the background (small dumps never are). */
const BACKGROUND_AFTER = 4;

/** `SocketDispatch` plus reading; see `NetlinkSocket`. */
export abstract class SocketReceive extends SocketDispatch {
  protected readonly bgDone = (n: number, err: number): void => this.onBackground(n, err);

  /** @internal Called by the poller from inside libuv. */
  onPoll(status: number, _events: number): void {
    if (this.isClosed) return;
    if (status < 0) this.poller.markStopped();
    this.drain(true);
  }

  /**
   * Reads and dispatches up to MAX_DATAGRAMS_PER_WAKEUP datagrams. From the poller it reads until EAGAIN; right after
   * a send it stops as soon as nothing is pending (saving the final empty read).
   */
  protected drain(fromPoll: boolean): void {
    if (this.paused || this.bgSet) return;
    let handled = 0;
    while (handled < MAX_DATAGRAMS_PER_WAKEUP) {
      if (!fromPoll && this.pending.size === 0 && this.subs.size === 0 && !this.overrunSeen) break;
      const n = this.transport ? this.receiveFromTransport(this.transport) : this.connected && !this.pktinfo ? receiveDirect(this.fdNum, this.receiveLimit) : receive(this.fdNum, this.receiveLimit);
      if (n < 0) {
        const e = -n;
        if (e === EAGAIN) {
          if (this.overrunSeen) this.failLostReplies();
          break;
        }
        if (e === EINTR) continue;
        if (e === ENOBUFS) {
          this.onOverrun();
          continue;
        }
        this.fatal(new SystemError('recvmsg', e));
        return;
      }
      handled++;
      this.handleDatagram();
      if (this.paused || this.isClosed) break;
      const d = this.activeDump;
      if (this.background && d !== undefined && d.datagrams >= BACKGROUND_AFTER) {
        this.receiveInBackground();
        return;
      }
    }
    if (!this.isClosed && !this.paused && !this.poller.started) this.poller.start();
  }

  /** Handles the datagram `rx` describes. */
  protected handleDatagram(): void {
    if (rx.srcPid !== 0) return; // only the kernel speaks for itself; ignore other processes
    if (rx.truncated) {
      if (this.receiveLimit === Infinity) growReceiveCapacity(rx.size);
      this.onTruncated();
      return;
    }
    if (this.recorder !== undefined) {
      this.recorder.received(rx.data, rx.group);
      if (rx.block !== undefined) rx.block.kept = true;
    }
    this.dispatch(rx.data, rx.group, rx.block);
  }

  /**
   * Hands the socket's reading to the threadpool for one recvmmsg: the poller stops (two readers would reorder
   * datagrams) until it comes back in `onBackground`.
   */
  protected receiveInBackground(): void {
    this.poller.stop();
    if (!this.startBackground()) this.poller.start();
  }

  /**
   * Starts one background receive; false when it could not be started (koffi refuses more concurrent calls than
   * its limit): the caller then keeps reading on the main thread.
   */
  protected startBackground(): boolean {
    const set = takeReceiveSet();
    this.bgSet = set;
    try {
      receiveInBackground(this.fdNum, set, this.bgDone);
    } catch {
      this.bgSet = undefined;
      releaseReceiveSet(set);
      return false;
    }
    this.bgCount++;
    return true;
  }

  /** A background receive came back with `n` datagrams (or −1 and `err`). */
  protected onBackground(n: number, err: number): void {
    const set = this.bgSet!;
    this.bgSet = undefined;
    if (this.isClosed) {
      releaseReceiveSet(set);
      if (this.bgFd >= 0) sys.close(this.bgFd);
      this.bgFd = -1;
      return;
    }
    if (n < 0) {
      releaseReceiveSet(set);
      if (err === ENOBUFS) this.onOverrun();
      else if (err !== EAGAIN && err !== EINTR) {
        this.fatal(new SystemError('recvmmsg', err));
        return;
      }
      this.drain(true);
      return;
    }
    // Start the next receive before handling these, so the kernel builds the next parts meanwhile — unless the
    // queue ran dry, the reader is paused, or the dump ends in this batch.
    const d = this.activeDump;
    if (n === BACKGROUND_DATAGRAMS && d !== undefined && !this.paused && !set.endsWith(n - 1, d.seq, NLMSG_DONE, NLMSG_ERROR)) {
      this.startBackground();
    }
    const block = set.take(n);
    for (let i = 0; i < n; i++) {
      set.load(i);
      this.handleDatagram();
      if (this.isClosed) break;
    }
    block.close();
    releaseReceiveSet(set);
    if (!this.bgSet) this.drain(true);
  }

  /** `receive` for a transport: the next datagram into `rx` (from the "kernel", port 0), or −EAGAIN / its errno. */
  protected receiveFromTransport(t: NetlinkTransport): number {
    const r = t.receive();
    if (r === undefined) return -EAGAIN;
    if (typeof r === 'number') return r;
    rx.data = r.data;
    rx.block = undefined;
    rx.size = r.data.length;
    rx.truncated = false;
    rx.srcPid = 0;
    rx.group = r.group;
    return r.data.length;
  }
}
