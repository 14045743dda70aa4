// Netlink attributes (struct nlattr TLVs): a growable writer and zero-copy readers for every spec attribute type.
import { DecodeError, NlgenError } from './errors.js';
import { stringPayload } from './string-payload.js';

// Re-exported so that decoding helpers can import the error next to the readers.
export { DecodeError };

/** Type bit: the payload is a nest of attributes. */
export const NLA_F_NESTED = 0x8000;
/** Type bit: the payload is in network byte order. */
export const NLA_F_NET_BYTEORDER = 0x4000;
/** Mask that strips both flag bits from nla_type. */
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;
/** Size of struct nlattr. */
export const NLA_HDRLEN = 4;
/** Largest attribute (header included): nla_len is 16 bits. */
export const NLA_MAX_LEN = 0xffff;

/** Rounds up to the 4-byte attribute alignment. */
export function nlaAlign(n: number): number {
  return (n + 3) & ~3;
}

/** Shared slab that small writers take their first buffer from (bump allocation; only the newest region's never-written tail is handed back). */
const SLAB_SIZE = 64 * 1024;
/** Writers starting larger than this get a buffer of their own. */
const SLAB_REGION_MAX = 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
// One byte view and one DataView over the whole slab, shared by every writer in it: a DataView per writer (a C++
// builtin call) cost more than encoding a small request.
let slabBytes = new Uint8Array(slab);
let slabView = new DataView(slab);
let slabOff = 0;

const encoder = new TextEncoder();
const U32_MAX = 0xffffffff;

/**
 * Builds attributes (and raw fixed headers) into a growable buffer. Every attribute starts 4-byte aligned and its
 * padding is zeroed. 64-bit values accept bigint or number; `bigEndian` writes network byte order and sets
 * NLA_F_NET_BYTEORDER on the attribute type.
 */
export class AttrWriter {
  // The writer's bytes are #buf[#start, #pos); it may write up to #limit. A writer in the shared slab has #buf and
  // #view over the whole slab (#start is its region's offset, 8-aligned); one of its own has #start 0.
  #buf: Uint8Array;
  #view: DataView;
  #start: number;
  #pos: number;
  #limit: number;
  #detached = false;
  readonly #initial: number;
  /** End of this writer's region in the shared slab (−1 when the buffer is its own), to give back the unused tail. */
  #slabEnd = -1;

  /** `initial`: starting capacity in bytes (grows by doubling). */
  constructor(initial = 256) {
    this.#initial = Math.max(16, initial);
    if (this.#initial <= SLAB_REGION_MAX) {
      // A region of the shared slab: an ArrayBuffer per request (and its collection) cost more than encoding it.
      if (slabOff + this.#initial > SLAB_SIZE) {
        slab = new ArrayBuffer(SLAB_SIZE);
        slabBytes = new Uint8Array(slab);
        slabView = new DataView(slab);
        slabOff = 0;
      }
      this.#buf = slabBytes;
      this.#view = slabView;
      this.#start = slabOff;
      this.#pos = slabOff;
      this.#limit = slabOff + this.#initial;
      // Regions start 8-aligned, so alignment within the slab is alignment within the writer's bytes.
      slabOff += (this.#initial + 7) & ~7;
      this.#slabEnd = slabOff;
    } else {
      this.#buf = new Uint8Array(this.#initial);
      this.#view = new DataView(this.#buf.buffer);
      this.#start = 0;
      this.#pos = 0;
      this.#limit = this.#initial;
    }
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos - this.#start;
  }

  /** Moves the bytes written so far into a buffer of its own of `cap` bytes. */
  #moveTo(cap: number): void {
    const len = this.#pos - this.#start;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(this.#start, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
    this.#start = 0;
    this.#pos = len;
    this.#limit = cap;
    this.#slabEnd = -1;
  }

  #ensure(extra: number): void {
    if (this.#detached) {
      // finish() handed out a view on the old buffer: never write into it again.
      this.#detached = false;
      this.#moveTo(Math.max(this.#initial, nlaAlign(this.#pos - this.#start + extra) * 2));
    }
    const need = this.#pos + extra;
    if (need <= this.#limit) return;
    const len = this.#pos - this.#start;
    let cap = (this.#limit - this.#start) * 2;
    while (cap < len + extra) cap *= 2;
    this.#moveTo(cap);
  }

  #header(type: number, payloadLen: number): number {
    const total = NLA_HDRLEN + payloadLen;
    if (total > NLA_MAX_LEN) throw new AttrLimitError(`attribute ${type & NLA_TYPE_MASK} is ${total} bytes; the limit is 65535`);
    this.#ensure(nlaAlign(total));
    const at = this.#pos;
    this.#view.setUint16(at, total, true);
    this.#view.setUint16(at + 2, type, true);
    this.#pos = at + NLA_HDRLEN;
    return at;
  }

  #pad(): void {
    const end = nlaAlign(this.#pos);
    this.#ensure(end - this.#pos);
    this.#buf.fill(0, this.#pos, end);
    this.#pos = end;
  }

  /** u8 attribute. */
  u8(type: number, value: number): this {
    this.#header(type, 1);
    this.#view.setUint8(this.#pos, value);
    this.#pos += 1;
    this.#pad();
    return this;
  }
  /** u16 attribute. */
  u16(type: number, value: number, bigEndian = false): this {
    this.#header(bigEndian ? type | NLA_F_NET_BYTEORDER : type, 2);
    this.#view.setUint16(this.#pos, value, !bigEndian);
    this.#pos += 2;
    this.#pad();
    return this;
  }
  /** u32 attribute. */
  u32(type: number, value: number, bigEndian = false): this {
    this.#header(bigEndian ? type | NLA_F_NET_BYTEORDER : type, 4);
    this.#view.setUint32(this.#pos, value, !bigEndian);
    this.#pos += 4;
    return this;
  }
  /** u64 attribute. */
  u64(type: number, value: bigint | number, bigEndian = false): this {
    this.#header(bigEndian ? type | NLA_F_NET_BYTEORDER : type, 8);
    this.#view.setBigUint64(this.#pos, BigInt.asUintN(64, BigInt(value)), !bigEndian);
    this.#pos += 8;
    return this;
  }
  /** s8 attribute. */
  s8(type: number, value: number): this {
    this.#header(type, 1);
    this.#view.setInt8(this.#pos, value);
    this.#pos += 1;
    this.#pad();
    return this;
  }
  /** s16 attribute. */
  s16(type: number, value: number, bigEndian = false): this {
    this.#header(bigEndian ? type | NLA_F_NET_BYTEORDER : type, 2);
    this.#view.setInt16(this.#pos, value, !bigEndian);
    this.#pos += 2;
    this.#pad();
    return this;
  }
  /** s32 attribute. */
  s32(type: number, value: number, bigEndian = false): this {
    this.#header(bigEndian ? type | NLA_F_NET_BYTEORDER : type, 4);
    this.#view.setInt32(this.#pos, value, !bigEndian);
    this.#pos += 4;
    return this;
  }
  /** s64 attribute. */
  s64(type: number, value: bigint | number, bigEndian = false): this {
    this.#header(bigEndian ? type | NLA_F_NET_BYTEORDER : type, 8);
    this.#view.setBigInt64(this.#pos, BigInt.asIntN(64, BigInt(value)), !bigEndian);
    this.#pos += 8;
    return this;
  }
  /** Variable-width unsigned (`uint`): 4 bytes when the value fits, else 8. */
  uint(type: number, value: bigint | number): this {
    const v = BigInt(value);
    if (v < 0n || v > 0xffffffffffffffffn) throw new AttrLimitError(`uint attribute ${type} out of range: ${v}`);
    if (v <= BigInt(U32_MAX)) return this.u32(type, Number(v));
    return this.u64(type, v);
  }
  /** Variable-width signed (`sint`): 4 bytes when the value fits, else 8. */
  sint(type: number, value: bigint | number): this {
    const v = BigInt(value);
    if (v < -0x8000000000000000n || v > 0x7fffffffffffffffn) {
      throw new AttrLimitError(`sint attribute ${type} out of range: ${v}`);
    }
    if (v >= -0x80000000n && v <= 0x7fffffffn) return this.s32(type, Number(v));
    return this.s64(type, v);
  }
  /** Flag attribute (no payload: presence means true). */
  flag(type: number): this {
    this.#header(type, 0);
    return this;
  }
  /** NUL-terminated UTF-8 string attribute. */
  string(type: number, value: string): this {
    const bytes = encoder.encode(value);
    this.#header(type, bytes.length + 1);
    this.#buf.set(bytes, this.#pos);
    this.#buf[this.#pos + bytes.length] = 0;
    this.#pos += bytes.length + 1;
    this.#pad();
    return this;
  }
  /** Binary attribute (bytes as given). */
  binary(type: number, value: Uint8Array): this {
    this.#header(type, value.length);
    this.#buf.set(value, this.#pos);
    this.#pos += value.length;
    this.#pad();
    return this;
  }
  /** struct nla_bitfield32 { value, selector } attribute. */
  bitfield32(type: number, value: number, selector: number): this {
    this.#header(type, 8);
    this.#view.setUint32(this.#pos, value >>> 0, true);
    this.#view.setUint32(this.#pos + 4, selector >>> 0, true);
    this.#pos += 8;
    return this;
  }
  /** Opens a nest (NLA_F_NESTED is set); returns the mark `endNest` needs. */
  beginNest(type: number): number {
    // Marks count from the writer's start: they stay valid when the bytes move to a bigger buffer.
    return this.#header(type | NLA_F_NESTED, 0) - this.#start;
  }
  /** Closes a nest; throws when its content exceeds what a 16-bit length can hold. */
  endNest(mark: number): this {
    return this.endAttr(mark);
  }
  /** Opens an attribute whose payload is written with the raw methods; returns the mark for `endAttr`. */
  beginAttr(type: number): number {
    return this.#header(type, 0) - this.#start;
  }
  /** Closes an attribute opened with `beginAttr`/`beginNest`, fixing its length and padding. */
  endAttr(mark: number): this {
    const at = this.#start + mark;
    const len = this.#pos - at;
    if (len > NLA_MAX_LEN) {
      throw new AttrLimitError(
        `attribute ${this.#view.getUint16(at + 2, true) & NLA_TYPE_MASK} is ${len} bytes; a nest or attribute holds at most 65535`,
      );
    }
    this.#view.setUint16(at, len, true);
    this.#pad();
    return this;
  }

  /** Raw u8 (no attribute header), for fixed headers and structs. */
  rawU8(value: number): this {
    this.#ensure(1);
    this.#view.setUint8(this.#pos, value);
    this.#pos += 1;
    return this;
  }
  /** Raw u16. */
  rawU16(value: number, bigEndian = false): this {
    this.#ensure(2);
    this.#view.setUint16(this.#pos, value, !bigEndian);
    this.#pos += 2;
    return this;
  }
  /** Raw u32. */
  rawU32(value: number, bigEndian = false): this {
    this.#ensure(4);
    this.#view.setUint32(this.#pos, value >>> 0, !bigEndian);
    this.#pos += 4;
    return this;
  }
  /** Raw u64. */
  rawU64(value: bigint | number, bigEndian = false): this {
    this.#ensure(8);
    this.#view.setBigUint64(this.#pos, BigInt.asUintN(64, BigInt(value)), !bigEndian);
    this.#pos += 8;
    return this;
  }
  /** Raw s8. */
  rawS8(value: number): this {
    this.#ensure(1);
    this.#view.setInt8(this.#pos, value);
    this.#pos += 1;
    return this;
  }
  /** Raw s16. */
  rawS16(value: number, bigEndian = false): this {
    this.#ensure(2);
    this.#view.setInt16(this.#pos, value, !bigEndian);
    this.#pos += 2;
    return this;
  }
  /** Raw s32. */
  rawS32(value: number, bigEndian = false): this {
    this.#ensure(4);
    this.#view.setInt32(this.#pos, value, !bigEndian);
    this.#pos += 4;
    return this;
  }
  /** Raw s64. */
  rawS64(value: bigint | number, bigEndian = false): this {
    this.#ensure(8);
    this.#view.setBigInt64(this.#pos, BigInt.asIntN(64, BigInt(value)), !bigEndian);
    this.#pos += 8;
    return this;
  }
  /** Raw bytes; with `fixedLen` they are zero-padded or cut to exactly that many bytes. */
  rawBytes(bytes: Uint8Array, fixedLen?: number): this {
    const n = fixedLen ?? bytes.length;
    this.#ensure(n);
    if (bytes.length >= n) this.#buf.set(bytes.subarray(0, n), this.#pos);
    else {
      this.#buf.set(bytes, this.#pos);
      this.#buf.fill(0, this.#pos + bytes.length, this.#pos + n);
    }
    this.#pos += n;
    return this;
  }
  /** `n` zero bytes (struct padding). */
  rawZeros(n: number): this {
    this.#ensure(n);
    this.#buf.fill(0, this.#pos, this.#pos + n);
    this.#pos += n;
    return this;
  }
  /** Pads with zeros to the next 4-byte boundary (after a fixed header, before attributes). */
  align(): this {
    this.#pad();
    return this;
  }

  /** The bytes written, as an exact view; the writer never writes into them again. */
  finish(): Uint8Array {
    this.#detached = true;
    // Still the newest slab region: give back the tail nothing was written to (8-byte aligned), for the next writer.
    if (this.#slabEnd === slabOff && this.#buf === slabBytes) {
      slabOff = this.#start + ((this.#pos - this.#start + 7) & ~7);
    }
    this.#slabEnd = -1;
    return this.#buf.subarray(this.#start, this.#pos);
  }

  /** Empties the writer for reuse. */
  reset(): this {
    if (this.#detached) {
      this.#buf = new Uint8Array(this.#initial);
      this.#view = new DataView(this.#buf.buffer);
      this.#start = 0;
      this.#limit = this.#initial;
      this.#detached = false;
    }
    // Bytes past the next finish() may hold earlier writes: never give them back as unwritten.
    this.#slabEnd = -1;
    this.#pos = this.#start;
    return this;
  }
}

/** An encoding limit was exceeded while writing: a value out of range, or an attribute/nest over 64 KiB. */
export class AttrLimitError extends NlgenError {
  override name = 'AttrLimitError';
}

/** One attribute as the iterator reports it: type with flag bits masked, payload window [start, end). */
export interface AttrEntry {
  /** nla_type without NLA_F_NESTED / NLA_F_NET_BYTEORDER. */
  type: number;
  /** NLA_F_NESTED was set. */
  nested: boolean;
  /** NLA_F_NET_BYTEORDER was set. */
  netByteOrder: boolean;
  /** Index of the attribute header. */
  offset: number;
  /** Payload start index. */
  start: number;
  /** Payload end index (exclusive, without padding). */
  end: number;
}

/**
 * A reusable, allocation-free attribute cursor over [start, end) of a buffer: call `next()` until it returns false;
 * `type/start/end/rawType/offset` describe the current attribute. Invalid lengths raise DecodeError.
 */
export class AttrCursor {
  // Hot path (every attribute of every dump): `next()` stores only the header word and its offset, and the
  // public fields are getters derived from them — fewer stores per attribute than six eager fields, measurably
  // faster. Plain (TS-private) fields: faster than #private ones here. Errors are raised out of line so that
  // `next()` stays small enough to be inlined into the caller's loop.
  private view: DataView | undefined = undefined;
  private pos = 0;
  private limit = 0;
  private at = 0;
  private word = 0;

  /** Masked attribute type (NLA_F_NESTED / NLA_F_NET_BYTEORDER removed). */
  get type(): number {
    return (this.word >>> 16) & NLA_TYPE_MASK;
  }
  /** nla_type including flag bits. */
  get rawType(): number {
    return this.word >>> 16;
  }
  /** Offset of the current attribute header. */
  get offset(): number {
    return this.at;
  }
  /** Current payload start. */
  get start(): number {
    return this.at + NLA_HDRLEN;
  }
  /** Current payload end (exclusive, without padding). */
  get end(): number {
    return this.at + (this.word & 0xffff);
  }

  /** Positions the cursor on a new range; returns itself. */
  reset(view: DataView, start: number, end: number): this {
    if (start > end || end > view.byteLength || start < 0) badRange(view, start, end);
    this.view = view;
    this.pos = start;
    this.limit = end;
    return this;
  }

  /** Advances to the next attribute; false at the end of the range. */
  next(): boolean {
    const pos = this.pos;
    const limit = this.limit;
    // A position past the limit is the padding of a last attribute that had none on the wire: the end too.
    if (limit - pos < NLA_HDRLEN) {
      if (pos >= limit) return false;
      badAttr(limit - pos, 0, pos);
    }
    // nla_len and nla_type in one little-endian read.
    const word = this.view!.getUint32(pos, true);
    const len = word & 0xffff;
    if (len < NLA_HDRLEN || len > limit - pos) badAttr(limit - pos, len, pos);
    this.word = word;
    this.at = pos;
    this.pos = pos + ((len + 3) & ~3);
    return true;
  }
}

function badRange(view: DataView, start: number, end: number): never {
  throw new DecodeError(`attribute range [${start}, ${end}) lies outside the ${view.byteLength}-byte buffer`, start);
}

function badAttr(rest: number, len: number, pos: number): never {
  if (rest < NLA_HDRLEN) throw new DecodeError(`${rest} trailing byte(s) are too short for an attribute header`, pos);
  if (len < NLA_HDRLEN) throw new DecodeError(`attribute length ${len} is shorter than its header`, pos);
  throw new DecodeError(`attribute length ${len} runs past the end (${rest} bytes left)`, pos);
}

/** Iterates the attributes in [start, end) of `data`; validates lengths (DecodeError). */
export function* attrs(data: Uint8Array, view: DataView, start: number, end: number): Generator<AttrEntry> {
  void data;
  const c = new AttrCursor().reset(view, start, end);
  while (c.next()) {
    yield {
      type: c.type,
      nested: (c.rawType & NLA_F_NESTED) !== 0,
      netByteOrder: (c.rawType & NLA_F_NET_BYTEORDER) !== 0,
      offset: c.offset,
      start: c.start,
      end: c.end,
    };
  }
}

/** Callback form of `attrs`: calls `fn(type, start, end, rawType)` for each attribute; allocation-free. */
export function forEachAttr(
  view: DataView,
  start: number,
  end: number,
  fn: (type: number, start: number, end: number, rawType: number) => void,
): void {
  const c = new AttrCursor().reset(view, start, end);
  while (c.next()) fn(c.type, c.start, c.end, c.rawType);
}

/** Throws DecodeError unless the payload [start, end) is exactly `size` bytes (scalar attributes). */
export function expectSize(start: number, end: number, size: number, what = 'attribute'): void {
  if (end - start !== size) throw new DecodeError(`${what} has ${end - start} byte(s), expected ${size}`, start);
}

/** Throws DecodeError unless the payload holds at least `size` bytes. */
export function expectAtLeast(start: number, end: number, size: number, what = 'attribute'): void {
  if (end - start < size) throw new DecodeError(`${what} has ${end - start} byte(s), expected at least ${size}`, start);
}

/**
 * UTF-8 string in [start, end), stopping at the first NUL (an unterminated string runs to `end`). Short ASCII
 * strings take a fast path without TextDecoder.
 */
export function readString(data: Uint8Array, start: number, end: number): string {
  if (start < 0 || end > data.length || start > end) throw new DecodeError('string outside the buffer', start);
  return stringPayload(data, start, end);
}

/** Variable-width unsigned (`uint`): 4 or 8 bytes, little-endian → bigint. */
export function readUint(view: DataView, off: number, len: number): bigint {
  if (len === 4) return BigInt(view.getUint32(off, true));
  if (len === 8) return view.getBigUint64(off, true);
  throw new DecodeError(`variable-width unsigned integer has ${len} byte(s), expected 4 or 8`, off);
}

/** Variable-width signed (`sint`): 4 or 8 bytes, little-endian → bigint. */
export function readSint(view: DataView, off: number, len: number): bigint {
  if (len === 4) return BigInt(view.getInt32(off, true));
  if (len === 8) return view.getBigInt64(off, true);
  throw new DecodeError(`variable-width signed integer has ${len} byte(s), expected 4 or 8`, off);
}

/** A copy of data[start, end) that outlives the datagram's buffer independently. */
export function bytesCopy(data: Uint8Array, start: number, end: number): Uint8Array {
  if (start < 0 || end > data.length || start > end) throw new DecodeError('byte range outside the buffer', start);
  return data.slice(start, end);
}

/** struct nla_bitfield32 payload → { value, selector }. */
export function readBitfield32(view: DataView, start: number, end: number): { value: number; selector: number } {
  expectSize(start, end, 8, 'bitfield32');
  return { value: view.getUint32(start, true), selector: view.getUint32(start + 4, true) };
}
