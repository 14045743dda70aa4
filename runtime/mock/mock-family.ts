// Typed handlers on the mock kernel, from a generated module's codecs (`<Family>Codecs`): a handler per operation gets
// the request decoded as the client's request type and returns the reply as the client's reply type (a dump handler
// an iterable of them); notifications are emitted typed. The codecs' wire layouts say where each message's genl
// header, fixed header and attributes go, so the bytes are what the client would exchange with the kernel.
import { nameErrorPath } from '../client/client-support.js';
import type { AttrNameTables } from '../codec/codec-support.js';
import type { AttrSetCodec, MessageCodec, NotificationLayout, RequestCodec, StructCodec } from '../codec/codecs.js';
import { AttrCursor } from '../wire/attrs.js';
import type { NetlinkError } from '../wire/errors.js';
import { genlHeader, NLM_F_DUMP } from '../wire/message.js';
import { concatBytes, MockError, type MockKernel, type MockReply, type MockRequest, type MockResult } from './mock-kernel.js';

/** What the typed mock reads of a generated `<Family>Codecs` object. */
export interface MockableCodecs {
  readonly structs: Readonly<Record<string, StructCodec<any>>>;
  readonly attributeSets: Readonly<Record<string, AttrSetCodec<any>>>;
  readonly operations: Readonly<Record<string, { readonly do?: RequestCodec<any>; readonly dump?: RequestCodec<any> }>>;
  readonly notifications: Readonly<Record<string, NotificationLayout>>;
  readonly family: {
    readonly name: string;
    readonly protocol: string;
    readonly protonum: number;
    readonly kernelFamily: string | undefined;
    readonly version: number | undefined;
    readonly groups: Readonly<Record<string, number | null>>;
    /** The attribute name tables extended ACK paths are read with (absent on codecs generated before they were). */
    readonly attrNames?: AttrNameTables;
  };
}

type RequestOf<C> = C extends RequestCodec<infer R> ? R : never;
type ReplyOf<C> = C extends MessageCodec<any, infer R> ? R : void;
type Awaitable<T> = T | Promise<T>;
type OpsOf<C extends MockableCodecs> = C['operations'];
type DoOps<C extends MockableCodecs> = { [K in keyof OpsOf<C>]: OpsOf<C>[K]['do'] extends RequestCodec<any> ? K : never }[keyof OpsOf<C>] & string;
type DumpOps<C extends MockableCodecs> = { [K in keyof OpsOf<C>]: OpsOf<C>[K]['dump'] extends RequestCodec<any> ? K : never }[keyof OpsOf<C>] & string;

/** A handler of a do operation: the typed request in, the typed reply out (or nothing for an ACK-only op). */
export type MockDoHandler<Req, Rep> = (request: Req, raw: MockRequest) => Awaitable<Rep>;
/** A handler of a dump: the typed request in, the replies out as an iterable or async iterable. */
export type MockDumpHandler<Req, Rep> = (request: Req, raw: MockRequest) => Iterable<Rep> | AsyncIterable<Rep>;

interface Layout {
  readonly request: number;
  readonly reply: number | undefined;
  readonly header: string | undefined;
  readonly attributes: string | undefined;
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * One family on a mock kernel, typed by its generated codecs: `on('getlink', req => reply)`,
 * `onDump('getlink', function* (req) { … })`, `notify('newlinkNtf', msg)`. A generic netlink family is registered
 * with the mock's controller under its kernel name, with its groups, so the client resolves it as usual.
 */
export class MockFamily<C extends MockableCodecs> {
  /** The generic netlink family id the mock gave it (0 for netlink-raw families). */
  readonly id: number;
  readonly #codecs: C;
  readonly #kernel: MockKernel;
  readonly #genl: boolean;
  readonly #groups = new Map<string, number>();
  /** Handlers by `${mode}:${request message id}`. */
  readonly #handlers = new Map<string, { layout: Layout; handler: (req: unknown, raw: MockRequest) => unknown }>();
  readonly #registered = new Set<number>();

  constructor(kernel: MockKernel, codecs: C) {
    this.#kernel = kernel;
    this.#codecs = codecs;
    const fam = codecs.family;
    this.#genl = fam.protocol !== 'netlink-raw';
    if (this.#genl) {
      const g = kernel.genlFamily(fam.kernelFamily ?? fam.name, {
        version: fam.version ?? 1,
        groups: Object.keys(fam.groups),
        handler: (raw) => this.#dispatch(raw, raw.cmd ?? -1),
      });
      this.id = g.id;
      for (const [name, id] of g.groups) this.#groups.set(name, id);
    } else {
      this.id = 0;
      for (const [name, id] of Object.entries(fam.groups)) if (id !== null) this.#groups.set(name, id);
    }
  }

  /** Answers the `do` of operation `op` (camelCase, as in the codecs) with `handler`. */
  on<K extends DoOps<C>>(op: K, handler: MockDoHandler<RequestOf<OpsOf<C>[K]['do']>, ReplyOf<OpsOf<C>[K]['do']>>): this {
    return this.#register('do', op, handler as (req: unknown, raw: MockRequest) => unknown);
  }

  /** Answers the `dump` of operation `op` with the replies `handler` yields. */
  onDump<K extends DumpOps<C>>(op: K, handler: MockDumpHandler<RequestOf<OpsOf<C>[K]['dump']>, ReplyOf<OpsOf<C>[K]['dump']>>): this {
    return this.#register('dump', op, handler as (req: unknown, raw: MockRequest) => unknown);
  }

  /** Sends notification `name` (camelCase, as in the codecs' `notifications`) to its group (or `group`) with `msg`. */
  notify<K extends keyof C['notifications'] & string>(name: K, msg: Record<string, unknown>, group?: string): void {
    const n = this.#codecs.notifications[name];
    if (!n) throw new TypeError(`${this.#codecs.family.name} has no notification ${name}`);
    const gName = group ?? n.group;
    const gid = gName === undefined ? undefined : this.#groups.get(gName);
    if (gid === undefined) throw new TypeError(`notification ${name}: name its group (one of ${[...this.#groups.keys()].join(', ') || 'none'})`);
    this.#kernel.emit(gid, this.#genl ? this.id : n.type, this.#encode({ request: n.type, reply: n.type, header: n.header, attributes: n.attributes }, msg));
  }

  /**
   * A `MockError` blaming the attribute at property `path` of request `raw` (as the client names it:
   * `linkinfo.data(vxlan).id`): the client's `NetlinkError` gets the same `path` back.
   */
  errorAt(raw: MockRequest, code: string | number, path: string, message?: string): MockError {
    const h = this.#handlers.get(this.#key(raw)) ?? this.#layoutOf(raw);
    const tables = this.#codecs.family.attrNames;
    const set = h?.layout.attributes === undefined ? undefined : this.#codecs.attributeSets[h.layout.attributes]?.set;
    if (!h || !tables || set === undefined) throw new TypeError(`${this.#codecs.family.name}: no attribute names to find ${path} with`);
    const attrsStart = (this.#genl ? 4 : 0) + (h.layout.header === undefined ? 0 : align4(this.#codecs.structs[h.layout.header]!.size));
    const offset = offsetOfPath(raw.message, tables, set, attrsStart, path);
    if (offset === undefined) throw new TypeError(`the request has no attribute at ${path}`);
    return new MockError(code, message === undefined ? { offset } : { offset, message });
  }

  /** The request `raw` decoded as the client's request type of the operation it is for (undefined when none is). */
  decode(raw: MockRequest): Record<string, unknown> | undefined {
    const h = this.#handlers.get(this.#key(raw)) ?? this.#layoutOf(raw);
    return h ? this.#decode(h.layout, raw.payload) : undefined;
  }

  #key(raw: MockRequest): string {
    const id = this.#genl ? (raw.cmd ?? -1) : raw.type;
    return `${(raw.flags & NLM_F_DUMP) === NLM_F_DUMP ? 'dump' : 'do'}:${id}`;
  }

  #layoutOf(raw: MockRequest): { layout: Layout } | undefined {
    const mode = (raw.flags & NLM_F_DUMP) === NLM_F_DUMP ? 'dump' : 'do';
    const id = this.#genl ? (raw.cmd ?? -1) : raw.type;
    for (const op of Object.values(this.#codecs.operations)) {
      const l = op[mode]?.layout;
      if (l?.request === id) return { layout: l };
    }
    return undefined;
  }

  #register(mode: 'do' | 'dump', op: string, handler: (req: unknown, raw: MockRequest) => unknown): this {
    const layout = this.#codecs.operations[op]?.[mode]?.layout;
    if (!layout) throw new TypeError(`${this.#codecs.family.name} has no ${mode} operation ${op}`);
    this.#handlers.set(`${mode}:${layout.request}`, { layout, handler });
    if (!this.#genl && !this.#registered.has(layout.request)) {
      this.#registered.add(layout.request);
      this.#kernel.on(layout.request, (raw) => this.#dispatch(raw, raw.type), this.#codecs.family.protonum);
    }
    return this;
  }

  #dispatch(raw: MockRequest, id: number): MockResult | Promise<MockResult> {
    const dump = (raw.flags & NLM_F_DUMP) === NLM_F_DUMP;
    const h = this.#handlers.get(`${dump ? 'dump' : 'do'}:${id}`);
    if (!h) throw new MockError('EOPNOTSUPP');
    const req = this.#decode(h.layout, raw.payload);
    const out = h.handler(req, raw);
    if (dump) return this.#replies(h.layout, out as Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>);
    const one = (rep: unknown): MockResult => (h.layout.reply === undefined || rep === undefined ? undefined : this.#reply(h.layout, rep as Record<string, unknown>));
    return out instanceof Promise ? out.then(one) : one(out);
  }

  async *#replies(layout: Layout, items: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): AsyncGenerator<MockReply> {
    for await (const item of items) yield this.#reply(layout, item);
  }

  #reply(layout: Layout, value: Record<string, unknown>): MockReply {
    return { type: this.#genl ? this.id : layout.reply!, payload: this.#encode({ ...layout, request: layout.reply! }, value) };
  }

  /** A message payload: genlmsghdr (command, version), the fixed header's fields of `value`, then its attributes. */
  #encode(layout: Layout, value: Record<string, unknown>): Uint8Array {
    const parts: Uint8Array[] = [];
    let rest = value;
    if (this.#genl) parts.push(genlHeader(layout.request, this.#codecs.family.version ?? 1));
    if (layout.header !== undefined) {
      const s = this.#codecs.structs[layout.header]!;
      // The struct's fields are the keys its decoder gives a zeroed struct.
      const fields = new Set(Object.keys(s.decode(new Uint8Array(s.size))));
      const hdr: Record<string, unknown> = {};
      rest = {};
      for (const [k, v] of Object.entries(value)) (fields.has(k) ? hdr : rest)[k] = v;
      const b = s.encode(hdr);
      parts.push(b, new Uint8Array(align4(b.length) - b.length));
    }
    if (layout.attributes !== undefined) parts.push(this.#codecs.attributeSets[layout.attributes]!.encode(rest));
    return concatBytes(parts);
  }

  /** A request payload decoded into one object: the fixed header's fields and the attributes. */
  #decode(layout: Layout, payload: Uint8Array): Record<string, unknown> {
    let at = this.#genl ? 4 : 0;
    let out: Record<string, unknown> = {};
    if (layout.header !== undefined) {
      const s = this.#codecs.structs[layout.header]!;
      out = { ...s.decode(payload.subarray(at, at + s.size)) };
      delete out.$extra;
      at += align4(s.size);
    }
    if (layout.attributes !== undefined) Object.assign(out, this.#codecs.attributeSets[layout.attributes]!.decode(payload.subarray(Math.min(at, payload.length))));
    return out;
  }
}

/** Every attribute header's offset in `message` from `start`, nested ones included (payloads that parse as attributes). */
function attrOffsets(message: Uint8Array, start: number): number[] {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const out: number[] = [];
  const walk = (from: number, to: number, depth: number) => {
    if (depth > 32) return;
    const found: [number, number, number][] = [];
    try {
      const c = new AttrCursor().reset(view, from, to);
      while (c.next()) found.push([c.offset, c.start, c.end]);
    } catch {
      return; // not a run of attributes
    }
    for (const [off, s, e] of found) {
      out.push(off);
      if (e - s >= 4) walk(s, e, depth + 1);
    }
  };
  walk(start, message.length, 0);
  return out;
}

/** The offset of the attribute the client would name `path` (by the same tables and walk), if the request has it. */
function offsetOfPath(message: Uint8Array, tables: AttrNameTables, rootSet: string, attrsStart: number, path: string): number | undefined {
  for (const off of attrOffsets(message, 16 + attrsStart)) {
    let named: string | undefined;
    const probe = { request: message, extack: { badAttrOffset: off }, setPath: (p: string) => (named = p) } as unknown as NetlinkError;
    nameErrorPath(probe, tables, rootSet, attrsStart);
    if (named === path) return off;
  }
  return undefined;
}
