// Attribute names per set and sub-message formats as JSON strings, for mapping extack offsets to property paths
// (templates/name-tables.hbs).
import { jsonString } from '../names.js';
import type { EmitContext } from './context.js';
import { align4 } from './int-types.js';
import { render } from '../templates.js';

/** The extack name tables and the enum tables registered while emitting. */
export function nameTables(ctx: EmitContext): string {
  const sets = [...ctx.sets.values()].map((s) => {
    const entries = s.attributes
      .filter((a) => a.type !== 'pad' && a.type !== 'unused')
      .map((a) => {
        const p = ctx.prop(s.name, a.name);
        if ((a.type === 'nest' || a.type === 'nest-type-value') && a.nestedAttributes) {
          return [a.value, p, a.type === 'nest' ? 'nest' : 'type-value', a.nestedAttributes];
        }
        if (a.type === 'indexed-array' && a.subType === 'nest' && a.nestedAttributes) return [a.value, p, 'array', a.nestedAttributes];
        if (a.type === 'sub-message' && a.subMessage) return a.selector ? [a.value, p, 'sub', a.subMessage, a.selector] : [a.value, p, 'sub', a.subMessage];
        return [a.value, p, 'leaf'];
      });
    const byName = s.attributes.map((a) => [a.name, a.value]);
    return `  ${jsonString([s.name, entries, byName])},`;
  });
  const subs = [...ctx.subMessages.values()].map((m) => {
    const formats = m.formats.map((f) => [f.value, f.attributeSet ?? null, f.fixedHeader ? align4(ctx.structs.get(f.fixedHeader)!.size) : 0]);
    return `  ${jsonString([m.name, formats])},`;
  });
  const list = (rows: string[]) => (rows.length === 0 ? '[]' : `[\n${rows.join('\n')}\n]`);
  return render('name-tables.hbs', { sets: list(sets), subs: list(subs), extraTables: [...ctx.extraTables.values()].join('') });
}

