// Reading what a guest command printed: its parts after `== name` lines, and JSON lines within a part.

/** The guest's output split at `== name` lines into named parts (the harness's own `nlgen-vm` lines left out). */
export function sections(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  let name = '';
  for (const line of output.split('\n')) {
    const m = /^== (\w+)$/.exec(line);
    if (m) name = m[1]!;
    else if (name && !line.startsWith('nlgen-vm')) out[name] = `${out[name] ?? ''}${line}\n`;
  }
  return out;
}

/** Every line of a part that is a JSON object, parsed. */
export const jsonLines = (text = '') => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
