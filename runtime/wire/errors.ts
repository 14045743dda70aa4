// Typed errors of the runtime. Every failure a caller can meet has its own class and the facts needed to act on it.
import { errnoName } from '../sys/errno.js';
import type { ExtAck } from './extack-info.js';
import { strerror } from '../sys/ffi.js';

/** Base class of every error nlgen throws on purpose (runtime and generator alike). */
export class NlgenError extends Error {
  override name = 'NlgenError';
}

/**
 * Bytes that do not form valid netlink data: truncated header, a length past the end, a nest shorter than an attribute
 * header, a scalar of the wrong size. Parsers raise only this (never RangeError).
 */
export class DecodeError extends NlgenError {
  override name = 'DecodeError';
  /** Byte index (in the buffer being parsed) where the problem was found. */
  readonly offset: number;
  /** What was wrong, without the offset. */
  readonly reason: string;
  constructor(reason: string, offset: number) {
    super(`malformed netlink data at byte ${offset}: ${reason}`);
    this.reason = reason;
    this.offset = offset;
  }
}

/** The kernel refused a request (NLMSG_ERROR with a negative errno, or an error carried by NLMSG_DONE). */
export class NetlinkError extends NlgenError {
  override name = 'NetlinkError';
  /** Positive errno (EEXIST = 17 …). */
  readonly errno: number;
  /** Symbolic errno name ('EEXIST', 'EOPNOTSUPP' …). */
  readonly code: string;
  /** The whole request message (nlmsghdr included) this error answers, when known. */
  readonly request?: Uint8Array;
  /** The extended ACK decoded (empty object when the kernel sent none). */
  readonly extack: ExtAck;
  /** Dotted attribute path of the bad attribute, filled in by a generated client via `attrPathAt`. */
  path?: string;
  /** Which message carried the error: NLMSG_ERROR, NLMSG_DONE (dump errors under strict checking), or a local call. */
  origin: 'NLMSG_ERROR' | 'NLMSG_DONE' | 'local' = 'NLMSG_ERROR';
  /** Family and operation that failed, set by a generated client (`rt-link`, `newlink`). */
  family?: string;
  op?: string;
  /** For EPERM/EACCES from a generated client: the capability the kernel checks for this operation. */
  capability?: string;

  constructor(errno: number, extack: ExtAck = {}, request?: Uint8Array, what?: string) {
    const code = errnoName(errno);
    let text = `${code} (${safeStrerror(errno)})`;
    if (what) text = `${what}: ${text}`;
    if (extack.message) text += `: ${extack.message}`;
    // Kernels before 6.2 name a missing attribute only by type (and its nest), without text.
    else if (extack.missingType !== undefined) {
      text += `: missing attribute type ${extack.missingType}`;
      if (extack.missingNest !== undefined) text += ` in the nest at byte ${extack.missingNest}`;
    }
    super(text);
    this.errno = errno;
    this.code = code;
    this.extack = extack;
    if (request) this.request = request;
  }

  /**
   * Records which family and operation failed (the message then starts `rt-link newlink: `) and, for EPERM/EACCES,
   * the capability the kernel wanted.
   */
  setOperation(family: string, op: string, capability: string | undefined): this {
    this.family = family;
    this.op = op;
    this.message = `${family} ${op}: ${this.message}`;
    if (capability !== undefined && (this.code === 'EPERM' || this.code === 'EACCES')) {
      this.capability = capability;
      this.message += ` (the kernel requires ${capability} for this operation: run as root or grant the capability)`;
    }
    return this;
  }

  /** Records the failing attribute's path and appends it to the message. */
  setPath(path: string | undefined): this {
    if (path) {
      this.path = path;
      this.message += ` (attribute ${path})`;
    }
    return this;
  }
}

function safeStrerror(n: number): string {
  try {
    return strerror(n);
  } catch {
    return `error ${n}`;
  }
}

/**
 * A request's reply was dropped by the kernel because the socket's receive buffer overflowed (ENOBUFS). Whether the
 * request took effect is unknown. Raise `rcvBuf` or use a separate socket for subscriptions.
 */
export class ReplyLostError extends NetlinkError {
  override name = 'ReplyLostError';
  constructor(request?: Uint8Array) {
    super(105, { message: 'the reply was dropped: socket receive buffer overrun' }, request);
  }
}


/** A received datagram was larger than the receive buffer; its tail was lost (reported, never dropped silently). */
export class TruncatedMessageError extends NlgenError {
  override name = 'TruncatedMessageError';
  /** Real datagram size reported by the kernel. */
  readonly length: number;
  /** Bytes that were kept. */
  readonly capacity: number;
  constructor(length: number, capacity: number) {
    super(`a ${length}-byte netlink datagram did not fit the ${capacity}-byte receive buffer and was truncated`);
    this.length = length;
    this.capacity = capacity;
  }
}

/** A generic netlink family the kernel does not know (module not loaded, feature compiled out). */
export class FamilyNotFoundError extends NlgenError {
  override name = 'FamilyNotFoundError';
  /** 'ENOENT', what nlctrl answers for a family it does not know (handy for `switch (e.code)` beside NetlinkError). */
  readonly code = 'ENOENT';
  /** The family name asked for. */
  readonly family: string;
  constructor(family: string) {
    super(`family '${family}' is not available in this kernel`);
    this.family = family;
  }
}

/** The socket was closed while an operation was pending, or an operation was started on a closed socket. */
export class SocketClosedError extends NlgenError {
  override name = 'SocketClosedError';
  constructor() {
    super('netlink socket is closed');
  }
}

/** A libc call failed while setting up a socket or namespace (errno attached). */
export class SystemError extends NlgenError {
  override name = 'SystemError';
  /** Positive errno. */
  readonly errno: number;
  /** Symbolic errno name. */
  readonly code: string;
  constructor(call: string, errno: number) {
    super(`${call} failed: ${errnoName(errno)} (${safeStrerror(errno)})`);
    this.errno = errno;
    this.code = errnoName(errno);
  }
}
