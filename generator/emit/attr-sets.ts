// Attribute sets → their object type (a union per same-level sub-message), decoder and encoder (templates/attr-set.hbs).
import type { AttrSet } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { setDecoder } from './attr-set-decoders.js';
import { setEncoder } from './attr-set-encoders.js';
import { attrTsType, checkDoc, formatType } from './value-types.js';

export function setDecl(ctx: EmitContext, s: AttrSet): string {
  const id = ctx.setType(s.name);
  const live = s.attributes.filter((a) => a.type !== 'pad' && a.type !== 'unused');
  const sameLevelSubs = live.filter((a) => a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector));
  const subProps = new Set(sameLevelSubs.map((a) => a.name));
  const fieldLines = live
    .filter((a) => !subProps.has(a.name))
    .map((a) => `${docComment([a.doc, checkDoc(ctx, a), `Attribute ${a.value}${a.multiAttr ? ', repeated' : ''}.`], '  ')}  ${propKey(ctx.prop(s.name, a.name))}?: ${attrTsType(ctx, a)};`);
  fieldLines.push('  /** Attributes this spec does not describe, kept verbatim (type number and payload). */\n  $unknown?: rt.UnknownAttr[];');
  let decl: string;
  if (sameLevelSubs.length === 0) {
    decl = `${docComment([s.doc ?? `Attributes of the \`${s.name}\` set.`])}export interface ${id} {\n${fieldLines.join('\n')}\n}\n`;
  } else {
    // Each same-level sub-message becomes a union discriminated by its selector's value.
    const base = `${id}Base`;
    const variants = sameLevelSubs.map((a, k) => {
      const sel = ctx.prop(s.name, a.selector!);
      const p = ctx.prop(s.name, a.name);
      const sm = ctx.subMessages.get(a.subMessage!)!;
      const known = sm.formats.map((fmt) => `  | { ${propKey(sel)}: ${str(fmt.value)}; ${propKey(p)}?: ${formatType(ctx, fmt)}; }`);
      known.push(`  | { ${propKey(sel)}?: string; ${propKey(p)}?: never; /** Payload of a ${sel} this spec does not know. */ ${propKey(`${p}Raw`)}?: Uint8Array; }`);
      // Groups after the first are indented one level deeper: the layout a TypeScript formatter gives them.
      return k === 0 ? `(\n${known.join('\n')}\n)` : `(\n${known.map((l) => `  ${l}`).join('\n')}\n  )`;
    });
    decl =
      `${docComment([`Attributes of \`${s.name}\` other than its selected sub-messages.`])}export interface ${base} {\n${fieldLines.join('\n')}\n}\n` +
      `${docComment([s.doc ?? `Attributes of the \`${s.name}\` set.`, `Sub-messages are typed by their selector's value: narrow on it to get the matching payload type.`])}` +
      `export type ${id} = ${base} & ${variants.join(' & ')};\n`;
  }
  return decl + setDecoder(ctx, s) + setEncoder(ctx, s);
}

/** TS type of one sub-message format: its fixed header's fields and/or its attributes. */
