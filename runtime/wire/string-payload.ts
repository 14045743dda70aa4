// Text of netlink string attributes: the decoding shared by the attribute cursor (readString) and generated decoders.

const utf8 = new TextDecoder('utf-8');

/**
 * Decodes a string payload in `[q, e)` (bounds already checked): UTF-8 up to the first NUL or the end (unterminated
 * strings are accepted).
 */
export function stringPayload(d: Uint8Array, q: number, e: number): string {
  let end = q;
  let ascii = true;
  while (end < e) {
    const c = d[end]!;
    if (c === 0) break;
    if (c > 0x7f) ascii = false;
    end++;
  }
  if (ascii && end - q < 64) {
    if (end - q <= 16) return asciiUpTo16(d, q, end - q);
    let s = asciiUpTo16(d, q, 16);
    for (let i = q + 16; i < end; i += 16) s += asciiUpTo16(d, i, Math.min(16, end - i));
    return s;
  }
  return utf8.decode(d.subarray(q, end));
}

/**
 * The `n` (≤ 16) ASCII bytes at `q` as one flat string made by a single String.fromCharCode call. Appending a
 * character at a time allocates a string per character, and from 13 characters on V8 keeps the result as a rope
 * that is copied again on first use (measured for "noqueue": 97 → 30 ns).
 */
function asciiUpTo16(d: Uint8Array, q: number, n: number): string {
  const c = String.fromCharCode;
  switch (n) {
    case 0: return '';
    case 1: return c(d[q]!);
    case 2: return c(d[q]!, d[q + 1]!);
    case 3: return c(d[q]!, d[q + 1]!, d[q + 2]!);
    case 4: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!);
    case 5: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!);
    case 6: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!);
    case 7: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!);
    case 8: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!);
    case 9: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!);
    case 10: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!);
    case 11: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!, d[q + 10]!);
    case 12: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!, d[q + 10]!, d[q + 11]!);
    case 13: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!, d[q + 10]!, d[q + 11]!, d[q + 12]!);
    case 14: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!, d[q + 10]!, d[q + 11]!, d[q + 12]!, d[q + 13]!);
    case 15: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!, d[q + 10]!, d[q + 11]!, d[q + 12]!, d[q + 13]!, d[q + 14]!);
    default: return c(d[q]!, d[q + 1]!, d[q + 2]!, d[q + 3]!, d[q + 4]!, d[q + 5]!, d[q + 6]!, d[q + 7]!, d[q + 8]!, d[q + 9]!, d[q + 10]!, d[q + 11]!, d[q + 12]!, d[q + 13]!, d[q + 14]!, d[q + 15]!);
  }
}
