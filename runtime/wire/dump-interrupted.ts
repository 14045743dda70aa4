// The error a dump ends with when the kernel's data changed while it ran (NLM_F_DUMP_INTR). Apart from errors.ts so
// that the error classes do not import message.ts, which imports them.
import { NlgenError } from './errors.js';
import type { NetlinkMessage } from './message.js';

/**
 * A dump's data changed while it ran (NLM_F_DUMP_INTR): the result may be inconsistent. `partial` holds the messages
 * received when the dump collected them (`dumpAll`); streaming dumps already handed them out and leave it empty.
 */
export class DumpInterruptedError extends NlgenError {
  override name = 'DumpInterruptedError';
  /** Messages received before and after the interruption was flagged. */
  readonly partial: NetlinkMessage[];
  /** Number of messages the dump delivered. */
  readonly messageCount: number;
  /** How many attempts were made (1 + retries). */
  readonly attempts: number;
  constructor(partial: NetlinkMessage[], messageCount: number, attempts = 1) {
    super(
      `dump interrupted: the kernel's data changed during the dump (NLM_F_DUMP_INTR) after ${attempts} attempt(s); ` +
        `${messageCount} message(s) may be inconsistent`,
    );
    this.partial = partial;
    this.messageCount = messageCount;
    this.attempts = attempts;
  }
}
