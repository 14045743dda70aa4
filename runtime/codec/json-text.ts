// nlgen's JSON form of decoded values, and the helpers generated JSON writers call to produce it straight from the
// wire. The form: 64-bit integers as numbers where a JSON reader gets them exactly (|n| ≤ 2^53 − 1) and as decimal
// strings beyond, bytes as lowercase hex (as the kernel's ynl prints them), other typed arrays as arrays, enums and
// flags as their names (already so in decoded values). A generated writer's text always equals `jsonText` of the
// object the decoder makes from the same bytes: that is what its tests hold it to.

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether a JSON reader gets `v` exactly as a number. */
export const jsonExact = (v: bigint): boolean => v <= MAX_EXACT && v >= -MAX_EXACT;

/** A bigint in the JSON form: a number where exact, else a decimal string. */
function jsonBigValue(v: bigint): number | string {
  return jsonExact(v) ? Number(v) : v.toString();
}

/** The JSON form of one value the standard serializer cannot write (bigints, typed arrays); others unchanged. */
function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return jsonBigValue(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Array.from(v, jsonBigValue);
    return Array.from(v as unknown as ArrayLike<number>);
  }
  return v;
}

const replacer = (_key: string, v: unknown): unknown => jsonValue(v);

/**
 * A decoded value (a reply, a notification, any part of one) as one line of JSON in nlgen's form: bigints exact or as
 * strings, bytes as hex. What `nlgen dump` prints, and what a dump's `json()` yields without making the objects.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, replacer) ?? 'null';
}

// ---- Helpers of generated JSON writers ----

/** Thrown by a generated writer for input it leaves to the decoder (a repeated attribute, an odd size, strictness). */
const AGAIN: unknown = Object.freeze({ again: true });

/** Gives up on writing from the wire: the caller writes the decoded object instead. */
export function jsonAgain(): never {
  throw AGAIN;
}

/** Bytes `[q, e)` of `d` as a quoted hex string. */
export function jsonHex(d: Uint8Array, q: number, e: number): string {
  return `"${Buffer.from(d.buffer, d.byteOffset + q, e - q).toString('hex')}"`;
}

const NAME_TEXT = new Map<string, string>();

/** An enum name (or the number of a value the spec does not name) as JSON text; names are escaped once. */
export function jsonName(x: string | number): string {
  if (typeof x === 'number') return String(x);
  let t = NAME_TEXT.get(x);
  if (t === undefined) {
    t = JSON.stringify(x);
    // Names come from specs, so there are only so many of them; the bound keeps a hostile one from growing this.
    if (NAME_TEXT.size < 65536) NAME_TEXT.set(x, t);
  }
  return t;
}
