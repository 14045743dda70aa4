// Enums and flags → a frozen name → value object, its name union, and the lookup tables codecs use (templates/enum.hbs).
import type { EnumDef } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { numLit } from './int-types.js';

export function enumDecl(ctx: EmitContext, e: EnumDef): string {
  const id = ctx.defName(e.name);
  const entries = e.entries.map((x) => `${docComment([x.doc], '  ')}  ${propKey(x.name)}: ${numLit(x.value, false)},`).join('\n');
  const union = e.entries.length > 0 ? e.entries.map((x) => str(x.name)).join(' | ') : 'never';
  const kindNote = e.kind === 'flags' ? 'Bit flags: values are masks; attributes carry them as an array of names.' : undefined;
  return (
    `${docComment([e.doc, kindNote])}export const ${id} = Object.freeze({\n${entries}\n} as const);\n` +
    `${docComment([`Names of {@link ${id}}.`])}export type ${id} = ${union};\n` +
    `const ${id}_BY_NAME: ReadonlyMap<string, number> = new Map<string, number>(Object.entries(${id}));\n` +
    (e.entries.some((x) => /^(0|[1-9][0-9]*)$/.test(x.name))
      ? // Integer-like names would come first out of Object.entries: spell the tables out in spec order.
        `const ${id}_BY_VALUE: ReadonlyMap<number, ${id}> = new Map<number, ${id}>([${e.entries.map((x) => `[${numLit(x.value, false)}, ${str(x.name)}]`).join(', ')}] as const);\n` +
        `const ${id}_BITS: readonly (readonly [${id}, number])[] = [${e.entries.map((x) => `[${str(x.name)}, ${numLit(x.value, false)}]`).join(', ')}];\n`
      : // Derived from the object above at load time rather than repeated as literals (cheaper to type-check).
        `const ${id}_BY_VALUE: ReadonlyMap<number, ${id}> = rt.enumByValue<${id}>(${id});\n` +
        `const ${id}_BITS: readonly (readonly [${id}, number])[] = rt.enumEntries<${id}>(${id});\n`)
  );
}

/** Bit masks of an enum used as flags: `1 << value` for enum-as-flags, the masks themselves for `flags`. */

/**
 * `enumCode` without the module-private lookup tables (`X_BY_NAME`, `X_BY_VALUE`, `X_BITS`) that `rest` never
 * mentions: an enum no attribute codes needs none of them, and each costs load time and type-check time.
 */
export function dropUnusedTables(enumCode: string, rest: string): string {
  const used = new Set(rest.match(/\b[A-Za-z0-9]+_(?:BY_NAME|BY_VALUE|BITS)\b/g) ?? []);
  return enumCode
    .split('\n')
    .filter((line) => {
      const m = /^const ([A-Za-z0-9]+_(?:BY_NAME|BY_VALUE|BITS)): /.exec(line);
      return !m || used.has(m[1]!);
    })
    .join('\n');
}
