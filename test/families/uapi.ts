// Constants read from the installed uapi headers, so tests translate kernel numbers to the names iproute2
// prints without keeping their own copy of the tables.
import { readFileSync } from 'node:fs';

const include = '/usr/include/linux';

/** `IFF_*` bit → name without the prefix (linux/if.h: `IFF_LOWER_UP = 1<<16`). */
export function iffNames(): Map<number, string> {
  const text = readFileSync(`${include}/if.h`, 'utf8');
  const out = new Map<number, string>();
  for (const m of text.matchAll(/^\s*IFF_(\w+)\s*=\s*1<<(\d+)/gm)) out.set(1 << Number(m[2]), m[1]!);
  if (out.size < 19) throw new Error(`linux/if.h: found only ${out.size} IFF_ flags`);
  return out;
}

/** Names of a C enum's members in declaration order, for an enum whose members carry no explicit values. */
export function enumOrder(header: string, prefix: string): string[] {
  const text = readFileSync(`${include}/${header}`, 'utf8');
  const names = [...text.matchAll(new RegExp(`^\\s*${prefix}(\\w+)\\s*,`, 'gm'))].map((m) => m[1]!);
  if (names.length === 0) throw new Error(`${header}: no ${prefix}* enum members`);
  return names;
}

/** `#define PREFIXNAME value` constants of a header, name (without prefix) → value. */
export function defines(header: string, prefix: string): Map<string, number> {
  const text = readFileSync(`${include}/${header}`, 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`^#define\\s+${prefix}(\\w+)\\s+(0x[0-9a-fA-F]+|\\d+)\\b`, 'gm'))) out.set(m[1]!, Number(m[2]));
  if (out.size === 0) throw new Error(`${header}: no ${prefix}* defines`);
  return out;
}

/** Members of a C enum written with explicit values (`RT_SCOPE_LINK=253,`), name (without prefix) → value. */
export function enumValues(header: string, prefix: string): Map<string, number> {
  const text = readFileSync(`${include}/${header}`, 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`^\\s*${prefix}(\\w+)\\s*=\\s*(0x[0-9a-fA-F]+|\\d+)\\s*,?`, 'gm'))) out.set(m[1]!, Number(m[2]));
  if (out.size === 0) throw new Error(`${header}: no ${prefix}* enum members`);
  return out;
}
