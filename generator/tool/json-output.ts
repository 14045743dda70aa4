// Decoded values as the CLI prints them. JSON, one object per line, in the runtime's JSON form (`jsonText`: 64-bit
// integers as numbers where a JSON reader gets them exactly and as decimal strings beyond, bytes as hex as the kernel's
// ynl prints them, typed arrays as arrays; enums and flags are already names). Text: the same data as YAML, for people.
import { jsonValue } from '@nlgen/runtime';

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
    return jsonValue(this.valueOf());
  });
  for (const T of [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array]) {
    define(T.prototype, function (this: unknown) {
      return jsonValue(this);
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
