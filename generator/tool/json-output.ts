// Decoded values as the CLI prints them. JSON, one object per line: 64-bit integers as numbers where a JSON reader
// gets them exactly (|n| ≤ 2^53 − 1) and as decimal strings beyond, bytes as hex (as the kernel's ynl prints them),
// typed arrays as arrays; enums and flags are already names. Text: the same data as YAML, for people.

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function bigToJson(v: bigint): number | string {
  return v <= MAX_EXACT && v >= -MAX_EXACT ? Number(v) : v.toString();
}

/** One value as one line of JSON (no newline). */
export function jsonLine(value: unknown): string {
  installJsonForms();
  return JSON.stringify(value) ?? 'null';
}

let installed = false;

/**
 * Gives bigints, bytes and typed arrays the JSON forms above as `toJSON` methods, so the native serializer writes them
 * without a replacer (a replacer is called for every key: it made a 100,000-route dump spend 200 ms printing).
 * Process-wide, so only the CLI (a process of its own) installs it; the library never does.
 */
function installJsonForms(): void {
  if (installed) return;
  installed = true;
  const define = (proto: object, toJSON: (this: never) => unknown) =>
    Object.defineProperty(proto, 'toJSON', { value: toJSON, writable: true, configurable: true, enumerable: false });
  define(BigInt.prototype, function (this: bigint) {
    return bigToJson(this.valueOf());
  });
  define(Uint8Array.prototype, function (this: Uint8Array) {
    return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('hex');
  });
  for (const T of [Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array]) {
    define(T.prototype, function (this: ArrayLike<number>) {
      return Array.from(this);
    });
  }
  for (const T of [BigInt64Array, BigUint64Array]) {
    define(T.prototype, function (this: ArrayLike<bigint>) {
      return Array.from(this, bigToJson);
    });
  }
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
