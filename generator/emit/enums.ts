// Enums and flags → a frozen name → value object, its name union, and the lookup tables codecs use (templates/enum.hbs).
import type { EnumDef } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { numLit } from './int-types.js';
import { render } from '../templates.js';

/** An enum's or flags' declaration and lookup tables. */
export function enumDecl(ctx: EmitContext, e: EnumDef): string {
  const id = ctx.defName(e.name);
  const integerNames = e.entries.some((x) => /^(0|[1-9][0-9]*)$/.test(x.name));
  return render('enum.hbs', {
    doc: docComment([e.doc, e.kind === 'flags' ? 'Bit flags: values are masks; attributes carry them as an array of names.' : undefined]),
    id,
    entries: e.entries.map((x) => ({ doc: docComment([x.doc], '  '), key: propKey(x.name), value: numLit(x.value, false) })),
    namesDoc: docComment([`Names of {@link ${id}}.`]),
    union: e.entries.length > 0 ? e.entries.map((x) => str(x.name)).join(' | ') : 'never',
    byValue: integerNames ? e.entries.map((x) => `[${numLit(x.value, false)}, ${str(x.name)}]`).join(', ') : '',
    bits: integerNames ? e.entries.map((x) => `[${str(x.name)}, ${numLit(x.value, false)}]`).join(', ') : '',
  });
}

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
