// The byte sink generated JSON writers write into: nlgen's JSON straight to UTF-8, no strings in between. A dump
// written this way makes no garbage per reply (a 100,000-route `nlgen dump` spent a fifth of its time collecting the
// strings the earlier text writers built), and the bytes go to a file or pipe as they are.
import { ipv4String, ipv6String } from './codec-support.js';
import { jsonExact, jsonText } from './json-text.js';

const HEX_CODE = Uint8Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));
const encoder = new TextEncoder();

/**
 * A growable byte buffer of JSON text. Generated writers append to it; `n` is the end of what was written, and a
 * writer that gives up resets `n` to where it started. Not for use outside generated code: its methods check
 * nothing a generated writer already checked.
 */
export class JsonOut {
  /** The bytes; valid in `[0, n)`. Replaced (not grown in place) when more room is needed. */
  b: Uint8Array;
  /** Bytes written. */
  n = 0;

  /** A sink with room for `size` bytes to begin with. */
  constructor(size = 1 << 16) {
    this.b = new Uint8Array(size);
  }

  /** Makes room for `k` more bytes. */
  reserve(k: number): void {
    if (this.n + k <= this.b.length) return;
    let size = Math.max(this.b.length * 2, 64);
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.b.subarray(0, this.n));
    this.b = b;
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    const n = this.n;
    if (n === this.b.length) this.reserve(1);
    this.b[n] = c;
    this.n = n + 1;
  }

  /** Bytes as they are. */
  bytes(x: Uint8Array): void {
    this.reserve(x.length);
    this.b.set(x, this.n);
    this.n += x.length;
  }

  /** A string as UTF-8: JSON text already (keys, escaped strings, numbers). */
  text(s: string): void {
    this.textFrom(s, 0);
  }

  /** A member's key: `k` is `,"name":`, written without its comma when it is the object's first member (`n === s`). */
  key(s: number, k: string): void {
    this.textFrom(k, this.n === s ? 1 : 0);
  }

  /** `s` from index `i` on: a byte per character while they are ASCII, the rest encoded as UTF-8. */
  private textFrom(s: string, i: number): void {
    const len = s.length;
    if (this.n + len > this.b.length) this.reserve(len);
    const b = this.b;
    let n = this.n;
    for (; i < len; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80) {
        // Text from JSON.stringify has no lone surrogates to lose.
        this.n = n;
        this.reserve(3 * (len - i));
        this.n += encoder.encodeInto(s.slice(i), this.b.subarray(this.n)).written;
        return;
      }
      b[n++] = ch;
    }
    this.n = n;
  }

  /** A quoted string that needs no escapes (addresses, hex). */
  quoted(s: string): void {
    this.byte(34);
    this.text(s);
    this.byte(34);
  }

  /** An integer read from the wire (any safe integer), as JSON writes it. */
  int(x: number): void {
    if (x >= 0 && x < 1000 && (x | 0) === x) {
      if (this.n + 3 > this.b.length) this.reserve(3);
      this.n = digits(this.b, this.n, x);
      return;
    }
    this.text(String(x));
  }

  /** A 64-bit integer in nlgen's JSON form: a number where a JSON reader gets it exactly, else a decimal string. */
  big(x: bigint): void {
    this.text(jsonExact(x) ? String(x) : `"${x}"`);
  }

  /** Bytes `[q, e)` of `d` as a quoted lowercase hex string. */
  hex(d: Uint8Array, q: number, e: number): void {
    this.reserve(2 * (e - q) + 2);
    const b = this.b;
    let n = this.n;
    b[n++] = 34;
    for (let i = q; i < e; i++) {
      const x = d[i]!;
      b[n++] = HEX_CODE[x >> 4]!;
      b[n++] = HEX_CODE[x & 15]!;
    }
    b[n++] = 34;
    this.n = n;
  }

  /** An address attribute hinted `ipv4-or-v6` (its text by its length), as `rt.ipString` writes it. */
  ip(d: Uint8Array, q: number, e: number): void {
    if (e - q === 4) this.quad(d, q);
    else this.quoted(ipv6String(d, q, e));
  }

  /** An address hinted `ipv4` (16 bytes are read as IPv6, as `rt.ipv4String` does). */
  ipv4(d: Uint8Array, q: number, e: number): void {
    if (e - q === 4) this.quad(d, q);
    else this.quoted(ipv4String(d, q, e));
  }

  /** `"a.b.c.d"` of the 4 bytes at `q`. */
  private quad(d: Uint8Array, q: number): void {
    if (this.n + 17 > this.b.length) this.reserve(17);
    const b = this.b;
    let n = this.n;
    b[n++] = 34;
    n = digits(b, n, d[q]!);
    b[n++] = 46;
    n = digits(b, n, d[q + 1]!);
    b[n++] = 46;
    n = digits(b, n, d[q + 2]!);
    b[n++] = 46;
    n = digits(b, n, d[q + 3]!);
    b[n++] = 34;
    this.n = n;
  }

  /**
   * Puts `"$unknown":[items]` into the object whose members start at `s`, where the first unknown attribute came
   * (`at`): the decoder keeps them at that place in its object, so the text has them there too.
   */
  unknown(s: number, at: number, items: string): void {
    const text = at > s ? `,"$unknown":[${items}]` : `"$unknown":[${items}]${this.n > s ? ',' : ''}`;
    const tail = this.b.slice(at, this.n);
    this.n = at;
    this.text(text);
    this.bytes(tail);
  }

  /** Adds the members of `object` (an object's JSON text) to the object whose members start at `s`, and closes it. */
  members(s: number, object: string): void {
    if (object.length > 2 && this.n > s) this.byte(44);
    this.text(object.slice(1));
  }

  /** What was written since `start`, as a string. */
  toString(start = 0): string {
    return Buffer.from(this.b.buffer, this.b.byteOffset + start, this.n - start).toString('utf8');
  }
}

/** Writes `x` (0 to 999) in decimal at `n` of `b`; returns the end. */
function digits(b: Uint8Array, n: number, x: number): number {
  if (x >= 100) {
    b[n++] = 48 + ((x / 100) | 0);
    x %= 100;
    b[n++] = 48 + ((x / 10) | 0);
  } else if (x >= 10) b[n++] = 48 + ((x / 10) | 0);
  b[n++] = 48 + (x % 10);
  return n;
}

const shared = new JsonOut(1 << 12);

/** One message as a JSON string, through a generated byte writer (what `json()` and `replyToJson` give). */
export function jsonString<M>(write: (w: JsonOut, m: M) => void, m: M): string {
  const w = shared;
  w.n = 0;
  write(w, m);
  return w.toString();
}

/**
 * A generated writer's fallback: the message's decoded object, written with jsonText. A writer gives up (rt.jsonAgain)
 * where the bytes alone cannot say what the decoder makes; the two texts never differ.
 */
export function jsonDecoded(w: JsonOut, value: unknown): void {
  w.text(jsonText(value));
}

/**
 * The last fixed header a reply writer wrote, by its bytes, and the JSON it made of it (`{` and the members). The
 * replies of a dump mostly repeat their header (every route of a table has the same `rtmsg`), so its members are
 * written once per distinct header and copied after that.
 */
export class JsonHeaderMemo {
  readonly #bytes: Uint8Array;
  #text: Uint8Array | undefined;

  /** A memo for a header of `size` bytes. */
  constructor(size: number) {
    this.#bytes = new Uint8Array(size);
  }

  /** Writes `{` and the members `write` makes of the header at `o` of `d`; copies the last ones when the bytes match. */
  open(w: JsonOut, d: Uint8Array, v: DataView, o: number, write: (w: JsonOut, d: Uint8Array, v: DataView, o: number) => void): void {
    const b = this.#bytes;
    const n = b.length;
    const text = this.#text;
    if (text !== undefined) {
      let i = 0;
      while (i < n && d[o + i] === b[i]) i++;
      if (i === n) {
        w.bytes(text);
        return;
      }
    }
    const start = w.n;
    w.byte(123);
    write(w, d, v, o);
    // Kept only once written whole, so a writer that throws leaves the memo as it was.
    this.#text = w.b.slice(start, w.n);
    for (let i = 0; i < n; i++) b[i] = d[o + i]!;
  }
}
