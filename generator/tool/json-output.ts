// Decoded values as the CLI prints them. JSON, one object per line, in the runtime's JSON form (`jsonText`: 64-bit
// integers as numbers where a JSON reader gets them exactly and as decimal strings beyond, bytes as hex as the kernel's
// ynl prints them, typed arrays as arrays; enums and flags are already names). Text: the same data as YAML, for people.
// Dumps printed as JSON do not come through here: the family's generated writers make their lines (`json()`).
import { jsonText } from '@nlgen/runtime';

/** Output formats of the family commands. */
export type OutputFormat = 'json' | 'text';

/** A printer for one format: text loads the yaml package only when asked for. */
export async function printerFor(format: OutputFormat): Promise<(value: unknown) => string> {
  if (format === 'json') return (v) => `${jsonText(v)}\n`;
  const { stringify } = await import('yaml');
  // Plain data first (bigints, bytes as JSON has them), then YAML; documents separated like a YAML stream.
  return (v) => `---\n${stringify(JSON.parse(jsonText(v)) as unknown, { lineWidth: 0 })}`;
}
