// Fixed-layout structs → an interface, a decoder at fixed offsets, an encoder writing sizeof bytes (templates/struct.hbs).
import type { StructDef, StructMember } from '../model.js';
import { camelCase, docComment, propKey } from '../names.js';
import type { EmitContext } from './context.js';
import { render } from '../templates.js';
import { memberRead } from './value-reads.js';
import { memberTsType } from './value-types.js';
import { memberWrite } from './value-writes.js';

/** A struct's interface, decoder and encoder. */
export function structDecl(ctx: EmitContext, s: StructDef): string {
  const id = ctx.defName(s.name);
  const { local, members } = ctx.structMembers(s);
  const clashNote = (m: StructMember) => `Named after its struct: an attribute sent in the same message is also called \`${camelCase(m.name)}\`.`;
  const reads = members.map(({ m, p }) => ({ key: propKey(p), read: memberRead(ctx, m) }));
  const writes: string[] = [];
  let at = 0;
  for (const m of s.members) {
    if (m.offset > at) writes.push(`  w.rawZeros(${m.offset - at});`);
    writes.push(memberWrite(ctx, m, m.type === 'pad' ? '' : local.get(m.name)!));
    at = Math.max(at, m.offset + m.size);
  }
  if (s.size > at) writes.push(`  w.rawZeros(${s.size - at});`);
  return render('struct.hbs', {
    doc: docComment([s.doc, `Packed C struct, ${s.size} bytes.`]),
    id,
    idLink: `{@link ${id}}`,
    size: s.size,
    fields: members.map(({ m, p, clash }) => ({ doc: docComment([m.doc, clash ? clashNote(m) : undefined], '  '), key: propKey(p), type: memberTsType(ctx, m) })),
    decodeFn: ctx.structFn('decode', s.name),
    encodeFn: ctx.structFn('encode', s.name),
    view: reads.some((r) => usesView(r.read)) ? 'v' : '_v',
    reads,
    keys: ctx.keySet(ctx.structKeys(s.name)),
    writes,
  });
}

/** Whether generated statements read through the DataView `v` (else the parameter is named `_v`: strict configs flag unused parameters). */
export function usesView(code: string): boolean {
  return /\bv\b/.test(code);
}
