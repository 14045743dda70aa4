// Attribute sets → their object type (a union per same-level sub-message), decoder and encoder (templates/attr-set.hbs).
import type { AttrSet } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { setDecoder } from './attr-set-decoders.js';
import { setEncoder } from './attr-set-encoders.js';
import { render } from '../templates.js';
import { attrTsType, checkDoc, formatType } from './value-types.js';

/** An attribute set's type, decoder and encoder. */
export function setDecl(ctx: EmitContext, s: AttrSet): string {
  const id = ctx.setType(s.name);
  const live = s.attributes.filter((a) => a.type !== 'pad' && a.type !== 'unused');
  const sameLevelSubs = live.filter((a) => a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector));
  const subProps = new Set(sameLevelSubs.map((a) => a.name));
  const fields = live
    .filter((a) => !subProps.has(a.name))
    .map((a) => ({
      doc: docComment([a.doc, checkDoc(ctx, a), `Attribute ${a.value}${a.multiAttr ? ', repeated' : ''}.`], '  '),
      key: propKey(ctx.prop(s.name, a.name)),
      type: attrTsType(ctx, a),
    }));
  const setDoc = s.doc ?? `Attributes of the \`${s.name}\` set.`;
  const variants = sameLevelSubs.map((a, k) => {
    const sel = ctx.prop(s.name, a.selector!);
    const p = ctx.prop(s.name, a.name);
    const sm = ctx.subMessages.get(a.subMessage!)!;
    const known = sm.formats.map((fmt) => `  | { ${propKey(sel)}: ${str(fmt.value)}; ${propKey(p)}?: ${formatType(ctx, fmt)}; }`);
    known.push(`  | { ${propKey(sel)}?: string; ${propKey(p)}?: never; /** Payload of a ${sel} this spec does not know. */ ${propKey(`${p}Raw`)}?: Uint8Array; }`);
    // Groups after the first are indented one level deeper: the layout a TypeScript formatter gives them.
    return k === 0 ? `(\n${known.join('\n')}\n)` : `(\n${known.map((l) => `  ${l}`).join('\n')}\n  )`;
  });
  const type = render('attr-set.hbs', {
    id,
    name: variants.length > 0 ? `${id}Base` : id,
    doc: docComment([variants.length > 0 ? `Attributes of \`${s.name}\` other than its selected sub-messages.` : setDoc]),
    fields,
    variants: variants.join(' & '),
    unionDoc: docComment([setDoc, `Sub-messages are typed by their selector's value: narrow on it to get the matching payload type.`]),
  });
  return type + setDecoder(ctx, s) + setEncoder(ctx, s);
}

