// Failure handling of a `NetlinkSocket`: overruns (ENOBUFS), replies lost to them, truncated and malformed
// datagrams, errors nobody asked for, and fatal receive errors. Each failure goes to the request it belongs to when
// its header survived, else to the subscriptions (or a process warning when there are none).
import { rx } from '../transport/io.js';
import { ReplyLostError, TruncatedMessageError } from '../wire/errors.js';
import { KIND_DO, KIND_DUMP, type Op, requestBytes, STATE_DONE, STATE_SENT } from './op.js';
import { SocketState } from './socket-state.js';

/** `SocketState` plus failure handling; see `NetlinkSocket`. */
export abstract class SocketFailures extends SocketState {
  protected onOverrun(): void {
    this.overrunSeen = true;
    let full = false;
    for (const sub of this.subs) if (sub.overrun()) full = true;
    if (full && !this.paused) {
      this.paused = true;
      this.poller.stop();
    }
  }

  /**
   * After an overrun, once the receive queue is empty, a sent request without its final reply lost it: the
   * kernel answers requests synchronously while they are sent, so anything still queued would have been read.
   */
  protected failLostReplies(): void {
    this.overrunSeen = false;
    for (const op of this.pending.values()) {
      // (A batch's begin message gets no reply unless the batch is refused: its silence is not a loss.)
      if (op.kind !== KIND_DO || op.state !== STATE_SENT || op.batchRole !== 0) continue;
      this.pending.delete(op.seq);
      this.inFlight--;
      if (op.abandoned) op.state = STATE_DONE;
      else this.settleFail(op, new ReplyLostError(requestBytes(op, this.portid)));
    }
    this.scheduleFlush();
    this.updateRef();
  }

  protected onTruncated(): void {
    const err = new TruncatedMessageError(rx.size, rx.data.length);
    // The first header survived: fail the request it belongs to; otherwise tell the subscribers.
    const d = rx.data;
    const seq = d.length >= 16 ? new DataView(d.buffer, d.byteOffset, d.length).getUint32(8, true) : -1;
    const op = rx.group === 0 ? this.pending.get(seq) : undefined;
    if (op) this.failPending(op, err);
    else this.failSubscribers(err);
  }

  /** Hands an error nobody asked for to the subscribers, or to a process warning when there are none. */
  protected failSubscribers(err: unknown): void {
    if (this.subs.size === 0) {
      process.emitWarning(err instanceof Error ? err : String(err), { code: 'NLGEN_UNCLAIMED_ERROR' });
      return;
    }
    for (const sub of [...this.subs]) sub.fail(err);
  }

  protected onMalformed(err: unknown, seq: number): void {
    const op = seq >= 0 ? this.pending.get(seq) : undefined;
    if (op) this.failPending(op, err);
    else this.failSubscribers(err);
  }

  /** Fails a sent operation now; its remaining replies will be discarded. */
  protected failPending(op: Op, err: unknown): void {
    if (op.kind === KIND_DUMP) {
      if (!op.abandoned) {
        op.abandoned = true;
        op.batches = [];
        op.head = 0;
        this.settleFail(op, err);
      }
      return;
    }
    this.pending.delete(op.seq);
    this.inFlight--;
    this.settleFail(op, err);
    this.updateRef();
  }

  protected fatal(err: unknown): void {
    for (const op of this.pending.values()) this.failOp(op, err);
    this.pending.clear();
    for (const sub of [...this.subs]) sub.fail(err);
    this.close();
  }
}
