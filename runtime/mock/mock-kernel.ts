// A kernel in JavaScript for unit tests: sockets (and generated clients) opened with `{ transport: kernel.transport() }`
// talk to it through the very code they use with the real kernel — sequence numbers and port ids echoed, ACKs when
// asked, dump replies in several datagrams ended by NLMSG_DONE, errors with extended ACK (message, offending
// attribute) in NLMSG_ERROR or in DONE, NLM_F_DUMP_INTR and overruns on demand, multicast to joined groups, and the
// generic netlink controller's family lookup. No root, no kernel, no namespace.
import { type NetlinkTransport, setDefaultTransport, type TransportDatagram } from '../socket/transport.js';
import {
  CTRL_ATTR_FAMILY_ID,
  CTRL_ATTR_FAMILY_NAME,
  CTRL_ATTR_HDRSIZE,
  CTRL_ATTR_MAXATTR,
  CTRL_ATTR_MCAST_GROUPS,
  CTRL_ATTR_MCAST_GRP_ID,
  CTRL_ATTR_MCAST_GRP_NAME,
  CTRL_ATTR_OP_FLAGS,
  CTRL_ATTR_OP_ID,
  CTRL_ATTR_OPS,
  CTRL_ATTR_VERSION,
  CTRL_CMD_GETFAMILY,
  CTRL_CMD_NEWFAMILY,
} from '../client/genl.js';
import { ERRNO_NAMES } from '../sys/errno.js';
import { ENOBUFS } from '../sys/ffi.js';
import { AttrCursor, AttrWriter, readString } from '../wire/attrs.js';
import { NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY } from '../wire/extack.js';
import {
  GENL_HDRLEN,
  GENL_ID_CTRL,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NETLINK_GENERIC,
  NETLINK_ROUTE,
  encodeMessage,
  genlHeader,
  parseMessages,
} from '../wire/message.js';

// linux/netlink.h and netfilter/nfnetlink.h: the netfilter protocol and its batch messages.
const NETLINK_NETFILTER = 12;
const NFNL_MSG_BATCH_BEGIN = 0x10;
const NFNL_MSG_BATCH_END = 0x11;
let kernels = 0;
const ERRNO_BY_NAME = new Map([...ERRNO_NAMES].map(([n, name]) => [name, n]));

// linux/netlink.h: enum netlink_policy_type_attr.
const NL_POLICY_TYPE_ATTR_TYPE = 1;
const NL_POLICY_TYPE_ATTR_MIN_VALUE_U = 4;
const NL_POLICY_TYPE_ATTR_MAX_VALUE_U = 5;

/** A request as the mock kernel received it. */
export interface MockRequest {
  /** Message type (the family id for generic netlink). */
  type: number;
  flags: number;
  seq: number;
  /** Port id of the sending socket. */
  portid: number;
  /** Everything after the nlmsghdr (genlmsghdr included for generic netlink). */
  payload: Uint8Array;
  /** The whole message, header included: extack offsets count from its first byte. */
  message: Uint8Array;
  /** Generic netlink command (payload's first byte), for requests to a generic netlink family. */
  cmd?: number;
  /** The netlink protocol of the sending socket. */
  protocol: number;
}

/**
 * One reply message: its payload (after the nlmsghdr), and a message type when it differs from the request's. `seq`
 * and `portid` default to the request's; a peer written like the classic tutorials answers with 0 and 0.
 */
export interface MockReply {
  type?: number;
  payload: Uint8Array;
  seq?: number;
  portid?: number;
}

/** What a handler may return: no reply (an ACK only), one reply, or several (a dump's or a multi-part reply). */
export type MockResult = MockReply | Uint8Array | Iterable<MockReply | Uint8Array> | AsyncIterable<MockReply | Uint8Array> | void;

/** Answers the requests of one message type. Throw a `MockError` for an error reply. */
export type MockHandler = (request: MockRequest, kernel: MockKernel) => MockResult | Promise<MockResult>;

/** An error the mock kernel answers with: an errno and, as the kernel's extended ACK, a message and an offset. */
export class MockError extends Error {
  /** The positive errno. */
  readonly errno: number;
  /** Byte offset of the offending attribute from the start of the request message (see `attrOffset`). */
  readonly offset: number | undefined;
  /** The extack message, if any. */
  readonly extackMessage: string | undefined;
  /** A missing attribute's type (NLMSGERR_ATTR_MISS_TYPE), and the offset of the nest it was missing from. */
  readonly missingType: number | undefined;
  readonly missingNest: number | undefined;
  /** The policy the offending attribute broke (NLMSGERR_ATTR_POLICY): its type (enum netlink_attribute_type), range. */
  readonly policy: { type?: number; min?: bigint; max?: bigint } | undefined;

  constructor(code: string | number, extack: MockExtAck = {}) {
    const errno = typeof code === 'number' ? code : ERRNO_BY_NAME.get(code);
    if (errno === undefined || errno <= 0) throw new TypeError(`unknown errno ${String(code)}`);
    super(extack.message ?? ERRNO_NAMES.get(errno) ?? `errno ${errno}`);
    this.name = 'MockError';
    this.errno = errno;
    this.offset = extack.offset;
    this.extackMessage = extack.message;
    this.missingType = extack.missingType;
    this.missingNest = extack.missingNest;
    this.policy = extack.policy;
  }
}

/** What a `MockError` tells beside its errno, as the kernel's extended ACK would. */
export interface MockExtAck {
  message?: string;
  /** Offset of the offending attribute from the start of the request message (see `attrOffset`). */
  offset?: number;
  missingType?: number;
  missingNest?: number;
  policy?: { type?: number; min?: bigint; max?: bigint };
}

/** A generic netlink family the mock kernel's controller knows. */
export interface MockGenlFamily {
  name: string;
  id: number;
  version: number;
  /** Multicast group ids by name. */
  groups: ReadonlyMap<string, number>;
  /** Highest attribute number, and the operations (command and flags) the controller lists. */
  maxAttr: number;
  ops: readonly { id: number; flags: number }[];
}

/** Options of a `MockKernel`. */
export interface MockKernelOptions {
  /** Most reply messages per dump datagram (the real kernel fills about a page); default 4, so dumps span datagrams. */
  dumpBatch?: number;
}

/**
 * The byte offset of a (nested) attribute in a request message, for a `MockError`'s extack: `path` lists attribute
 * type numbers from the outermost, searched from `start` (the end of the fixed headers, from the message's start).
 */
export function attrOffset(message: Uint8Array, start: number, path: readonly number[]): number | undefined {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let from = start;
  let to = message.length;
  let at: number | undefined;
  for (const type of path) {
    const c = new AttrCursor().reset(view, from, to);
    at = undefined;
    while (c.next()) {
      if (c.type === type) {
        at = c.start - 4;
        from = c.start;
        to = c.end;
        break;
      }
    }
    if (at === undefined) return undefined;
  }
  return at;
}

/** The mock kernel. One per test; each socket gets its own `transport()`. */
export class MockKernel {
  readonly #handlers = new Map<string, MockHandler>();
  readonly #families = new Map<string, MockGenlFamily>();
  readonly #ports = new Set<MockTransport>();
  readonly #dumpBatch: number;
  #nextPort = 1000;
  readonly #id = `mock-kernel-${++kernels}`;
  #nextFamilyId = 0x20;
  #interruptDumps = false;
  /** Every request received, in order (what a test asserts on). */
  readonly requests: MockRequest[] = [];
  /** Exceptions handlers threw that were not `MockError`s (answered with EIO; a test should expect none). */
  readonly handlerErrors: unknown[] = [];

  constructor(options: MockKernelOptions = {}) {
    this.#dumpBatch = Math.max(1, options.dumpBatch ?? 4);
    this.on(GENL_ID_CTRL, (req) => this.#controller(req), NETLINK_GENERIC);
  }

  /**
   * Makes every socket this process opens without a `transport` talk to this kernel (generated clients' `open()`
   * included, wherever the code under test calls it). Returns the function that undoes it.
   */
  install(): () => void {
    setDefaultTransport(() => this.transport());
    return () => setDefaultTransport(undefined);
  }

  /** A transport for one socket: `NetlinkSocket.open(protocol, { transport })` or `<Client>.open({ transport })`. */
  transport(): NetlinkTransport {
    const t = new MockTransport(this, this.#nextPort++, this.#id);
    this.#ports.add(t);
    return t;
  }

  /**
   * Answers requests of message `type` on netlink `protocol` (NETLINK_ROUTE unless given) with `handler`. A generic
   * netlink family's commands are registered with `genlFamily`.
   */
  on(type: number, handler: MockHandler, protocol: number = NETLINK_ROUTE): this {
    this.#handlers.set(`${protocol}:${type}`, handler);
    return this;
  }

  /** Answers requests of every message type on `protocol` that has no handler of its own. */
  onAny(handler: MockHandler, protocol: number = NETLINK_ROUTE): this {
    this.#handlers.set(`${protocol}:*`, handler);
    return this;
  }

  /**
   * Registers a generic netlink family with the controller (so `resolveFamily` and generated clients find it) and
   * returns it; `groups` are multicast group names, given ids in order.
   */
  genlFamily(
    name: string,
    options: { version?: number; groups?: readonly string[]; maxAttr?: number; ops?: readonly { id: number; flags?: number }[]; handler?: MockHandler } = {},
  ): MockGenlFamily {
    const id = this.#nextFamilyId++;
    const groups = new Map<string, number>();
    for (const g of options.groups ?? []) groups.set(g, this.#nextFamilyId++);
    const ops = (options.ops ?? []).map((o) => ({ id: o.id, flags: o.flags ?? 0 }));
    const fam: MockGenlFamily = { name, id, version: options.version ?? 1, groups, maxAttr: options.maxAttr ?? 0, ops };
    this.#families.set(name, fam);
    if (options.handler) this.on(id, options.handler, NETLINK_GENERIC);
    return fam;
  }

  /** Sends a notification to every socket that joined `group`. */
  emit(group: number, type: number, payload: Uint8Array, flags = 0): void {
    const d = encodeMessage(type, flags, 0, 0, payload);
    for (const t of this.#ports) if (t.groups.has(group)) t.deliver({ data: d, group });
  }

  /** The next read of every open socket (or of the one with `portid`) reports an overrun (ENOBUFS). */
  overrun(portid?: number): void {
    for (const t of this.#ports) if (portid === undefined || t.portid === portid) t.deliver(-ENOBUFS);
  }

  /** Flags the replies of dumps from now on NLM_F_DUMP_INTR (the dump's data changed while it ran), or stops it. */
  interruptDumps(on = true): void {
    this.#interruptDumps = on;
  }

  /** @internal A datagram from a socket. */
  receive(from: MockTransport, datagram: Uint8Array): void {
    // nfnetlink batches: when the handler of a batch's begin message refuses it, the kernel looks at none of its
    // requests (they get no answer), up to the end message.
    let skipBatch = false;
    for (const m of parseMessages(datagram)) {
      if (skipBatch) {
        if (from.protocol === NETLINK_NETFILTER && m.type === NFNL_MSG_BATCH_END) skipBatch = false;
        continue;
      }
      const req: MockRequest = {
        type: m.type,
        flags: m.flags,
        seq: m.seq,
        portid: m.portid,
        payload: m.payload,
        message: datagram.slice(m.start - NLMSG_HDRLEN, m.end),
        protocol: from.protocol,
      };
      if (from.protocol === NETLINK_GENERIC && req.type >= GENL_ID_CTRL && req.payload.length >= GENL_HDRLEN) req.cmd = req.payload[0];
      this.requests.push(req);
      const refused = this.#answer(from, req);
      if (refused && from.protocol === NETLINK_NETFILTER && req.type === NFNL_MSG_BATCH_BEGIN) skipBatch = true;
    }
  }

  /** @internal */
  closed(t: MockTransport): void {
    this.#ports.delete(t);
  }

  /** Answers one request; true when it was refused at once (no handler, or the handler threw). */
  #answer(to: MockTransport, req: MockRequest): boolean {
    const handler = this.#handlers.get(`${req.protocol}:${req.type}`) ?? this.#handlers.get(`${req.protocol}:*`);
    if (!handler) {
      to.deliver({ data: errorMessage(req, new MockError('EOPNOTSUPP')), group: 0 });
      return true;
    }
    let result: MockResult | Promise<MockResult>;
    try {
      result = handler(req, this);
    } catch (e) {
      to.deliver({ data: errorMessage(req, this.#asMockError(e)), group: 0 });
      return true;
    }
    // Answered synchronously when the handler is (as the kernel answers while sendmsg runs), else when it settles.
    if (result instanceof Promise) {
      result.then(
        (r) => this.#reply(to, req, r),
        (e) => to.deliver({ data: errorMessage(req, this.#asMockError(e)), group: 0 }),
      );
    } else this.#reply(to, req, result);
    return false;
  }

  #reply(to: MockTransport, req: MockRequest, result: MockResult): void {
    const isDump = (req.flags & NLM_F_DUMP) === NLM_F_DUMP;
    if (isDump) {
      void this.#dump(to, req, result);
      return;
    }
    if (result !== undefined && Symbol.asyncIterator in Object(result)) {
      const e = new TypeError('a do handler returns its replies, not an async iterable (that is for dumps)');
      to.deliver({ data: errorMessage(req, this.#asMockError(e)), group: 0 });
      return;
    }
    const replies = result === undefined ? [] : result instanceof Uint8Array || isReply(result) ? [result] : [...(result as Iterable<MockReply | Uint8Array>)];
    for (const r of replies) to.deliver({ data: this.#replyMessage(req, r, replies.length > 1 ? NLM_F_MULTI : 0), group: 0 });
    if (replies.length > 1) to.deliver({ data: encodeMessage(NLMSG_DONE, NLM_F_MULTI, req.seq, req.portid, new Uint8Array(4)), group: 0 });
    if (req.flags & NLM_F_ACK) to.deliver({ data: ackMessage(req), group: 0 });
  }

  async #dump(to: MockTransport, req: MockRequest, result: MockResult): Promise<void> {
    const flags = NLM_F_MULTI | (this.#interruptDumps ? NLM_F_DUMP_INTR : 0);
    let batch: Uint8Array[] = [];
    const flush = () => {
      if (batch.length > 0) to.deliver({ data: concatBytes(batch), group: 0 });
      batch = [];
    };
    try {
      if (result !== undefined) {
        const items = result instanceof Uint8Array || isReply(result) ? [result] : (result as Iterable<MockReply | Uint8Array> | AsyncIterable<MockReply | Uint8Array>);
        for await (const r of items) {
          batch.push(this.#replyMessage(req, r, flags));
          if (batch.length >= this.#dumpBatch) flush();
        }
      }
      flush();
      to.deliver({ data: encodeMessage(NLMSG_DONE, flags, req.seq, req.portid, new Uint8Array(4)), group: 0 });
    } catch (e) {
      // An error part-way: what was built goes out, then DONE carries the error and its extended ACK.
      flush();
      to.deliver({ data: doneError(req, this.#asMockError(e)), group: 0 });
    }
  }

  #replyMessage(req: MockRequest, r: MockReply | Uint8Array, flags: number): Uint8Array<ArrayBuffer> {
    const reply: MockReply = r instanceof Uint8Array ? { payload: r } : r;
    return encodeMessage(reply.type ?? req.type, flags, reply.seq ?? req.seq, reply.portid ?? req.portid, reply.payload);
  }

  #asMockError(e: unknown): MockError {
    if (e instanceof MockError) return e;
    this.handlerErrors.push(e);
    return new MockError('EIO', { message: `mock handler threw: ${e instanceof Error ? e.message : String(e)}` });
  }

  /** The generic netlink controller: CTRL_CMD_GETFAMILY by name, or every family as a dump. */
  #controller(req: MockRequest): MockResult {
    if (req.cmd !== CTRL_CMD_GETFAMILY) throw new MockError('EOPNOTSUPP');
    if ((req.flags & NLM_F_DUMP) === NLM_F_DUMP) return [...this.#families.values()].map((f) => ({ payload: familyMessage(f) }));
    const view = new DataView(req.payload.buffer, req.payload.byteOffset, req.payload.byteLength);
    let name: string | undefined;
    for (const c = new AttrCursor().reset(view, GENL_HDRLEN, req.payload.length); c.next(); ) {
      if (c.type === CTRL_ATTR_FAMILY_NAME) name = readString(req.payload, c.start, c.end);
    }
    const fam = name === undefined ? undefined : this.#families.get(name);
    if (!fam) throw new MockError('ENOENT');
    return { payload: familyMessage(fam) };
  }
}

/** A CTRL_CMD_NEWFAMILY payload describing `fam`, as the kernel's controller writes it. */
function familyMessage(fam: MockGenlFamily): Uint8Array {
  const w = new AttrWriter();
  w.rawBytes(genlHeader(CTRL_CMD_NEWFAMILY, 2));
  w.u16(CTRL_ATTR_FAMILY_ID, fam.id).string(CTRL_ATTR_FAMILY_NAME, fam.name).u32(CTRL_ATTR_VERSION, fam.version).u32(CTRL_ATTR_HDRSIZE, 0).u32(CTRL_ATTR_MAXATTR, fam.maxAttr);
  if (fam.ops.length > 0) {
    const list = w.beginNest(CTRL_ATTR_OPS);
    fam.ops.forEach((op, i) => {
      const one = w.beginNest(i + 1);
      w.u32(CTRL_ATTR_OP_ID, op.id).u32(CTRL_ATTR_OP_FLAGS, op.flags);
      w.endNest(one);
    });
    w.endNest(list);
  }
  if (fam.groups.size > 0) {
    const list = w.beginNest(CTRL_ATTR_MCAST_GROUPS);
    let i = 1;
    for (const [g, id] of fam.groups) {
      const one = w.beginNest(i++);
      w.string(CTRL_ATTR_MCAST_GRP_NAME, g).u32(CTRL_ATTR_MCAST_GRP_ID, id);
      w.endNest(one);
    }
    w.endNest(list);
  }
  return w.finish();
}

/** One socket's end of the mock kernel. */
class MockTransport implements NetlinkTransport {
  readonly groups = new Set<number>();
  /** The socket's netlink protocol (told by `bind` when it opens). */
  protocol: number = NETLINK_ROUTE;
  readonly #queue: (TransportDatagram | number)[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(
    private readonly kernel: MockKernel,
    readonly portid: number,
    readonly netnsId: string,
  ) {}

  get queued(): number {
    return this.#queue.length;
  }

  send(datagram: Uint8Array): void {
    if (!this.#closed) this.kernel.receive(this, datagram);
  }

  receive(): TransportDatagram | number | undefined {
    return this.#queue.shift();
  }

  membership(group: number, joined: boolean): void {
    if (joined) this.groups.add(group);
    else this.groups.delete(group);
  }

  bind(protocol: number): void {
    this.protocol = protocol;
  }

  onReadable(wake: () => void): void {
    this.#wake = wake;
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.kernel.closed(this);
  }

  /** Queues a datagram (or an errno) for the socket and wakes it. */
  deliver(d: TransportDatagram | number): void {
    if (this.#closed) return;
    this.#queue.push(d);
    this.#wake?.();
  }
}

function isReply(x: unknown): x is MockReply {
  return typeof x === 'object' && x !== null && 'payload' in x && (x as MockReply).payload instanceof Uint8Array;
}

/** `parts` one after the other in one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The extended ACK TLVs of an error. */
function extackTlvs(e: MockError): Uint8Array {
  const w = new AttrWriter();
  if (e.extackMessage !== undefined) w.string(NLMSGERR_ATTR_MSG, e.extackMessage);
  if (e.offset !== undefined) w.u32(NLMSGERR_ATTR_OFFS, e.offset);
  if (e.policy !== undefined) {
    const p = w.beginNest(NLMSGERR_ATTR_POLICY);
    if (e.policy.type !== undefined) w.u32(NL_POLICY_TYPE_ATTR_TYPE, e.policy.type);
    if (e.policy.min !== undefined) w.u64(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, e.policy.min);
    if (e.policy.max !== undefined) w.u64(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, e.policy.max);
    w.endNest(p);
  }
  if (e.missingType !== undefined) w.u32(NLMSGERR_ATTR_MISS_TYPE, e.missingType);
  if (e.missingNest !== undefined) w.u32(NLMSGERR_ATTR_MISS_NEST, e.missingNest);
  return w.finish();
}

/** NLMSG_ERROR with error 0 and the request's header (a capped ACK, as NETLINK_CAP_ACK asks). */
function ackMessage(req: MockRequest): Uint8Array<ArrayBuffer> {
  const p = new Uint8Array(4 + NLMSG_HDRLEN);
  p.set(req.message.subarray(0, NLMSG_HDRLEN), 4);
  return encodeMessage(NLMSG_ERROR, NLM_F_CAPPED, req.seq, req.portid, p);
}

/** NLMSG_ERROR with −errno, the request's header, and the extended ACK. */
function errorMessage(req: MockRequest, e: MockError): Uint8Array<ArrayBuffer> {
  return errorReply(req.message.subarray(0, NLMSG_HDRLEN), req.seq, req.portid, e);
}

/**
 * An NLMSG_ERROR answering the request whose nlmsghdr is `header` (capped: the header only) with −errno and the
 * error's extended ACK; the replay transport answers unrecorded requests with it too.
 */
export function errorReply(header: Uint8Array, seq: number, portid: number, e: MockError): Uint8Array<ArrayBuffer> {
  const tlvs = extackTlvs(e);
  const p = new Uint8Array(4 + NLMSG_HDRLEN + tlvs.length);
  new DataView(p.buffer).setInt32(0, -e.errno, true);
  p.set(header, 4);
  p.set(tlvs, 4 + NLMSG_HDRLEN);
  return encodeMessage(NLMSG_ERROR, NLM_F_CAPPED | (tlvs.length > 0 ? NLM_F_ACK_TLVS : 0), seq, portid, p);
}

/** NLMSG_DONE carrying −errno and the extended ACK (an error part-way through a dump). */
function doneError(req: MockRequest, e: MockError): Uint8Array<ArrayBuffer> {
  const tlvs = extackTlvs(e);
  const p = new Uint8Array(4 + tlvs.length);
  new DataView(p.buffer).setInt32(0, -e.errno, true);
  p.set(tlvs, 4);
  return encodeMessage(NLMSG_DONE, NLM_F_MULTI | (tlvs.length > 0 ? NLM_F_ACK_TLVS : 0), req.seq, req.portid, p);
}
