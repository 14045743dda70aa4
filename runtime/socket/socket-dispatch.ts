// Dispatch of a received datagram's messages: replies matched to their requests by sequence number (or, with
// `replyMatch: 'order'`, by arrival), dump replies taken in runs (decoded when their consumer takes them), ACKs and
// errors settling do requests, DONE ending dumps, everything else to the subscriptions.
import type { ReceivedBlock } from '../transport/io.js';
import { DumpInterruptedError } from '../wire/dump-interrupted.js';
import { DecodeError, NetlinkError } from '../wire/errors.js';
import { type ExtAck, parseDoneMessage, parseErrorMessage } from '../wire/extack.js';
import {
  Message,
  NLM_F_DUMP_INTR,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
} from '../wire/message.js';
import { KIND_DO, KIND_DUMP, type Op, PendingBatch, requestBytes, STATE_DONE, STATE_SENT } from './op.js';
import type { NetlinkAck } from './options.js';
import { SocketFailures } from './socket-failures.js';

/** `SocketFailures` plus message dispatch; see `NetlinkSocket`. */
export abstract class SocketDispatch extends SocketFailures {
  /**
   * Handles one datagram. `block`: the reusable block its bytes lie in (background receives), told here about
   * everything that will read them later — held by a pending batch whose decoder copies, kept for good otherwise.
   */
  protected dispatch(data: Uint8Array, group: number, block?: ReceivedBlock): void {
    const length = data.length;
    const view = new DataView(data.buffer, data.byteOffset, length);
    let off = 0;
    const pending = this.pending;
    const portid = this.portid;
    let lastSeq = -1;
    let lastOp: Op | undefined;
    while (off < length) {
      if (length - off < NLMSG_HDRLEN) {
        this.onMalformed(new DecodeError('truncated nlmsghdr', off), -1);
        break;
      }
      const len = view.getUint32(off, true);
      if (len < NLMSG_HDRLEN || len > length - off) {
        const seq = length - off >= 12 ? view.getUint32(off + 8, true) : -1;
        this.onMalformed(new DecodeError(`nlmsg_len ${len} is invalid (${length - off} bytes left)`, off), seq);
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
        this.completeDoOk(op, {});
        continue;
      }
      // Replies of a dump: the run of them starting here is handled in one tight loop (decoded without a Message
      // for decoded dumps).
      if (op !== undefined && op.kind === KIND_DUMP && type > NLMSG_OVERRUN) {
        off = this.dumpRun(op, data, view, at, length, group, block);
        continue;
      }
      // A Message may be kept (do replies, notifications, a status message's extack): its bytes must stay.
      if (block !== undefined) block.kept = true;
      const msg = new Message(type, flags, seq, pid, group, data, view, at + NLMSG_HDRLEN, at + len);
      if (op === undefined) {
        if (this.inOrder && group === 0 && this.answerInOrder(msg, seq)) continue;
        if (type !== NLMSG_NOOP) this.notify(msg, group);
        continue;
      }
      try {
        if (op.kind === KIND_DO) {
          if (type === NLMSG_ERROR) this.completeDo(op, msg);
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
          this.finishDump(op, err);
        } else if (type === NLMSG_ERROR) {
          const st = parseErrorMessage(msg);
          this.finishDump(op, st.error < 0 ? new NetlinkError(-st.error, st.extack, requestBytes(op, this.portid)) : undefined);
        }
      } catch (err) {
        // A malformed status message fails its own request only.
        this.onMalformed(err, seq);
      }
    }
  }

  /**
   * Takes the consecutive replies of dump `op` that start at `off` (data messages with its sequence number and our
   * port id) — as Messages, or for a decoded dump as a `PendingBatch` its consumer decodes — delivers them as one
   * batch and returns the offset after the run. A control message (DONE, ERROR), another request's message or a
   * malformed header ends the run; `dispatch` takes it from there.
   */
  protected dumpRun(op: Op, data: Uint8Array, view: DataView, off: number, length: number, group: number, block: ReceivedBlock | undefined): number {
    const decode = op.decode;
    const seq = op.seq;
    const portid = this.portid;
    const keep = !op.abandoned;
    const messages: unknown[] | undefined = keep && decode === undefined ? [] : undefined;
    const later = keep && decode !== undefined ? new PendingBatch(data, view, seq, portid, group, decode) : undefined;
    const start = off;
    let count = 0;
    let intr = false;
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
      if (messages !== undefined) messages.push(new Message(type, flags, seq, portid, group, data, view, at + NLMSG_HDRLEN, at + len));
    }
    op.count += count;
    op.datagrams++;
    if (intr) op.intr = true;
    // Messages, and batches whose decoder may keep views, keep the block's bytes for good; a batch that is dropped
    // undecoded (an abandoned dump) leaves its block to the garbage collector.
    if (later !== undefined) {
      if (count > 0) {
        later.start = start;
        later.count = count;
        if (block !== undefined) {
          if (op.decodeCopies) later.hold(block);
          else block.kept = true;
        }
        this.deliverBatch(op, later);
      }
    } else if (messages !== undefined && messages.length > 0) {
      if (block !== undefined) block.kept = true;
      this.deliverBatch(op, messages);
    }
    return off;
  }

  /**
   * `replyMatch: 'order'`: an unsequenced unicast answers (and completes) the do request in flight; the ACK of a
   * request answered that way is dropped. False when `msg` is neither (it goes to the subscriptions).
   */
  protected answerInOrder(msg: Message, seq: number): boolean {
    if (seq !== 0) {
      if (seq !== this.answeredSeq || msg.type !== NLMSG_ERROR) return false;
      this.answeredSeq = 0;
      return true;
    }
    const op = this.orderOp;
    if (op === undefined || op.state !== STATE_SENT || this.pending.get(op.seq) !== op) return false;
    this.orderOp = undefined;
    try {
      if (msg.type === NLMSG_ERROR) {
        this.completeDo(op, msg);
        return true;
      }
    } catch (err) {
      this.onMalformed(err, op.seq);
      return true;
    }
    if (!op.abandoned && !op.voidResult) (op.messages ??= []).push(msg);
    this.answeredSeq = op.seq;
    this.completeDoOk(op, {});
    return true;
  }

  protected completeDo(op: Op, msg: Message): void {
    const st = parseErrorMessage(msg);
    if (st.error === 0) {
      this.completeDoOk(op, st.extack);
      return;
    }
    this.pending.delete(op.seq);
    this.inFlight--;
    this.scheduleFlush();
    if (op.abandoned) op.state = STATE_DONE;
    else this.settleFail(op, new NetlinkError(-st.error, st.extack, requestBytes(op, this.portid)));
    this.updateRef();
  }

  /** A do request's success ACK arrived (with `extack`, possibly a warning). */
  protected completeDoOk(op: Op, extack: ExtAck): void {
    this.pending.delete(op.seq);
    this.inFlight--;
    this.scheduleFlush();
    if (op.abandoned) op.state = STATE_DONE;
    else if (op.voidResult) this.settleOk(op, undefined);
    else {
      const ack: NetlinkAck = { extack };
      if (extack.message !== undefined) ack.warning = extack.message;
      this.settleOk(op, { messages: op.messages ?? [], ack });
    }
    this.updateRef();
  }

  protected deliverBatch(op: Op, batch: unknown[] | PendingBatch): void {
    if (op.abandoned || op.state === STATE_DONE) return;
    const w = op.waiter;
    if (w && op.head === op.batches.length) {
      // The consumer is waiting: decode now. A reply the decoder rejects (DecodeError) fails its dump, as a
      // malformed message would; the rest of the dump is drained and discarded.
      let value: unknown[];
      try {
        value = batch instanceof PendingBatch ? batch.decodeAll() : batch;
      } catch (err) {
        this.failPending(op, err);
        return;
      }
      op.waiter = op.waiterReject = undefined;
      w({ value, done: false });
      return;
    }
    op.batches.push(batch);
    if (op.batches.length - op.head >= op.hwm && !this.paused) {
      this.paused = true;
      this.poller.stop();
    }
  }

  protected finishDump(op: Op, error: unknown): void {
    this.pending.delete(op.seq);
    if (this.activeDump === op) this.activeDump = undefined;
    this.scheduleFlush();
    if (!error && op.intr) error = new DumpInterruptedError([], op.count);
    op.finished = true;
    op.error = error;
    if (op.abandoned) op.state = STATE_DONE;
    else this.wakeDump(op);
    this.updateRef();
    this.resumeIfDrained();
  }

  /** Resolves a waiting dump consumer with the end or the error, once its buffered batches are gone. */
  protected wakeDump(op: Op): void {
    if (op.head < op.batches.length) return;
    const w = op.waiter;
    const r = op.waiterReject;
    if (!w) return;
    op.waiter = op.waiterReject = undefined;
    op.state = STATE_DONE;
    this.detachSignal(op);
    if (op.error !== undefined) r!(op.error);
    else w({ value: undefined, done: true });
  }

  protected notify(msg: Message, group: number): void {
    if (this.subs.size === 0) return;
    let full = false;
    for (const sub of this.subs) if (sub.wants(group) && sub.push(msg)) full = true;
    if (full && !this.paused) {
      this.paused = true;
      this.poller.stop();
    }
  }
}
