// An attribute set's decoder: one switch over attribute numbers; same-level sub-messages decoded once their selector
// is known (templates/attr-set-decoder.hbs).
import type { AttrSet } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { isInt } from './int-types.js';
import { render } from '../templates.js';
import { attrRead } from './value-reads.js';

/** An attribute set's decoder function. */
export function setDecoder(ctx: EmitContext, s: AttrSet): string {
  const id = ctx.setType(s.name);
  const cases: { value: number; action: string }[] = [];
  const subs: object[] = [];
  const ref = (p: string) => (p.startsWith('[') ? `o${p}` : p.startsWith('"') ? `o[${p}]` : `o.${p}`);
  for (const a of s.attributes) {
    if (a.type === 'unused') continue;
    if (a.type === 'pad') {
      cases.push({ value: a.value, action: '' });
      continue;
    }
    const target = ref(propKey(ctx.prop(s.name, a.name)));
    if (a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector)) {
      const local = `sub${a.value}`;
      cases.push({ value: a.value, action: `${local}q = q; ${local}e = e; ` });
      const known = ctx.subMessages.get(a.subMessage!)!.formats.map((f) => `sel === ${str(f.value)}`);
      subs.push({
        local,
        selector: ref(propKey(ctx.prop(s.name, a.selector))),
        known: known.length > 0 ? known.join(' || ') : 'false',
        prop: str(ctx.prop(s.name, a.name)),
        subMessage: ctx.scope.get(`sub:${a.subMessage}`)!,
        rawProp: str(propKey(`${ctx.prop(s.name, a.name)}Raw`).replace(/^"|"$/g, '')),
      });
      continue;
    }
    const read = attrRead(ctx, s, a);
    const assign = a.multiAttr ? `(${target} ??= []).push(${read});` : `${target} = ${read};`;
    const selUpdate = ctx.selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type)) ? ` c = rt.withSelector(c, ${str(a.name)}, ${target});` : '';
    cases.push({ value: a.value, action: `${assign}${selUpdate} ` });
  }
  return render('attr-set-decoder.hbs', {
    doc: docComment([`Decodes the \`${s.name}\` attributes in \`[p, end)\`.`]),
    fn: ctx.setFn('decode', s.name),
    id,
    fresh: ctx.shapeOf.has(s.name) ? `new ${ctx.shapeOf.get(s.name)}(false)` : '{}',
    objectType: s.name && ctx.unionSets.has(s.name) ? 'any' : id,
    setName: str(s.name),
    cases,
    subs,
  });
}
