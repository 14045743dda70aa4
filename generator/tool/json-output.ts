// Decoded values as the CLI prints them. JSON, one object per line: 64-bit integers as numbers where a JSON reader
// gets them exactly (|n| ≤ 2^53 − 1) and as decimal strings beyond, bytes as hex (as the kernel's ynl prints them),
// typed arrays as arrays; enums and flags are already names. Text: the same data as YAML, for people.

/** JSON.stringify replacer for decoded netlink values. */
export function jsonReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return bigToJson(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? bigToJson(x) : x));
  }
  return value;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function bigToJson(v: bigint): number | string {
  return v <= MAX_EXACT && v >= -MAX_EXACT ? Number(v) : v.toString();
}

/** One value as one line of JSON (no newline). */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value, jsonReplacer) ?? 'null';
}

/** Output formats of the family commands. */
export type OutputFormat = 'json' | 'text';

/** A printer for one format: text loads the yaml package only when asked for. */
export async function printerFor(format: OutputFormat): Promise<(value: unknown) => string> {
  if (format === 'json') return (v) => `${jsonLine(v)}\n`;
  const { stringify } = await import('yaml');
  // Plain data first (bigints, bytes as JSON has them), then YAML; documents separated like a YAML stream.
  return (v) => `---\n${stringify(JSON.parse(jsonLine(v)) as unknown, { lineWidth: 0 })}`;
}
