// An attribute set's encoder: keys checked, attributes written in spec order, long sets in parts
// (templates/attr-set-encoder.hbs).
import type { AttrSet } from '../model.js';
import { docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { isInt } from './int-types.js';
import { attrWrite } from './value-writes.js';

/** Most statements one generated encoder function holds before the set is split into parts (see `setEncoder`). */
const ENCODE_RUN = 16;

export function setEncoder(ctx: EmitContext, s: AttrSet): string {
  const id = ctx.setType(s.name);
  const selectorNames = ctx.selectorNames;
  const lines: string[] = [];
  for (const a of s.attributes) {
    if (a.type === 'pad' || a.type === 'unused') continue;
    const prop = ctx.prop(s.name, a.name);
    const x = `o[${str(prop)}]`;
    const pp = `rt.join(path, ${str(prop)})`;
    if (selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type))) lines.push(`  if (${x} !== undefined) sel = { ...sel, ${propKey(a.name)}: ${x} };`);
    if (a.multiAttr) {
      lines.push(`  if (${x} !== undefined) rt.checkArray(${x}, ${pp}).forEach((it: any, i: number) => { const ip = \`\${${pp}}[\${i}]\`; ${attrWrite(ctx, s, a, 'it', 'ip')} });`);
    } else {
      // Read once into a block-scoped const: one property read, and one reference less for tsc to trace.
      lines.push(`  { const x = ${x}; if (x !== undefined) { ${attrWrite(ctx, s, a, 'x', pp)} } }`);
    }
    if (a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector)) {
      lines.push(`  if (o[${str(`${prop}Raw`)}] !== undefined) { const m = w.beginNest(${a.value}); w.rawBytes(rt.checkBytes(o[${str(`${prop}Raw`)}], ${pp})); w.endNest(m); }`);
    }
  }
  const unknownLine = `  if (o.$unknown !== undefined) rt.writeUnknown(w, o.$unknown, path);`;
  const fn = ctx.setFn('encode', s.name);
  // Selector values are a parameter every set encoder takes; one whose attributes never read it names it `_sel`.
  const selParam = (body: string) => (/\bsel\b/.test(body) ? 'sel' : '_sel');
  const head = (body: string) =>
    docComment([`Encodes the \`${s.name}\` attributes present in \`input\`, checking them against the spec first.`]) +
    `function ${fn}(w: rt.AttrWriter, input: Partial<${id}>, path: string, ${selParam(body)}: Record<string, unknown>, checked = false): void {\n` +
    `  const o: any = rt.checkObject(input, path);\n  if (!checked) rt.checkKeys(o, ${ctx.keySet(ctx.setKeys(s.name))}, path);\n${body}\n}\n`;
  if (lines.length <= ENCODE_RUN) return head([...lines, unknownLine].join('\n'));
  // Long sets are written in runs, each its own function: TypeScript's control-flow analysis walks every reference
  // back over each earlier `if` of its function, so one long if-chain costs the type-checker quadratic time (the
  // 340-attribute nl80211 set alone took a second). Runs keep that linear; the bytes and their order are the same.
  const calls: string[] = [];
  const parts: string[] = [];
  for (let i = 0; i * ENCODE_RUN < lines.length; i++) {
    const run = lines.slice(i * ENCODE_RUN, (i + 1) * ENCODE_RUN);
    const setsSel = run.some((l) => l.includes(' sel = { ...sel,'));
    calls.push(setsSel ? `  sel = ${fn}$${i}(w, o, path, sel);` : `  ${fn}$${i}(w, o, path, sel);`);
    const partBody = `${run.join('\n')}\n${setsSel ? '  return sel;\n' : ''}`;
    parts.push(
      `/** Part ${i} of {@link ${fn}}, in spec order${setsSel ? '; returns the selectors for the parts after it' : ''}. */\n` +
        `function ${fn}$${i}(w: rt.AttrWriter, o: any, path: string, ${selParam(partBody)}: Record<string, unknown>): ${setsSel ? 'Record<string, unknown>' : 'void'} {\n` +
        `${partBody}}\n`,
    );
  }
  return `${head([...calls, unknownLine].join('\n'))}${parts.join('')}`;
}


