// Glue between generated family clients and the socket: typed dumps, typed subscriptions, request flags,
// type-value nests, and naming the attribute an extended ACK blamed.
// `Symbol.dispose`/`asyncDispose` in our declarations: the lib reference lets them type-check under any `lib`/`types`.
/// <reference lib="esnext.disposable" preserve="true" />

import { attrPathAt } from '../wire/attr-path.js';
import type { AttrWriter } from '../wire/attrs.js';
import { attrEnd, LENIENT, STRICT, ValidationError, type AttrNameTables, type DecodeContext } from '../codec/codec-support.js';
import { jsonText } from '../codec/json-text.js';
import { JsonOut, jsonString } from '../codec/json-out.js';
import { NetlinkError as NetlinkErrorClass } from '../wire/errors.js';
import type { NetlinkError } from '../wire/errors.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE, type NetlinkMessage } from '../wire/message.js';
import type { BatchMessages, DumpOptions, NetlinkSocket, OpenOptions, RequestOptions, RequestResult, TransactionRequest } from '../socket/socket.js';
import { NlgenError } from '../wire/errors.js';
import type { SubscribeOptions, Subscription, SubscriptionOverrun } from '../socket/subscription.js';

/** Options of a generated client's `transaction`. */
export interface TransactionOptions<Begin> {
  /** Fields of the batch's begin message: its header (the subsystem is filled in), and e.g. `genid` to have the kernel refuse the batch unless the ruleset is still at that generation. */
  begin?: Partial<Begin>;
}

/** A request queued in a generated transaction: its message and the op it came from. */
export interface TransactionEntry extends TransactionRequest {
  /** Spec name of the op (`newtable`). */
  op: string;
}

/** One request of a transaction the kernel refused. */
export interface TransactionFailure {
  /** Position of the request in the transaction (0-based, as queued). */
  index: number;
  /** Spec name of its op. */
  op: string;
  /** What the kernel said (a NetlinkError with extack and property path, as a plain request's error). */
  error: Error;
}

/**
 * A transaction the kernel aborted: it applied none of its requests. `failures` lists every request it refused, in
 * order; `index`, `op` and `error` are the first of them.
 */
export class TransactionError extends NlgenError {
  override name = 'TransactionError';
  readonly index: number;
  readonly op: string;
  readonly error: Error;
  constructor(
    /** Family of the client. */
    readonly family: string,
    /** Requests in the transaction. */
    readonly size: number,
    /** Every refused request, in order. */
    readonly failures: readonly TransactionFailure[],
  ) {
    const first = failures[0]!;
    const path = (first.error as { path?: string }).path;
    const more = failures.length > 1 ? `; ${failures.length - 1} more of the ${size} requests failed` : '';
    super(`${family} transaction aborted, nothing applied: request ${first.index} (${first.op}) failed: ${first.error.message}${path ? ` (at ${path})` : ''}${more}`);
    this.index = first.index;
    this.op = first.op;
    this.error = first.error;
  }
}

/** Options of a generated client's `open`. */
export interface ClientOptions extends OpenOptions {
  /** Reject attributes the spec does not describe instead of keeping them under `$unknown`. */
  strictDecoding?: boolean;
}

/** Options of a generated `do` method. */
export type DoOptions = RequestOptions;

/** netlink-raw request flags for creating and changing objects. */
export interface RawRequestFlags {
  /** NLM_F_CREATE: create the object if it does not exist. */
  create?: boolean;
  /** NLM_F_EXCL: fail with EEXIST if it exists. */
  excl?: boolean;
  /** NLM_F_REPLACE: replace an existing object. */
  replace?: boolean;
  /** NLM_F_APPEND: add to the end of a list. */
  append?: boolean;
  /**
   * NLM_F_ECHO: the kernel also sends the requester what it tells the multicast group about the request. tc answers
   * a single qdisc or class get only this way (`tc.getqdisc(req, { echo: true })`).
   */
  echo?: boolean;
}

/** The NLM_F_* bits for `RawRequestFlags`. */
export function rawRequestFlags(o: RawRequestFlags): number {
  return (o.create ? NLM_F_CREATE : 0) | (o.excl ? NLM_F_EXCL : 0) | (o.replace ? NLM_F_REPLACE : 0) | (o.append ? NLM_F_APPEND : 0) | (o.echo ? NLM_F_ECHO : 0);
}

export type { DumpOptions };

/** A typed dump: iterate replies one by one, or whole batches (one datagram's worth) for less overhead. */
export interface TypedDump<T> extends AsyncIterable<T> {
  /** The replies in arrival batches. */
  batches(): AsyncIterable<T[]>;
  /** Collects every reply. */
  toArray(): Promise<T[]>;
  /**
   * The same dump with each reply as one line of nlgen's JSON ({@link jsonText}: bigints exact, bytes as hex),
   * written by the family's generated writers straight from the received bytes, without making the reply objects:
   * the fast way to log, ship or print a dump. Use it instead of iterating this dump, not after.
   */
  json(): TypedDump<string>;
  /**
   * The same lines as `json()`, as UTF-8 bytes ready for a file or a pipe: each chunk is whole lines, one reply each,
   * each ending in a newline, written by the generated writers into one reused buffer without making strings (the
   * fastest way to print a dump: what `nlgen dump` does). A chunk is valid until the next one is asked for: write it
   * (and let the write finish) or copy it first.
   */
  jsonLines(): AsyncIterable<Uint8Array>;
}

/**
 * A TypedDump over one stream of decoded batches (iterating it a second time finds the stream finished). `json`
 * starts the dump as JSON text instead; without it, the decoded replies are written with jsonText.
 */
export function typedBatches<T>(source: AsyncIterable<T[]>, json?: () => AsyncIterable<string[]>, lines?: () => AsyncIterable<Uint8Array>): TypedDump<T> {
  async function* items(): AsyncGenerator<T> {
    for await (const b of source) yield* b;
  }
  async function* texts(): AsyncGenerator<string[]> {
    for await (const b of source) yield b.map(jsonText);
  }
  return {
    [Symbol.asyncIterator]: () => items(),
    batches: () => source,
    async toArray() {
      const all: T[] = [];
      for await (const b of source) for (const x of b) all.push(x);
      return all;
    },
    json: () => typedBatches(json ? json() : texts()),
    jsonLines: lines ?? (() => linesOf(json ? json() : texts())),
  };
}

/** JSON lines as bytes, a chunk per batch (for dumps without generated writers). */
async function* linesOf(texts: AsyncIterable<string[]>): AsyncGenerator<Uint8Array> {
  for await (const b of texts) if (b.length > 0) yield Buffer.from(`${b.join('\n')}\n`);
}

/**
 * A dump's replies written by `write` into one sink, a chunk of lines per batch. The sink is emptied when the next
 * batch is asked for, and a batch is written only then (dumps decode as their consumer takes batches).
 */
async function* jsonChunks(batches: (write: (m: NetlinkMessage) => number) => AsyncIterable<unknown[]>, write: (w: JsonOut, m: NetlinkMessage) => void): AsyncGenerator<Uint8Array> {
  const w = new JsonOut();
  const line = (m: NetlinkMessage): number => {
    write(w, m);
    w.byte(10);
    return 0;
  };
  for await (const _ of batches(line)) {
    if (w.n > 0) yield w.b.subarray(0, w.n);
    w.n = 0;
  }
}

/** The kernel dropped notifications because the receive buffer was full; later ones still arrive. */
export interface OverrunNotice {
  name: 'overrun';
  /** Overruns reported on this subscription so far. */
  count: number;
}

/** Options of a generated client's `subscribe`. */
export type { SubscribeOptions } from '../socket/subscription.js';

/**
 * A subscription's messages mapped through a decoder (messages it does not recognise are skipped). Unlike an async
 * generator, `return()` ends the subscription at once even before the first `next()` — leaving its groups and
 * releasing the socket's hold on the event loop — so a process that subscribed and then gave up can exit.
 */
export class MappedSubscription<T> implements AsyncIterableIterator<T | OverrunNotice> {
  readonly #events: Subscription;
  readonly #decode: (m: NetlinkMessage) => T | undefined;

  constructor(events: Subscription, decode: (m: NetlinkMessage) => T | undefined) {
    this.#events = events;
    this.#decode = decode;
  }

  /** The next notification (or overrun notice), waiting if none is buffered; done once the subscription ended. */
  async next(): Promise<IteratorResult<T | OverrunNotice>> {
    for (;;) {
      const r = await this.#events.next();
      if (r.done) return { value: undefined, done: true };
      const ev = r.value;
      if (ev.kind === 'overrun') return { value: { name: 'overrun', count: (ev as SubscriptionOverrun).count }, done: false };
      let v: T | undefined;
      try {
        v = this.#decode(ev);
      } catch (e) {
        this.#events.close();
        throw e;
      }
      if (v !== undefined) return { value: v, done: false };
    }
  }

  /** Ends the subscription (also what `break` out of `for await` calls). */
  return(): Promise<IteratorResult<T | OverrunNotice>> {
    this.#events.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the subscription and rethrows `e`. */
  throw(e?: unknown): Promise<IteratorResult<T | OverrunNotice>> {
    this.#events.close();
    return Promise.reject(e);
  }

  /** Ends the subscription. */
  close(): void {
    this.#events.close();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export type { AttrName, AttrNameTables, SubMessageFormatName } from '../codec/codec-support.js';

interface Level {
  set: string;
  /** Payload window of this level, to find selector siblings. */
  data?: Uint8Array;
  start?: number;
  end?: number;
  /** Marks that children are array entries or type-value keys (named by index). */
  indexOf?: string;
  /**
   * What the attribute type of an entry exceeds its index by: 1 for indexed arrays (entry i is written as type
   * i + 1, so `act[0]` is the first entry, as validation paths name it), 0 for type-value keys (the type is the key).
   */
  indexBase?: number;
}

/**
 * Sets `err.path` to the property path of the attribute the kernel's extended ACK points at, using the
 * generated name tables (sub-messages are named by their selector's value: `linkinfo.data(vxlan).port`).
 */
export function nameErrorPath(err: NetlinkError, tables: AttrNameTables, rootSet: string, attrsStart: number): void {
  const missing = err.extack?.missingType;
  const off = missing === undefined ? err.extack?.badAttrOffset : err.extack?.missingNest;
  if (err.request === undefined || (off === undefined && missing === undefined)) return;
  const describe = (ctx: Level, type: number, p: { data: Uint8Array; view: DataView; start: number; end: number }): { name: string; child?: Level; childStart?: number } | undefined => {
    if (ctx.indexOf !== undefined) return { name: `[${type - (ctx.indexBase ?? 0)}]`, child: { set: ctx.indexOf } };
    const set = tables.sets.get(ctx.set);
    const an = set?.attrs.get(type);
    if (!an || !set) return undefined;
    const [prop, kind, child, selector] = an;
    if (kind === 'nest' && child) return { name: prop, child: { set: child } };
    if ((kind === 'array' || kind === 'type-value') && child) return { name: prop, child: { set: '', indexOf: child, indexBase: kind === 'array' ? 1 : 0 } };
    if (kind === 'sub' && child) {
      const selType = selector === undefined ? undefined : set.byName.get(selector);
      const sel = selType === undefined || ctx.data === undefined ? undefined : findString(ctx.data, ctx.start!, ctx.end!, selType);
      const fmt = sel === undefined ? undefined : tables.subMessages.get(child)?.get(sel);
      if (!fmt?.set) return { name: sel === undefined ? prop : `${prop}(${sel})` };
      return { name: `${prop}(${sel})`, child: { set: fmt.set }, childStart: p.start + fmt.headerSize };
    }
    return { name: prop };
  };
  // The describer sees a level's own window only through its parent; give the root its window here.
  const req = err.request;
  let lastChild: Level | undefined;
  const wrapped = (ctx: Level, type: number, p: { data: Uint8Array; view: DataView; start: number; end: number; rawType: number }) => {
    const r = describe(ctx, type, p);
    if (r?.child) r.child = { ...r.child, data: p.data, start: r.childStart ?? p.start, end: p.end };
    lastChild = r?.child;
    return r;
  };
  const root: Level = { set: rootSet, data: req, start: attrsStart + 16, end: req.length };
  const path = off === undefined ? undefined : attrPathAt(req, attrsStart + 16, off, wrapped, root);
  if (missing === undefined) {
    if (path !== undefined) err.setPath(path);
    return;
  }
  // A missing attribute: of the nest at missingNest (whose set the walk ended in), else of the request's own set.
  if (off !== undefined && (path === undefined || lastChild === undefined)) return;
  const set = off === undefined ? root : lastChild!;
  const name = set.indexOf === undefined ? tables.sets.get(set.set)?.attrs.get(missing)?.[0] : `[${missing - (set.indexBase ?? 0)}]`;
  if (name === undefined) return;
  err.setPath(path === undefined ? name : name.startsWith('[') ? `${path}${name}` : `${path}.${name}`);
}

function findString(d: Uint8Array, start: number, end: number, type: number): string | undefined {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  for (let p = start; p + 4 <= end; ) {
    const e = attrEnd(v, p, end);
    if ((v.getUint16(p + 2, true) & 0x3fff) === type) {
      let z = p + 4;
      while (z < e && d[z] !== 0) z++;
      return new TextDecoder().decode(d.subarray(p + 4, z));
    }
    p = (e + 3) & ~3;
  }
  return undefined;
}

/** Decodes a nest-type-value attribute: `depth` levels keyed by attribute type, `leaf` for the innermost payloads. */
export function decodeTypeValue<T>(d: Uint8Array, v: DataView, q: number, e: number, depth: number, leaf: (lq: number, le: number) => T): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (let p = q; p < e; ) {
    const end = attrEnd(v, p, e);
    const key = v.getUint16(p + 2, true) & 0x3fff;
    out[key] = depth > 1 ? decodeTypeValue(d, v, p + 4, end, depth - 1, leaf) : leaf(p + 4, end);
    p = (end + 3) & ~3;
  }
  return out;
}

/** Encodes a nest-type-value value (the inverse of `decodeTypeValue`). */
export function encodeTypeValue(w: AttrWriter, value: unknown, depth: number, path: string, leaf: (v: unknown, path: string) => void): void {
  if (typeof value !== 'object' || value === null) throw new ValidationError(path, 'expected an object keyed by attribute type');
  for (const [k, inner] of Object.entries(value)) {
    const type = Number(k);
    if (!Number.isInteger(type) || type < 0 || type > 0x3fff) throw new ValidationError(path, `key ${k} is not an attribute type`);
    const m = w.beginNest(type);
    if (depth > 1) encodeTypeValue(w, inner, depth - 1, `${path}[${k}]`, leaf);
    else leaf(inner, `${path}[${k}]`);
    w.endNest(m);
  }
}


/** A batch entry's outcome: its value, or the Error it got (module-level callbacks: no closures per entry). */
function settleToOutcome<T>(p: Promise<T>): Promise<T | Error> {
  return p.then(undefined, errorOutcome);
}

function errorOutcome(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * What every generated family client shares: the socket, its lifetime, sending a request with the extack blame
 * mapped to a property path, typed dumps and typed subscriptions. Generated subclasses add one method per op.
 */
export abstract class FamilyClient<N> {
  /** Decoding context (strict or lenient) for replies and notifications. */
  protected readonly decodeCtx: DecodeContext;

  protected constructor(
    /** The underlying netlink socket (usable directly for anything the client does not cover). */
    readonly socket: NetlinkSocket,
    /** Generic netlink family id, resolved through nlctrl; 0 for netlink-raw families. */
    readonly familyId: number,
    private readonly groupIds: ReadonlyMap<string, number>,
    strict: boolean,
    private readonly names: AttrNameTables,
  ) {
    this.decodeCtx = strict ? STRICT : LENIENT;
  }

  /** Closes the socket; pending requests fail. */
  close(): void {
    this.socket.close();
  }

  /** Closes the socket (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** Closes the socket (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Runs many requests as one batch and settles them all: every request `build` starts on this client in the same
   * tick is coalesced by the socket into shared `sendmsg` windows (bounded by the socket's `maxInFlight`, so ACKs
   * never overrun the receive buffer). Resolves with one outcome per promise `build` returns, in order — the value
   * the call resolved with, or the Error it got (a NetlinkError keeps its property `path`). One failed request never
   * rejects the batch, and no outcome is left as an unhandled rejection.
   *
   * @example
   * const outcomes = await route.batch((r) => prefixes.map((dst) => r.newroute({ ...base, dst }, { create: true })));
   * const failed = outcomes.filter((o) => o instanceof Error);
   */
  async batch<T>(build: (client: this) => Iterable<Promise<T>>): Promise<(T | Error)[]> {
    return Promise.all(Array.from(build(this), settleToOutcome<T>));
  }

  /**
   * Sends the requests a generated `transaction` method queued as one batch (see `NetlinkSocket.transaction`) and
   * resolves once the kernel committed all of them; rejects with a TransactionError naming every failed request —
   * the first one first — when it applied none, or with the kernel's error when it refused the batch itself.
   */
  protected async runTransaction(requests: readonly TransactionEntry[], batch: BatchMessages): Promise<void> {
    const family = (this.constructor as { family?: string }).family ?? 'netlink';
    let outcomes: unknown[];
    try {
      outcomes = await this.socket.transaction(requests, batch, this);
    } catch (e) {
      throw this.opError(e, 'transaction', undefined);
    }
    const failed: TransactionFailure[] = [];
    outcomes.forEach((o, index) => {
      if (o instanceof Error) failed.push({ index, op: requests[index]!.op, error: this.opError(o, requests[index]!.op, undefined) as Error });
    });
    if (failed.length > 0) throw new TransactionError(family, requests.length, failed);
  }

  /** Sends one request; a NetlinkError gets `path` naming the attribute the kernel blamed. */
  protected send(type: number, flags: number, payload: Uint8Array, rootSet: string | undefined, attrsStart: number, options: RequestOptions): Promise<RequestResult> {
    if (rootSet === undefined) return this.socket.request({ type, flags, payload }, options);
    // The socket names the error itself before rejecting: no async wrapper (a promise and a frame per request).
    return this.socket.requestNamed(type, flags, payload, options, this, rootSet, attrsStart);
  }

  /**
   * Sends a request whose replies are not read (ops without a reply): resolves with undefined on the ACK; a
   * NetlinkError gets `path` as in `send`.
   */
  protected sendAck(type: number, flags: number, payload: Uint8Array, rootSet: string | undefined, attrsStart: number, options: RequestOptions): Promise<void> {
    return this.socket.requestNamedAck(type, flags, payload, options, this, rootSet, attrsStart);
  }

  /**
   * Gives an error from an operation its context, called in the generated method's `catch` (so only on failure): a
   * NetlinkError gets family, op and, for EPERM/EACCES, the capability the kernel checks; and its stack is taken
   * again here, in the method's async continuation, where V8 knows the awaiting callers — an error made in the
   * socket's poll callback would otherwise show only runtime frames.
   */
  protected opError(e: unknown, op: string, capability: string | undefined): unknown {
    if (e instanceof NetlinkErrorClass && e.op === undefined) {
      e.setOperation((this.constructor as { family?: string }).family ?? 'netlink', op, capability);
      Error.captureStackTrace(e, this.opError);
    }
    return e;
  }

  /** @internal Names the property a NetlinkError blamed (the socket calls this for `send`). */
  nameError(err: NetlinkError, rootSet: string, attrsStart: number): void {
    nameErrorPath(err, this.names, rootSet, attrsStart);
  }

  /** Starts a dump whose replies `decode` types (or `json` writes as JSON text, when the caller asks for that). */
  protected dumpOf<T>(type: number, payload: Uint8Array, options: DumpOptions, decode: (m: NetlinkMessage) => T, json?: (w: JsonOut, m: NetlinkMessage) => void): TypedDump<T> {
    // Decoded batch by batch as the consumer takes them (no Message objects); `decode` only reads the message's
    // fields. The dump starts on the first iteration, so `json()` or `jsonLines()` can still choose the writer.
    const req = { type, flags: 0, payload };
    // Generated decoders and JSON writers copy what they keep (strings, numbers, sliced bytes): `decodeCopies`.
    const run = <R>(f: (m: NetlinkMessage) => R) => this.socket.dumpDecoded(req, options, f, true);
    return typedBatches(
      run(decode),
      json && (() => run((m) => jsonString(json, m))),
      json && (() => jsonChunks(run, json)),
    );
  }

  /** Joins groups (static ids first, then ids resolved by name) and types what arrives. */
  protected subscribeTo(groups: readonly string[], options: SubscribeOptions, staticIds: Readonly<Record<string, number>>): MappedSubscription<N> {
    const ids = groups.map((g) => {
      const id = Object.hasOwn(staticIds, g) ? staticIds[g] : this.groupIds.get(g);
      if (id === undefined) throw new ValidationError('groups', `multicast group ${typeof g === 'string' ? JSON.stringify(g) : String(g)} is not available`);
      return id;
    });
    return new MappedSubscription<N>(this.socket.subscribe(ids, options), (m) => this.decodeNotification(m));
  }

  /** Decodes one notification message; undefined for message types the family does not notify with. */
  abstract decodeNotification(m: NetlinkMessage): N | undefined;
}
