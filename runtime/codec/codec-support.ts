// Small, hot helpers that generated encoders and decoders call. Generated code reads attributes with
// DataView directly; these functions add the size checks that turn short payloads into typed DecodeErrors,
// and the conversions that are the same for every family (enum names, flag sets, addresses).

import { DecodeError, type AttrWriter } from '../wire/attrs.js';

// ---------------------------------------------------------------------------------------------------------------
// Scalar reads with size checks. `q` is the payload start, `e` its end (both indices into the datagram).

function short(q: number, e: number, need: number, what: string): never {
  throw new DecodeError(`${what} attribute payload is ${e - q} bytes, expected ${need}`, q);
}

/** Reads a u8 payload. */
export function u8(v: DataView, q: number, e: number): number {
  if (e - q < 1) short(q, e, 1, 'u8');
  return v.getUint8(q);
}
/** Reads an s8 payload. */
export function s8(v: DataView, q: number, e: number): number {
  if (e - q < 1) short(q, e, 1, 's8');
  return v.getInt8(q);
}
/** Reads a u16 payload (`be`: network byte order). */
export function u16(v: DataView, q: number, e: number, be = false): number {
  if (e - q < 2) short(q, e, 2, 'u16');
  return v.getUint16(q, !be);
}
/** Reads an s16 payload. */
export function s16(v: DataView, q: number, e: number, be = false): number {
  if (e - q < 2) short(q, e, 2, 's16');
  return v.getInt16(q, !be);
}
/** Reads a u32 payload. */
export function u32(v: DataView, q: number, e: number, be = false): number {
  if (e - q < 4) short(q, e, 4, 'u32');
  return v.getUint32(q, !be);
}
/** Reads an s32 payload. */
export function s32(v: DataView, q: number, e: number, be = false): number {
  if (e - q < 4) short(q, e, 4, 's32');
  return v.getInt32(q, !be);
}
/** Reads a u64 payload (DataView reads are unaligned-safe). */
export function u64(v: DataView, q: number, e: number, be = false): bigint {
  if (e - q < 8) short(q, e, 8, 'u64');
  return be ? v.getBigUint64(q, false) : u64At(v, q);
}
/** Reads an s64 payload. */
export function s64(v: DataView, q: number, e: number, be = false): bigint {
  if (e - q < 8) short(q, e, 8, 's64');
  return be ? v.getBigInt64(q, false) : s64At(v, q);
}
/** Reads a variable-width unsigned integer (`uint`: 4 or 8 bytes). */
export function uint(v: DataView, q: number, e: number): bigint {
  const n = e - q;
  if (n === 8) return u64At(v, q);
  if (n === 4) return BigInt(v.getUint32(q, true));
  throw new DecodeError(`uint attribute payload is ${n} bytes, expected 4 or 8`, q);
}
/** Reads a variable-width signed integer (`sint`: 4 or 8 bytes). */
export function sint(v: DataView, q: number, e: number): bigint {
  const n = e - q;
  if (n === 8) return s64At(v, q);
  if (n === 4) return BigInt(v.getInt32(q, true));
  throw new DecodeError(`sint attribute payload is ${n} bytes, expected 4 or 8`, q);
}

// Zero comes back as the literal 0n: a DataView BigInt read allocates every time, and counters (stats64, devconf
// stats, …) are mostly zero; two u32 reads cost a fraction of that allocation (measured 19 → 5 ns per zero field,
// 22 → 25 ns per non-zero one).
/** Reads the little-endian u64 at `at` (no bounds check beyond DataView's own). */
export function u64At(v: DataView, at: number): bigint {
  return v.getUint32(at, true) === 0 && v.getUint32(at + 4, true) === 0 ? 0n : v.getBigUint64(at, true);
}
/** Reads the little-endian s64 at `at`. */
export function s64At(v: DataView, at: number): bigint {
  return v.getUint32(at, true) === 0 && v.getUint32(at + 4, true) === 0 ? 0n : v.getBigInt64(at, true);
}

/** Decodes a string payload: UTF-8 up to the first NUL or the end (unterminated strings are accepted). */
export { stringPayload as str } from '../wire/string-payload.js';

/** Copies a binary payload (decoded objects must not pin the receive buffer). */
export function bytes(d: Uint8Array, q: number, e: number): Uint8Array {
  // Up to 16 bytes copied by hand into a new array: slice() looks up the species constructor first, which costs
  // more than the copy (measured: empty 170 -> 60 ns, 16 bytes 200 -> 130 ns; from 64 bytes slice() is faster).
  const n = e - q;
  if (n > 16) return d.slice(q, e);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = d[q + i]!;
  return out;
}

/** Reads an attribute header at `p`; returns the attribute's end, or throws when it does not fit in `end`. */
export function attrEnd(v: DataView, p: number, end: number): number {
  // The checks alone here, the messages in badAttr: small enough for the JIT to inline into every decoder loop.
  if (end - p >= 4) {
    const len = v.getUint16(p, true);
    if (len >= 4 && p + len <= end) return p + len;
  }
  return badAttr(v, p, end);
}

/**
 * What a decoder entry point throws for any failure inside it: a DecodeError as is; anything else (a stack exhausted
 * by attributes nested thousands deep, a view read out of bounds) as a DecodeError at `offset`, the message's start,
 * with the original as `cause`. Decoding never lets another kind of exception escape: kernel bytes are untrusted.
 */
export function asDecodeError(e: unknown, offset: number): DecodeError {
  if (e instanceof DecodeError) return e;
  const stack = e instanceof RangeError && /call stack/i.test(e.message);
  const reason = stack ? 'attributes nested too deeply to decode (the call stack ran out)' : `malformed data (${e instanceof Error ? e.message : String(e)})`;
  const err = new DecodeError(reason, offset);
  Object.defineProperty(err, 'cause', { value: e, enumerable: false, configurable: true, writable: true });
  return err;
}

/** Throws the DecodeError saying why the attribute header at `p` does not fit in `[p, end)`. */
function badAttr(v: DataView, p: number, end: number): never {
  if (end - p < 4) throw new DecodeError(`truncated attribute header: ${end - p} bytes left`, p);
  const len = v.getUint16(p, true);
  if (len < 4) throw new DecodeError(`attribute length ${len} is shorter than its header`, p);
  throw new DecodeError(`attribute length ${len} runs ${p + len - end} bytes past its container`, p);
}

/** An attribute the spec does not describe, kept verbatim so nothing is lost. */
export interface UnknownAttr {
  type: number;
  data: Uint8Array;
}

/** Thrown by strict decoders on an attribute type the spec does not describe. */
export function unknownAttr(set: string, type: number, p: number): never {
  throw new DecodeError(`unknown attribute type ${type} in ${set} (strict decoding)`, p);
}

/**
 * Turns `init` into the constructor of a generated decoder's objects: plain objects (their prototype is
 * Object.prototype, as a literal's), which V8 sizes for every property `init` assigns, whether or not those lines run.
 */
export function objectShape(init: (this: Record<string, unknown>, never: boolean) => void): new (never: boolean) => object {
  (init as unknown as { prototype: object }).prototype = Object.prototype;
  return init as unknown as new (never: boolean) => object;
}

/** Decoding options threaded through generated decoders. */
export interface DecodeContext {
  /** Reject attributes the spec does not describe instead of keeping them under `$unknown`. */
  readonly strict: boolean;
  /** Values of selector attributes seen on the way down (for sub-messages selected at an outer level). */
  readonly sel: Readonly<Record<string, unknown>>;
}

/** The default, lenient decoding context. */
export const LENIENT: DecodeContext = Object.freeze({ strict: false, sel: Object.freeze({}) });
/** A strict decoding context. */
export const STRICT: DecodeContext = Object.freeze({ strict: true, sel: Object.freeze({}) });

/** A context with one more selector value; allocated only in sets that carry selectors. */
export function withSelector(c: DecodeContext, name: string, value: unknown): DecodeContext {
  return { strict: c.strict, sel: { ...c.sel, [name]: value } };
}

/**
 * Struct decoding tolerates growth: a payload shorter than the struct is zero-filled (the kernel may be older
 * than the spec). Returns a buffer, view and start at which `size` bytes can be read.
 */
export function structView(d: Uint8Array, p: number, e: number, size: number): [Uint8Array, DataView, number] {
  const copy = new Uint8Array(size);
  copy.set(d.subarray(p, Math.min(e, p + size)));
  return [copy, new DataView(copy.buffer), 0];
}

// ---------------------------------------------------------------------------------------------------------------
// Validation of requests against the spec's checks, before anything is sent.

/** A request value that the spec's checks (or the wire type) reject; `path` names it like an extack path. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    /** Property path, e.g. `linkinfo.data(vxlan).port`. */
    readonly path: string,
    /** What is wrong with the value. */
    readonly reason: string,
  ) {
    super(`${path || '(request)'}: ${reason}`);
  }
}

/** Joins a parent path and a property name. */
export function join(path: string, prop: string): string {
  return path === '' ? prop : `${path}.${prop}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests written as JSON (the nlgen CLI's --json): JSON has no bigint, bytes or typed arrays, so a tool that
// takes requests as JSON turns this on and the same validators also accept their JSON spellings — a decimal string
// for a 64-bit integer, hex for bytes, an array of numbers for a typed array — and still name the path of a bad one.

let jsonValues = false;

/**
 * Makes request validation accept JSON spellings of values JSON cannot carry: `"18446744073709551615"` for a 64-bit
 * integer, `"0a0b0c"` or `"0a:0b:0c"` for bytes, `[1, 2]` for a `Uint16Array`. For tools that read requests as JSON
 * (the nlgen CLI); typed callers never need it. Process-wide; returns the previous setting.
 */
export function acceptJsonValues(on: boolean): boolean {
  const was = jsonValues;
  jsonValues = on;
  return was;
}

/** Bytes from hex (`0a0b`, `0a:0b`, `0a 0b`); anything else is a ValidationError at `path`. */
function hexBytes(text: string, path: string): Uint8Array {
  const digits = text.replace(/[:\s]/g, '');
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new ValidationError(path, `expected bytes as hex (like "0a1b" or "0a:1b"), got ${describe(text)}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A typed array from a JSON array of integers, each checked against the element type's range. */
function typedArrayFromJson(items: unknown[], type: new (n: number) => ArrayBufferView, path: string): ArrayBufferView {
  const out = new type(items.length) as unknown as { [i: number]: number | bigint; BYTES_PER_ELEMENT: number };
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  const bits = out.BYTES_PER_ELEMENT * 8;
  const signed = out instanceof Int8Array || out instanceof Int16Array || out instanceof Int32Array || out instanceof BigInt64Array;
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    const b = checkBig(v as number, min, max, `${path}[${i}]`);
    out[i] = big ? b : Number(b);
  }
  return out as unknown as ArrayBufferView;
}

/** Checks an integer against inclusive bounds (the wire type's range and the spec's min/max). */
export function checkInt(value: number, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValidationError(path, `expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new ValidationError(path, `${value} is outside ${min}..${max}`);
  return value;
}

/** Checks a 64-bit integer (bigint, or a safe-integer number) against inclusive bounds; returns it as bigint. */
export function checkBig(value: bigint | number, min: bigint, max: bigint, path: string): bigint {
  let b: bigint;
  if (typeof value === 'bigint') b = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) b = BigInt(value);
  else if (jsonValues && typeof value === 'string' && /^-?[0-9]{1,20}$/.test(value)) b = BigInt(value);
  else throw new ValidationError(path, `expected a bigint, got ${describe(value)}`);
  if (b < min || b > max) throw new ValidationError(path, `${b} is outside ${min}..${max}`);
  return b;
}

/** Checks a byte length against the spec's min-len / max-len / exact-len. */
export function checkLen(len: number, min: number, max: number, path: string, unit = 'bytes'): void {
  if (len < min || len > max) {
    throw new ValidationError(path, min === max ? `length ${len} ${unit}, must be exactly ${min}` : `length ${len} ${unit} is outside ${min}..${max}`);
  }
}

/** Checks that only bits inside `mask` are set. */
export function checkMask(value: number, mask: number, path: string): void {
  if ((value & ~mask) !== 0) {
    throw new ValidationError(path, `bits 0x${(value & ~mask).toString(16)} are outside the allowed mask 0x${mask.toString(16)}`);
  }
}

/** Most payload bytes one attribute holds (nla_len is a u16 and counts the 4-byte header). */
const MAX_PAYLOAD = 0xffff - 4;

/**
 * Whether `value` is really a typed array of `type`: `instanceof` alone also holds for an object that merely has the
 * prototype (`Object.create(Uint8Array.prototype)`), whose `length` and `buffer` then throw a TypeError.
 */
export function isTypedArray<T extends ArrayBufferView>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  return ArrayBuffer.isView(value) && value instanceof type;
}

/** Requires a Uint8Array that fits in one attribute. */
export function checkBytes(value: Uint8Array, path: string): Uint8Array {
  if (jsonValues && typeof value === 'string') value = hexBytes(value, path);
  if (!isTypedArray(value, Uint8Array)) throw new ValidationError(path, `expected a Uint8Array, got ${describe(value)}`);
  if (value.length > MAX_PAYLOAD) throw new ValidationError(path, `${value.length} bytes; an attribute holds at most ${MAX_PAYLOAD}`);
  return value;
}

/** Requires a string short enough for one attribute (UTF-16 length is a lower bound of the UTF-8 length). */
export function checkString(value: string, path: string): string {
  if (typeof value !== 'string') throw new ValidationError(path, `expected a string, got ${describe(value)}`);
  if (value.length > MAX_PAYLOAD) throw new ValidationError(path, `a string of ${value.length} characters; an attribute holds at most ${MAX_PAYLOAD} bytes`);
  return value;
}

/** Requires a boolean (a flag attribute: `true` sends it; any other truthy value, such as `"false"`, is an error). */
export function checkFlag(value: boolean, path: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(path, `expected true or false, got ${describe(value)}`);
  return value;
}

/** The keys a request value may have, for {@link checkKeys}. */
export function keySet(json: string): ReadonlySet<string> {
  return new Set(JSON.parse(json) as string[]);
}

/**
 * Rejects keys a value of this type does not have: a typo (`mtuu`), or an attribute the operation does not take,
 * would otherwise be dropped silently or sent. Typed callers cannot write them; plain-JS callers and tools can.
 */
export function checkKeys(o: object, keys: ReadonlySet<string>, path: string): void {
  for (const k in o) {
    if (!keys.has(k)) throw new ValidationError(join(path, k), `unknown property; expected one of ${[...keys].join(', ')}`);
  }
}

/** Bytes for a fixed-size struct member: exactly `size` of them (never cut, never padded). */
export function fixedBytes(b: Uint8Array, size: number, path: string): Uint8Array {
  if (b.length !== size) throw new ValidationError(path, `${b.length} bytes for a ${size}-byte field`);
  return b;
}

/** UTF-8 of a string for a fixed-size `char[]` struct member: at most `size` bytes (the rest is NUL-filled). */
export function fixedString(b: Uint8Array, size: number, path: string): Uint8Array {
  if (b.length > size) throw new ValidationError(path, `${b.length} bytes of UTF-8 for a ${size}-byte field`);
  return b;
}

/** Writes `$unknown` attributes (type and payload kept verbatim from a decode), each checked. */
export function writeUnknown(w: AttrWriter, list: unknown, path: string): void {
  const at = join(path, '$unknown');
  const items = checkArray(list, at);
  for (let i = 0; i < items.length; i++) {
    const p = `${at}[${i}]`;
    const u = checkObject(items[i] as { type: number; data: Uint8Array }, p);
    w.binary(checkInt(u.type, 0, 0xffff, join(p, 'type')), checkBytes(u.data, join(p, 'data')));
  }
}

/**
 * What a request encoder entry point throws for any failure inside it: a ValidationError as is; an object nested so
 * deeply (or cyclic) that the stack ran out, or a message past the netlink size limits, as a ValidationError too.
 */
export function asValidationError(e: unknown): Error {
  if (e instanceof ValidationError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new ValidationError('', 'the request is nested too deeply (or refers to itself)');
  if (e instanceof Error && e.name === 'AttrLimitError') return new ValidationError('', e.message);
  return e instanceof Error ? e : new ValidationError('', String(e));
}

/** Requires an array (multi-attr and indexed-array values). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated encoders pass loosely typed input
export function checkArray(value: any, path: string): readonly any[] {
  if (!Array.isArray(value)) throw new ValidationError(path, `expected an array, got ${describe(value)}`);
  return value;
}

/** Requires a plain object (nests, structs). */
export function checkObject<T extends object>(value: T, path: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ValidationError(path, `expected an object, got ${describe(value)}`);
  }
  return value;
}

/** A value as error text: strings quoted, everything else by its kind (bigints and symbols cannot be JSON). */
export function describeValue(v: unknown): string {
  return describe(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${typeof v} ${String(v)}${typeof v === 'bigint' ? 'n' : ''}`;
  return typeof v;
}

const utf8Encoder = new TextEncoder();

/** UTF-8 bytes of a string (for fixed-size string members of structs). */
export function utf8Bytes(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** UTF-8 length of a string, without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Enums and flags. Tables are generated as frozen objects; lookups never reach Object.prototype.

/** An enum's `[name, value]` pairs in declaration order (generated enums have no integer-like names). */
export function enumEntries<N extends string>(o: Readonly<Record<N, number>>): readonly (readonly [N, number])[] {
  return Object.freeze(Object.entries(o) as [N, number][]);
}

/** An enum's value → name Map that also keeps the names of values below 256 in an array (what decoders look up). */
class EnumNames<N extends string> extends Map<number, N> {
  /** Names by value for 0..255; an index read costs a fraction of a Map lookup, once per decoded message field. */
  readonly small: (N | undefined)[] = [];
}

/** Value → name of an enum; for repeated values the later name wins, as in a Map built from the entries. */
export function enumByValue<N extends string>(o: Readonly<Record<N, number>>): ReadonlyMap<number, N> {
  const names = new EnumNames<N>();
  for (const [name, value] of Object.entries(o) as [N, number][]) {
    names.set(value, name);
    if (Number.isInteger(value) && value >= 0 && value < 256) names.small[value] = name;
  }
  return names;
}

/** Name of an enum value, or the number itself when this spec does not know it. */
export function enumName<N extends string>(byValue: ReadonlyMap<number, N>, value: number): N | number {
  if (byValue instanceof EnumNames) {
    const name = (byValue as EnumNames<N>).small[value];
    if (name !== undefined) return name;
  }
  return byValue.get(value) ?? value;
}

/** Value of an enum given by name (or by number, passed through). */
export function enumValue(byName: ReadonlyMap<string, number>, name: string | number, path: string): number {
  if (typeof name === 'number') return name;
  const v = byName.get(name);
  if (v === undefined) {
    const what = typeof name === 'string' ? `unknown name ${JSON.stringify(name)}` : `expected a name or a number, got ${describe(name)}`;
    throw new ValidationError(path, `${what}; expected one of ${[...byName.keys()].join(', ')}`);
  }
  return v;
}

/** A bit mask as the names of its known bits, plus each unknown bit as its own number (in bit order). */
export function flagNames<N extends string>(bits: readonly (readonly [N, number])[], value: number): (N | number)[] {
  const out: (N | number)[] = [];
  let rest = value >>> 0;
  // Indexed loop, no destructuring: an iterator and a pair per table entry cost more than the rest of the call.
  for (let i = 0; rest !== 0 && i < bits.length; i++) {
    const bit = bits[i]!;
    const mask = bit[1];
    if ((rest & mask) !== 0) {
      out.push(bit[0]);
      rest = (rest & ~mask) >>> 0;
    }
  }
  for (let bit = 0; rest !== 0 && bit < 32; bit++) {
    const m = (1 << bit) >>> 0;
    if ((rest & m) !== 0) {
      out.push(m);
      rest = (rest & ~m) >>> 0;
    }
  }
  return out;
}

/** A set of flag names (and raw bit numbers) back to a mask. */
export function flagValue(byName: ReadonlyMap<string, number>, flags: readonly (string | number)[], path: string): number {
  if (!Array.isArray(flags)) throw new ValidationError(path, `expected an array of flag names, got ${describe(flags)}`);
  let v = 0;
  for (const f of flags) {
    // A raw mask must be one the 32-bit field can hold, whole: `|` would silently truncate anything else.
    if (typeof f === 'number' && !(Number.isInteger(f) && f >= 0 && f <= 0xffffffff)) {
      throw new ValidationError(path, `flag bits ${f} are not a 32-bit mask`);
    }
    v |= enumValue(byName, f, path);
  }
  return v >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Display hints: addresses shown and accepted as strings.

// Decimal text of every byte value, with and without a trailing dot: joining four table entries is about twice as
// fast as a template literal converting four numbers (route dumps decode one address per message).
const OCTET = Array.from({ length: 256 }, (_, i) => String(i));
const OCTET_DOT = Array.from({ length: 256 }, (_, i) => `${i}.`);

// The last `a.b.c.` prefix built and its three octets: a dump lists routes in prefix order, so consecutive addresses
// mostly share it, and one concatenation then replaces three (measured: a third of a 100k-route typed decode).
let lastPrefixKey = -1;
let lastPrefix = '';

/** `192.0.2.1` from 4 bytes (16 bytes read as IPv6 text). */
export function ipv4String(d: Uint8Array, q: number, e: number): string {
  if (e - q !== 4) {
    // The kernel puts IPv6 addresses in attributes a spec hints as IPv4 (e.g. an IPv6 gateway of an IPv4 route,
    // RTA_VIA aside): read the address by its length, as `ip` does, rather than reject a real message.
    if (e - q === 16) return ipv6String(d, q, e);
    throw new DecodeError(`IPv4 address payload is ${e - q} bytes, expected 4 (or 16 for IPv6)`, q);
  }
  const a = d[q]!;
  const b = d[q + 1]!;
  const c = d[q + 2]!;
  const key = (a << 16) | (b << 8) | c;
  if (key !== lastPrefixKey) {
    lastPrefix = OCTET_DOT[a]! + OCTET_DOT[b]! + OCTET_DOT[c]!;
    lastPrefixKey = key;
  }
  return lastPrefix + OCTET[d[q + 3]!]!;
}

/** RFC 5952 text for 16 bytes (zero runs compressed, lower-case hex). */
export function ipv6String(d: Uint8Array, q: number, e: number): string {
  if (e - q !== 16) throw new DecodeError(`IPv6 address payload is ${e - q} bytes, expected 16`, q);
  // The first longest run of two or more zero groups becomes `::` (RFC 5952 4.2.3). Built by concatenating table
  // strings, with no arrays or closures: route dumps decode one or two addresses per message.
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (d[q + 2 * i] === 0 && d[q + 2 * i + 1] === 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart + 1;
      }
    } else runStart = -1;
  }
  let text = '';
  if (bestStart < 0) {
    for (let i = 0; i < 8; i++) text += (i > 0 ? ':' : '') + hexGroup(d, q + 2 * i);
    return text;
  }
  for (let i = 0; i < bestStart; i++) text += (i > 0 ? ':' : '') + hexGroup(d, q + 2 * i);
  text += '::';
  const after = bestStart + bestLen;
  for (let i = after; i < 8; i++) text += (i > after ? ':' : '') + hexGroup(d, q + 2 * i);
  return text;
}

// Lower-case hex of every byte value, bare and padded to two digits: a group is one or two table strings.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16));
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX2_COLON = HEX2.map((h) => `:${h}`);

/** One IPv6 group (the big-endian 16 bits at `at`) in hex without leading zeros. */
function hexGroup(d: Uint8Array, at: number): string {
  const hi = d[at]!;
  return hi === 0 ? HEX[d[at + 1]!]! : HEX[hi]! + HEX2[d[at + 1]!]!;
}

/** IPv4 or IPv6 text, chosen by payload length. */
export function ipString(d: Uint8Array, q: number, e: number): string {
  return e - q === 4 ? ipv4String(d, q, e) : ipv6String(d, q, e);
}

/** Dotted-quad text for a u32 that holds an IPv4 address (as read in network order). */
export function ipv4FromU32(value: number): string {
  return OCTET_DOT[value >>> 24]! + OCTET_DOT[(value >>> 16) & 0xff]! + OCTET_DOT[(value >>> 8) & 0xff]! + OCTET[value & 0xff]!;
}

/** `aa:bb:cc:dd:ee:ff` from any number of bytes. */
export function macString(d: Uint8Array, q: number, e: number): string {
  if (e - q === 6) return mac48String(d, q);
  if (e <= q) return '';
  let s = HEX2[d[q]!]!;
  for (let i = q + 1; i < e; i++) s += HEX2_COLON[d[i]!]!;
  return s;
}

const HEX_CODE = Uint8Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));

/**
 * `aa:bb:cc:dd:ee:ff` for the 6 bytes at `q`, built by one String.fromCharCode call: a flat string, where joining
 * table strings leaves a rope V8 copies again on first use (measured 226 → 51 ns including that first use).
 */
function mac48String(d: Uint8Array, q: number): string {
  const h = HEX_CODE;
  const a = d[q]!, b = d[q + 1]!, c = d[q + 2]!, x = d[q + 3]!, y = d[q + 4]!, z = d[q + 5]!;
  return String.fromCharCode(
    h[a >> 4]!, h[a & 15]!, 58, h[b >> 4]!, h[b & 15]!, 58, h[c >> 4]!, h[c & 15]!, 58,
    h[x >> 4]!, h[x & 15]!, 58, h[y >> 4]!, h[y & 15]!, 58, h[z >> 4]!, h[z & 15]!,
  );
}

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from 16 bytes. */
export function uuidString(d: Uint8Array, q: number, e: number): string {
  if (e - q !== 16) throw new DecodeError(`UUID payload is ${e - q} bytes, expected 16`, q);
  const h = macString(d, q, e).replace(/:/g, '');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Parses dotted-quad IPv4 text into 4 bytes. */
export function parseIpv4(text: string, path: string): Uint8Array {
  // Scanned by hand: a regex match and its arrays cost more than the rest of a route add's encoding.
  // Accepts exactly four dot-separated groups of 1–3 ASCII digits, each at most 255.
  const out = new Uint8Array(4);
  let ok = typeof text === 'string';
  if (ok) {
    const len = text.length;
    let i = 0;
    for (let g = 0; g < 4 && ok; g++) {
      if (g > 0) {
        if (i < len && text.charCodeAt(i) === 46 /* . */) i++;
        else ok = false;
      }
      let value = 0;
      let digits = 0;
      while (i < len && digits < 4) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        value = value * 10 + c;
        digits++;
        i++;
      }
      if (digits === 0 || digits > 3 || value > 255) ok = false;
      else out[g] = value;
    }
    if (i !== len) ok = false;
  }
  if (!ok) throw new ValidationError(path, `not an IPv4 address: ${describe(text)}`);
  return out;
}

/** Parses IPv6 text (with `::`, and an embedded IPv4 tail) into 16 bytes. */
export function parseIpv6(text: string, path: string): Uint8Array {
  const bad = (): never => {
    throw new ValidationError(path, `not an IPv6 address: ${describe(text)}`);
  };
  if (typeof text !== 'string' || !/^[0-9A-Fa-f:.]+$/.test(text)) bad();
  let s = text;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1), path);
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    s = s.slice(0, lastColon + 1) + (s[lastColon - 1] === ':' ? '' : '0');
    if (s.endsWith(':0')) s = s.slice(0, -2);
  }
  const halves = s.split('::');
  if (halves.length > 2) bad();
  const part = (x: string) => (x === '' ? [] : x.split(':').map((g) => (/^[0-9A-Fa-f]{1,4}$/.test(g) ? parseInt(g, 16) : bad())));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const total = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (total > 7) bad();
    groups = [...head, ...new Array<number>(8 - total).fill(0), ...rest, ...tail];
  } else {
    groups = [...head, ...tail];
    if (groups.length !== 8) bad();
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** Parses IPv4 or IPv6 text. */
export function parseIp(text: string, path: string): Uint8Array {
  return typeof text === 'string' && text.includes(':') ? parseIpv6(text, path) : parseIpv4(text, path);
}

/** Parses dotted-quad text into the u32 that holds it in network order. */
export function ipv4ToU32(text: string, path: string): number {
  const b = parseIpv4(text, path);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-`-separated) hardware address text. */
export function parseMac(text: string, path: string): Uint8Array {
  // 1 to 32 bytes (MAX_ADDR_LEN): Ethernet's 6, InfiniBand's 20, and everything between.
  if (typeof text !== 'string' || !/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){0,31}$/.test(text)) {
    throw new ValidationError(path, `not a hardware address: ${describe(text)}`);
  }
  return Uint8Array.from(text.split(/[:-]/).map((h) => parseInt(h, 16)));
}

/** Parses UUID text into 16 bytes. */
export function parseUuid(text: string, path: string): Uint8Array {
  const hex = typeof text === 'string' ? text.replace(/-/g, '') : '';
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new ValidationError(path, `not a UUID: ${describe(text)}`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// binary + sub-type: arrays of fixed-width integers, copied into aligned typed arrays.

/** A typed-array class (Uint32Array, BigUint64Array …) as `typedArrayOf` takes it. */
export interface TypedArrayClass<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

// Decoded arrays are copied into regions of a shared buffer: V8 allocates every ArrayBuffer of more than 64 bytes
// outside its heap, which costs about 2 µs, more than the whole decode of an RTM_NEWLINK reply without them.
const ARRAY_SLAB_SIZE = 64 * 1024;
const ARRAY_SLAB_MAX = 4096;
let arraySlab = new ArrayBuffer(ARRAY_SLAB_SIZE);
let arraySlabBytes = new Uint8Array(arraySlab);
let arraySlabOff = 0;

/**
 * Copies the array payload `[q, e)` of `width`-byte elements into a region of `arraySlab` and returns the region's
 * offset, or -1 when the payload is too big for the slab (the caller then copies it into its own buffer).
 */
function arrayRegion(d: Uint8Array, q: number, e: number, width: number): number {
  const n = e - q;
  if (n % width !== 0) throw new DecodeError(`array payload of ${n} bytes is not a multiple of ${width}`, q);
  if (n > ARRAY_SLAB_MAX) return -1;
  if (arraySlabOff + n > ARRAY_SLAB_SIZE) {
    arraySlab = new ArrayBuffer(ARRAY_SLAB_SIZE);
    arraySlabBytes = new Uint8Array(arraySlab);
    arraySlabOff = 0;
  }
  const at = arraySlabOff;
  // Up to 16 bytes byte by byte: a subarray view costs more than that copy (measured crossing over at about 20 bytes;
  // 56 bytes took 300 ns by hand against 180 ns with set).
  if (n <= 16) for (let i = 0; i < n; i++) arraySlabBytes[at + i] = d[q + i]!;
  else arraySlabBytes.set(d.subarray(q, e), at);
  arraySlabOff = (at + n + 7) & ~7; // regions stay 8-aligned for BigInt64Array/Float64Array
  return at;
}

/**
 * Copies the array payload `[q, e)` into a new `ctor` array (its own copy: later changes to `d` do not show, nor the
 * other way round). Small arrays share an underlying buffer with other decoded arrays, so use `byteOffset` and
 * `byteLength` with `.buffer`. Generated decoders call the per-type functions below instead (same result): one
 * constructor per call site lets V8 inline the construction.
 */
export function typedArrayOf<T>(d: Uint8Array, q: number, e: number, ctor: TypedArrayClass<T>): T {
  const at = arrayRegion(d, q, e, ctor.BYTES_PER_ELEMENT);
  if (at < 0) return new ctor(d.slice(q, e).buffer, 0, (e - q) / ctor.BYTES_PER_ELEMENT);
  return new ctor(arraySlab, at, (e - q) / ctor.BYTES_PER_ELEMENT);
}

/** `typedArrayOf(d, q, e, Uint8Array)`. */
export function u8ArrayOf(d: Uint8Array, q: number, e: number): Uint8Array {
  const at = arrayRegion(d, q, e, 1);
  return at < 0 ? d.slice(q, e) : new Uint8Array(arraySlab, at, e - q);
}
/** `typedArrayOf(d, q, e, Int8Array)`. */
export function s8ArrayOf(d: Uint8Array, q: number, e: number): Int8Array {
  const at = arrayRegion(d, q, e, 1);
  return at < 0 ? new Int8Array(d.slice(q, e).buffer) : new Int8Array(arraySlab, at, e - q);
}
/** `typedArrayOf(d, q, e, Uint16Array)`. */
export function u16ArrayOf(d: Uint8Array, q: number, e: number): Uint16Array {
  const at = arrayRegion(d, q, e, 2);
  return at < 0 ? new Uint16Array(d.slice(q, e).buffer) : new Uint16Array(arraySlab, at, (e - q) >> 1);
}
/** `typedArrayOf(d, q, e, Int16Array)`. */
export function s16ArrayOf(d: Uint8Array, q: number, e: number): Int16Array {
  const at = arrayRegion(d, q, e, 2);
  return at < 0 ? new Int16Array(d.slice(q, e).buffer) : new Int16Array(arraySlab, at, (e - q) >> 1);
}
/** `typedArrayOf(d, q, e, Uint32Array)`. */
export function u32ArrayOf(d: Uint8Array, q: number, e: number): Uint32Array {
  const at = arrayRegion(d, q, e, 4);
  return at < 0 ? new Uint32Array(d.slice(q, e).buffer) : new Uint32Array(arraySlab, at, (e - q) >> 2);
}
/** `typedArrayOf(d, q, e, Int32Array)`. */
export function s32ArrayOf(d: Uint8Array, q: number, e: number): Int32Array {
  const at = arrayRegion(d, q, e, 4);
  return at < 0 ? new Int32Array(d.slice(q, e).buffer) : new Int32Array(arraySlab, at, (e - q) >> 2);
}
/** `typedArrayOf(d, q, e, BigUint64Array)`. */
export function u64ArrayOf(d: Uint8Array, q: number, e: number): BigUint64Array {
  const at = arrayRegion(d, q, e, 8);
  return at < 0 ? new BigUint64Array(d.slice(q, e).buffer) : new BigUint64Array(arraySlab, at, (e - q) >> 3);
}
/** `typedArrayOf(d, q, e, BigInt64Array)`. */
export function s64ArrayOf(d: Uint8Array, q: number, e: number): BigInt64Array {
  const at = arrayRegion(d, q, e, 8);
  return at < 0 ? new BigInt64Array(d.slice(q, e).buffer) : new BigInt64Array(arraySlab, at, (e - q) >> 3);
}

/** The bytes of a typed array (for binary + sub-type attributes), checked to be one. */
export function typedArrayBytes(value: ArrayBufferView, type: new (n: number) => ArrayBufferView, path: string): Uint8Array {
  // The element size is the wire's: a Uint8Array where a Uint32Array belongs would send a quarter of the values.
  if (jsonValues && Array.isArray(value)) value = typedArrayFromJson(value, type, path);
  if (!isTypedArray(value, type)) throw new ValidationError(path, `expected a ${type.name}, got ${describe(value)}`);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** Keeps, per union member, only the listed keys (a distributive `Pick`, so discriminated unions survive). */
export type PickAttrs<T, K extends PropertyKey> = T extends unknown ? Pick<T, Extract<K, keyof T>> : never;

/** A bitfield32 attribute: which bits to change (`selector`) and their new values (`value`). */
export interface Bitfield32 {
  value: number;
  selector: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Extack name tables, generated as JSON rows (a string costs the compiler nothing to check; the literals did).

/** How an attribute is named in an error path: property, kind of payload, child set or sub-message, selector. */
export type AttrName = readonly [prop: string, kind: 'leaf' | 'nest' | 'array' | 'type-value' | 'sub', child?: string, selector?: string];

/** One sub-message format: the attribute set after a fixed header of `headerSize` bytes. */
export interface SubMessageFormatName {
  set: string | undefined;
  headerSize: number;
}

/** A family's attribute names, generated as plain data. */
export interface AttrNameTables {
  sets: ReadonlyMap<string, { attrs: ReadonlyMap<number, AttrName>; byName: ReadonlyMap<string, number> }>;
  subMessages: ReadonlyMap<string, ReadonlyMap<string, SubMessageFormatName>>;
}

/**
 * A family's attribute-name tables from the rows its generated module carries: per set
 * `[set, [[number, property, kind, child?, selector?], …], [[spec name, number], …]]`, per sub-message
 * `[name, [[selector value, attribute set | null, header bytes], …]]`, each as JSON text.
 */
export function attrNameTables(setRows: readonly string[], subMessageRows: readonly string[]): AttrNameTables {
  const sets = new Map<string, { attrs: ReadonlyMap<number, AttrName>; byName: ReadonlyMap<string, number> }>();
  for (const row of setRows) {
    const [set, attrs, byName] = JSON.parse(row) as [string, [number, string, AttrName[1], string?, string?][], [string, number][]];
    const names = new Map<number, AttrName>();
    for (const [value, prop, kind, child, selector] of attrs) names.set(value, selector === undefined ? [prop, kind, child] : [prop, kind, child, selector]);
    sets.set(set, { attrs: names, byName: new Map(byName) });
  }
  const subMessages = new Map<string, ReadonlyMap<string, SubMessageFormatName>>();
  for (const row of subMessageRows) {
    const [name, formats] = JSON.parse(row) as [string, [string, string | null, number][]];
    subMessages.set(name, new Map(formats.map(([value, set, headerSize]) => [value, { set: set ?? undefined, headerSize }])));
  }
  return { sets, subMessages };
}
