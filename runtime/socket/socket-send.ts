// Sending from a `NetlinkSocket`: requests queue in the current tick and leave together, gathered into one sendmsg
// per window (`maxInFlight` replies outstanding, the datagram size the socket's send buffer allows); a dump goes out
// when the one before it ends. Replies the kernel queued during the send are read right away.
import { sendGathered } from '../transport/io.js';
import { NetlinkError, SocketClosedError } from '../wire/errors.js';
import { NLMSG_HDRLEN, writeHeader } from '../wire/message.js';
import { BATCH_ROLE_END, KIND_DO, KIND_DUMP, type Op, requestBytes, STATE_DONE, STATE_QUEUED, STATE_SENT } from './op.js';
import { SocketReceive } from './socket-receive.js';
import type { NetlinkTransport } from './transport.js';
import type { AbortSignalLike } from './subscription.js';

/**
 * Flushes are scheduled as reactions to this settled promise: the same microtask queue as `queueMicrotask`, without
 * the AsyncResource and bound function Node makes for every `queueMicrotask` call.
 */
const RESOLVED = Promise.resolve();

/** `SocketReceive` plus sending; see `NetlinkSocket`. */
export abstract class SocketSend extends SocketReceive {
  protected flushScheduled = false;
  protected readonly flushBound = (): void => this.flush();
  // scratch for the send path
  protected sendOps: Op[] = [];
  protected sendSizes: number[] = [];
  protected readonly fill = (i: number, dst: Uint8Array, dv: DataView, off: number): void => {
    const op = this.sendOps[i];
    const len = NLMSG_HDRLEN + op.payload.length;
    writeHeader(dv, off, len, op.type, op.flags, op.seq, this.portid);
    dst.set(op.payload, off + NLMSG_HDRLEN);
    if (op.size > len) dst.fill(0, off + len, off + op.size);
  };

  protected nextSeq(): number {
    let s = this.seq;
    do s = (s + 1) >>> 0;
    while (s === 0 || this.pending.has(s));
    this.seq = s;
    return s;
  }

  protected enqueue(op: Op, signal: AbortSignalLike | undefined): void {
    if (this.isClosed) {
      this.failOp(op, new SocketClosedError());
      return;
    }
    if (signal) {
      if (signal.aborted) {
        this.failOp(op, signal.reason);
        return;
      }
      op.signal = signal;
      op.onAbort = () => this.abort(op);
      signal.addEventListener('abort', op.onAbort, { once: true });
    }
    op.seq = this.nextSeq();
    if (op.kind === KIND_DUMP) this.dumpQueue.push(op);
    else this.sendQueue.push(op);
    this.updateRef();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Requests made in the same tick leave together in one sendmsg.
      RESOLVED.then(this.flushBound);
    }
  }

  protected scheduleFlush(): void {
    if (this.flushScheduled || this.isClosed) return;
    if (this.sendHead >= this.sendQueue.length && (this.activeDump || this.dumpQueue.length === 0)) return;
    this.flushScheduled = true;
    RESOLVED.then(this.flushBound);
  }

  protected flush(): void {
    this.flushScheduled = false;
    if (this.isClosed) return;
    // Scratch arrays reused with a count: truncating them (length = 0) on every flush costs more than the send.
    // Entries past `count` stay until overwritten (at most maxInFlight ops); clearing them (fill) measurably
    // slowed dumps, for reasons not pinned down, so they are left.
    const ops = this.sendOps;
    const sizes = this.sendSizes;
    for (;;) {
      let count = 0;
      let bytes = 0;
      if (!this.activeDump) {
        while (this.dumpQueue.length > 0) {
          const d = this.dumpQueue.shift()!;
          if (d.state !== STATE_QUEUED) continue;
          this.activeDump = d;
          ops[count] = d;
          sizes[count++] = d.size;
          bytes += d.size;
          break;
        }
      }
      const q = this.sendQueue;
      while (this.sendHead < q.length && this.inFlight < this.maxInFlight) {
        const op = q[this.sendHead];
        if (op.state !== STATE_QUEUED) {
          this.sendHead++;
          continue;
        }
        if (op.groupSize > 0) {
          // A transaction: its begin message, requests and end message leave in one datagram (the kernel takes a
          // batch only within one), even past the window; queued together in one call, they are contiguous here.
          let groupBytes = 0;
          for (let k = 0; k < op.groupSize; k++) groupBytes += q[this.sendHead + k]!.size;
          if (count > 0 && bytes + groupBytes > this.maxDatagram) break;
          for (let k = 0; k < op.groupSize; k++) {
            const m = q[this.sendHead++]!;
            ops[count] = m;
            sizes[count++] = m.size;
            if (m.batchRole !== BATCH_ROLE_END) this.inFlight++;
          }
          bytes += groupBytes;
          continue;
        }
        if (count > 0 && bytes + op.size > this.maxDatagram) break;
        this.sendHead++;
        ops[count] = op;
        sizes[count++] = op.size;
        bytes += op.size;
        this.inFlight++;
      }
      if (this.sendHead === q.length) {
        // pop() of the usual single entry stays in optimized code; the length setter does not.
        if (q.length === 1) q.pop();
        else q.length = 0;
        this.sendHead = 0;
      } else if (this.sendHead > 1024 && this.sendHead * 2 > q.length) {
        this.sendQueue = q.slice(this.sendHead);
        this.sendHead = 0;
      }
      if (count === 0) return;
      for (let i = 0; i < count; i++) {
        const op = ops[i];
        if (op.batchRole === BATCH_ROLE_END) {
          // Nothing ever answers a batch's end message.
          op.state = STATE_DONE;
          continue;
        }
        op.state = STATE_SENT;
        this.pending.add(op);
        if (this.inOrder && op.kind === KIND_DO) this.orderOp = op;
      }
      this.sendCount++;
      if (this.recorder !== undefined) this.recorder.sent(this.datagramOf(count, bytes, sizes));
      const n = this.transport ? this.sendToTransport(this.transport, count, bytes, sizes) : sendGathered(this.fdNum, count, bytes, sizes, this.fill);
      if (n < 0) {
        for (let i = 0; i < count; i++) {
          const op = ops[i];
          if (op.batchRole === BATCH_ROLE_END) continue;
          this.pending.delete(op.seq);
          if (op.kind === KIND_DO) this.inFlight--;
          else if (this.activeDump === op) this.activeDump = undefined;
          const err = new NetlinkError(-n, {}, requestBytes(op, this.portid), 'sendmsg');
          err.origin = 'local';
          this.failOp(op, err);
        }
        this.updateRef();
        continue;
      }
      // The kernel answers while sendmsg runs, so the replies are queued already: read them now instead of
      // waiting for the next loop iteration (bounded like any wakeup; the poller picks up the rest).
      this.drain(false);
      if (this.isClosed) return;
      // Keep going while the window allows (replies read above may have freed slots).
      if (!(this.sendHead < this.sendQueue.length && this.inFlight < this.maxInFlight)) return;
    }
  }

  protected abort(op: Op): void {
    if (op.state === STATE_DONE) return;
    const reason = op.signal?.reason;
    if (op.state === STATE_QUEUED) {
      // Never sent: drop it from the queue (the flush skips it).
      op.state = STATE_DONE;
      if (op.kind === KIND_DUMP) {
        const i = this.dumpQueue.indexOf(op);
        if (i >= 0) this.dumpQueue.splice(i, 1);
      }
      this.settleFail(op, reason);
      this.updateRef();
      return;
    }
    // Sent: the kernel will still answer. Keep the entry so the late reply (or the rest of the dump) is drained
    // and discarded, then free the slot.
    op.abandoned = true;
    op.batches = [];
    op.head = 0;
    this.settleFail(op, reason);
    this.resumeIfDrained();
  }

  /** `sendGathered` for a transport: the same messages, laid out the same way, handed over as one datagram. */
  protected sendToTransport(t: NetlinkTransport, count: number, bytes: number, sizes: ArrayLike<number>): number {
    t.send(this.datagramOf(count, bytes, sizes));
    return bytes;
  }

  /** The datagram the window's first `count` messages make, as bytes. */
  protected datagramOf(count: number, bytes: number, sizes: ArrayLike<number>): Uint8Array {
    const d = new Uint8Array(bytes);
    const v = new DataView(d.buffer);
    for (let i = 0, off = 0; i < count; off += sizes[i]!, i++) this.fill(i, d, v, off);
    return d;
  }
}
