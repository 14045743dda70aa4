// An attribute set's encoder: keys checked, attributes written in spec order, long sets in parts
// (templates/attr-set-encoder.hbs).
import type { AttrSet } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { isInt } from './int-types.js';
import { render } from '../templates.js';
import { attrWrite } from './value-writes.js';

/** Most statements one generated encoder function holds before the set is split into parts (see `setEncoder`). */
const ENCODE_RUN = 16;

/** An attribute set's encoder function (and its parts, for long sets). */
export function setEncoder(ctx: EmitContext, s: AttrSet): string {
  const lines: string[] = [];
  for (const a of s.attributes) {
    if (a.type === 'pad' || a.type === 'unused') continue;
    const prop = ctx.prop(s.name, a.name);
    const x = `o[${str(prop)}]`;
    const pp = `rt.join(path, ${str(prop)})`;
    if (ctx.selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type))) lines.push(`if (${x} !== undefined) sel = { ...sel, ${propKey(a.name)}: ${x} };`);
    if (a.multiAttr) {
      lines.push(`if (${x} !== undefined) rt.checkArray(${x}, ${pp}).forEach((it: any, i: number) => { const ip = \`\${${pp}}[\${i}]\`; ${attrWrite(ctx, s, a, 'it', 'ip')} });`);
    } else {
      // Read once into a block-scoped const: one property read, and one reference less for tsc to trace.
      lines.push(`{ const x = ${x}; if (x !== undefined) { ${attrWrite(ctx, s, a, 'x', pp)} } }`);
    }
    if (a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector)) {
      lines.push(`if (o[${str(`${prop}Raw`)}] !== undefined) { const m = w.beginNest(${a.value}); w.rawBytes(rt.checkBytes(o[${str(`${prop}Raw`)}], ${pp})); w.endNest(m); }`);
    }
  }
  const fn = ctx.setFn('encode', s.name);
  const selParam = (statements: string[]) => (statements.some((l) => /\bsel\b/.test(l)) ? 'sel' : '_sel');
  const parts: { index: number; statements: string[]; setsSel: boolean; selParam: string }[] = [];
  let statements = lines;
  if (lines.length > ENCODE_RUN) {
    statements = [];
    for (let i = 0; i * ENCODE_RUN < lines.length; i++) {
      const run = lines.slice(i * ENCODE_RUN, (i + 1) * ENCODE_RUN);
      const setsSel = run.some((l) => l.includes(' sel = { ...sel,'));
      statements.push(setsSel ? `sel = ${fn}$${i}(w, o, path, sel);` : `${fn}$${i}(w, o, path, sel);`);
      parts.push({ index: i, statements: run, setsSel, selParam: setsSel ? 'sel' : selParam(run) });
    }
  }
  return render('attr-set-encoder.hbs', {
    doc: docComment([`Encodes the \`${s.name}\` attributes present in \`input\`, checking them against the spec first.`]),
    fn,
    fnLink: `{@link ${fn}}`,
    id: ctx.setType(s.name),
    selParam: selParam(statements),
    keys: ctx.keySet(ctx.setKeys(s.name)),
    statements,
    parts,
  });
}
