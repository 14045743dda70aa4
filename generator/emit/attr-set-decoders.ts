// An attribute set's decoder: one switch over attribute numbers; same-level sub-messages decoded once their selector
// is known (templates/attr-set-decoder.hbs).
import type { AttrSet } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { isInt } from './int-types.js';
import { attrRead } from './value-reads.js';

export function setDecoder(ctx: EmitContext, s: AttrSet): string {
  const id = ctx.setType(s.name);
  const cases: string[] = [];
  const deferred: string[] = [];
  const selectorNames = ctx.selectorNames;
  const locals: string[] = [];
  for (const a of s.attributes) {
    if (a.type === 'unused') continue;
    if (a.type === 'pad') {
      cases.push(`      case ${a.value}: break;`);
      continue;
    }
    const p = propKey(ctx.prop(s.name, a.name));
    const target = p.startsWith('[') ? `o${p}` : p.startsWith('"') ? `o[${p}]` : `o.${p}`;
    const sameLevel = a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector);
    if (sameLevel) {
      // The selector may come after the sub-message on the wire: decode it once the loop has seen both.
      const local = `sub${a.value}`;
      locals.push(`  let ${local}q = -1, ${local}e = -1;`);
      cases.push(`      case ${a.value}: ${local}q = q; ${local}e = e; break;`);
      const selProp = propKey(ctx.prop(s.name, a.selector!));
      const selRef = selProp.startsWith('[') ? `o${selProp}` : selProp.startsWith('"') ? `o[${selProp}]` : `o.${selProp}`;
      const sm = ctx.scope.get(`sub:${a.subMessage}`)!;
      const known = ctx.subMessages.get(a.subMessage!)!.formats.map((f) => str(f.value));
      const rawProp = propKey(`${ctx.prop(s.name, a.name)}Raw`);
      deferred.push(
        `  if (${local}q >= 0) {\n` +
          `    const sel = ${selRef};\n` +
          `    if (${known.length > 0 ? `${known.map((k) => `sel === ${k}`).join(' || ')}` : 'false'}) (o as any)[${str(ctx.prop(s.name, a.name))}] = decode${sm}(sel, d, v, ${local}q, ${local}e, c);\n` +
          `    else (o as any)[${str(rawProp.replace(/^"|"$/g, ''))}] = rt.bytes(d, ${local}q, ${local}e);\n` +
          `  }`,
      );
      continue;
    }
    const read = attrRead(ctx, s, a);
    const assign = a.multiAttr ? `(${target} ??= []).push(${read});` : `${target} = ${read};`;
    const selUpdate = selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type)) ? ` c = rt.withSelector(c, ${str(a.name)}, ${target});` : '';
    cases.push(`      case ${a.value}: ${assign}${selUpdate} break;`);
  }
  return (
    docComment([`Decodes the \`${s.name}\` attributes in \`[p, end)\`.`]) +
    `function ${ctx.setFn('decode', s.name)}(d: Uint8Array, v: DataView, p: number, end: number, c: rt.DecodeContext, into?: object): ${id} {\n` +
    `  const o = (into ?? ${ctx.shapeOf.has(s.name) ? `new ${ctx.shapeOf.get(s.name)}(false)` : '{}'}) as ${s.name && ctx.unionSets.has(s.name) ? 'any' : id};\n${locals.join('\n')}${locals.length ? '\n' : ''}` +
    `  while (p < end) {\n` +
    `    const e = rt.attrEnd(v, p, end);\n` +
    `    const q = p + 4;\n` +
    `    const t = v.getUint16(p + 2, true) & 0x3fff;\n` +
    `    switch (t) {\n${cases.join('\n')}\n` +
    `      default: if (c.strict) rt.unknownAttr(${str(s.name)}, t, p); (o.$unknown ??= []).push({ type: t, data: d.slice(q, e) });\n` +
    `    }\n    p = (e + 3) & ~3;\n  }\n${deferred.join('\n')}${deferred.length ? '\n' : ''}  return o;\n}\n`
  );
}

/** Statements that encode one value `x` of attribute `a` at `path` (pp). */
