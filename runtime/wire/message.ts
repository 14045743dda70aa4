// Netlink message framing: nlmsghdr constants and flags, the zero-copy message object, parsing and encoding.
import { DecodeError } from './errors.js';

/** Netlink protocol numbers used by the runtime itself. */
export const NETLINK_ROUTE = 0;
/** Generic netlink protocol. */
export const NETLINK_GENERIC = 16;
/** Generic netlink controller family id (nlctrl). */
export const GENL_ID_CTRL = 16;

/** Size of struct nlmsghdr. */
export const NLMSG_HDRLEN = 16;
/** Size of struct genlmsghdr (cmd, version, reserved). */
export const GENL_HDRLEN = 4;

/** Message types reserved by netlink itself. */
export const NLMSG_NOOP = 1;
/** Error or ACK (error 0). */
export const NLMSG_ERROR = 2;
/** End of a multi-part message (dump). */
export const NLMSG_DONE = 3;
/** Data lost (unused by Linux). */
export const NLMSG_OVERRUN = 4;
/** First type number available to families. */
export const NLMSG_MIN_TYPE = 0x10;

/** It is a request. */
export const NLM_F_REQUEST = 0x01;
/** Multi-part message, terminated by NLMSG_DONE. */
export const NLM_F_MULTI = 0x02;
/** Ask for an ACK. */
export const NLM_F_ACK = 0x04;
/** Echo the resulting notification to the requester. */
export const NLM_F_ECHO = 0x08;
/** The dump was inconsistent because the data changed during it. */
export const NLM_F_DUMP_INTR = 0x10;
/** The dump was filtered as requested. */
export const NLM_F_DUMP_FILTERED = 0x20;
/** GET modifier: return the whole table. */
export const NLM_F_ROOT = 0x100;
/** GET modifier: return all matching entries. */
export const NLM_F_MATCH = 0x200;
/** GET modifier: atomic snapshot. */
export const NLM_F_ATOMIC = 0x400;
/** GET modifier: dump (ROOT | MATCH). */
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
/** NEW modifier: replace an existing object. */
export const NLM_F_REPLACE = 0x100;
/** NEW modifier: fail if it exists. */
export const NLM_F_EXCL = 0x200;
/** NEW modifier: create if it does not exist. */
export const NLM_F_CREATE = 0x400;
/** NEW modifier: add to the end of a list. */
export const NLM_F_APPEND = 0x800;
/** DELETE modifier: do not delete recursively. */
export const NLM_F_NONREC = 0x100;
/** DELETE modifier: delete several objects. */
export const NLM_F_BULK = 0x200;
/** ACK flag: the request payload was not echoed (NETLINK_CAP_ACK). */
export const NLM_F_CAPPED = 0x100;
/** ACK flag: extended ACK TLVs follow. */
export const NLM_F_ACK_TLVS = 0x200;

/** A received netlink message: the header fields plus a zero-copy window on the bytes after the nlmsghdr. */
export interface NetlinkMessage {
  /** Discriminant against `SubscriptionOverrun` in subscription streams. */
  readonly kind: 'message';
  /** nlmsg_type. */
  readonly type: number;
  /** nlmsg_flags. */
  readonly flags: number;
  /** nlmsg_seq. */
  readonly seq: number;
  /** nlmsg_pid. */
  readonly portid: number;
  /** Multicast group the datagram was sent to (0 for unicast replies). */
  readonly group: number;
  /** The datagram (or buffer) holding the message; never reused by the runtime afterwards. */
  readonly data: Uint8Array;
  /** DataView over the same bytes as `data`, same index basis. */
  readonly view: DataView;
  /** Index in `data` where the payload starts (right after the nlmsghdr). */
  readonly start: number;
  /** Index in `data` one past the payload's end. */
  readonly end: number;
  /** `data.subarray(start, end)`. */
  readonly payload: Uint8Array;
}

/** The runtime's implementation of `NetlinkMessage` (one small object per message, no copies). */
export class Message implements NetlinkMessage {
  declare readonly kind: 'message';
  constructor(
    readonly type: number,
    readonly flags: number,
    readonly seq: number,
    readonly portid: number,
    readonly group: number,
    readonly data: Uint8Array,
    readonly view: DataView,
    readonly start: number,
    readonly end: number,
  ) {}

  get payload(): Uint8Array {
    return this.data.subarray(this.start, this.end);
  }
}
Object.defineProperty(Message.prototype, 'kind', { value: 'message', enumerable: true });

/** A request as generated clients build it: everything after the nlmsghdr is `payload`. */
export interface NetlinkRequest {
  /** nlmsg_type. */
  type: number;
  /** Extra flags (CREATE, EXCL, …); the socket adds REQUEST (+ACK or +DUMP). */
  flags?: number;
  /** genlmsghdr/fixed header + attributes. */
  payload: Uint8Array;
}

/** Rounds up to netlink's 4-byte message alignment. */
export function nlmsgAlign(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Parses every message of a datagram (zero-copy). Throws `DecodeError` for a truncated header or a length that
 * runs past the end; trailing bytes shorter than a header are an error too.
 */
export function parseMessages(data: Uint8Array, length = data.length, group = 0): Message[] {
  if (length > data.length) throw new DecodeError(`length ${length} exceeds the ${data.length}-byte buffer`, 0);
  const view = new DataView(data.buffer, data.byteOffset, length);
  const out: Message[] = [];
  let off = 0;
  while (off < length) {
    if (length - off < NLMSG_HDRLEN) throw new DecodeError('truncated nlmsghdr', off);
    const len = view.getUint32(off, true);
    if (len < NLMSG_HDRLEN) throw new DecodeError(`nlmsg_len ${len} is shorter than the header`, off);
    if (len > length - off) throw new DecodeError(`nlmsg_len ${len} runs past the end of the data`, off);
    out.push(
      new Message(
        view.getUint16(off + 4, true),
        view.getUint16(off + 6, true),
        view.getUint32(off + 8, true),
        view.getUint32(off + 12, true),
        group,
        data,
        view,
        off + NLMSG_HDRLEN,
        off + len,
      ),
    );
    off += nlmsgAlign(len);
  }
  return out;
}

/** Encodes one complete message (nlmsghdr + payload) into a new buffer. */
export function encodeMessage(type: number, flags: number, seq: number, portid: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const len = NLMSG_HDRLEN + payload.length;
  const out = new Uint8Array(nlmsgAlign(len));
  writeHeader(new DataView(out.buffer), 0, len, type, flags, seq, portid);
  out.set(payload, NLMSG_HDRLEN);
  return out;
}

/** Writes an nlmsghdr at `off`. */
export function writeHeader(
  view: DataView,
  off: number,
  len: number,
  type: number,
  flags: number,
  seq: number,
  portid: number,
): void {
  view.setUint32(off, len, true);
  view.setUint16(off + 4, type, true);
  view.setUint16(off + 6, flags, true);
  view.setUint32(off + 8, seq, true);
  view.setUint32(off + 12, portid, true);
}

/** A genlmsghdr (cmd, version, reserved 0) as 4 bytes, to start a generic netlink payload. */
export function genlHeader(cmd: number, version: number): Uint8Array {
  return Uint8Array.of(cmd, version, 0, 0);
}
