// Fixed-layout structs → an interface, a decoder at fixed offsets, an encoder writing sizeof bytes (templates/struct.hbs).
import type { StructDef, StructMember } from '../model.js';
import { camelCase, docComment, propKey } from '../names.js';
import type { EmitContext } from './context.js';
import { memberRead } from './value-reads.js';
import { memberTsType } from './value-types.js';
import { memberWrite } from './value-writes.js';

export function structDecl(ctx: EmitContext, s: StructDef): string {
  const id = ctx.defName(s.name);
  const { local, members } = ctx.structMembers(s);
  const clashNote = (m: StructMember) => `Named after its struct: an attribute sent in the same message is also called \`${camelCase(m.name)}\`.`;
  const fields = members.map(({ m, p, clash }) => `${docComment([m.doc, clash ? clashNote(m) : undefined], '  ')}  ${propKey(p)}: ${memberTsType(ctx, m)};`).join('\n');
  const iface =
    `${docComment([s.doc, `Packed C struct, ${s.size} bytes.`])}export interface ${id} {\n${fields}\n` +
    `  /** Bytes past the end of the struct as this spec knows it (sent by a newer kernel); kept, never lost. */\n  $extra?: Uint8Array;\n}\n`;
  // Decoder: fixed offsets; short payloads are zero-filled, longer ones keep their tail.
  const reads = members.map(({ m, p }) => `    ${propKey(p)}: ${memberRead(ctx, m)},`).join('\n');
  const decode =
    `/** Decodes {@link ${id}} from \`[p, e)\`; tolerates a short or longer payload. */\n` +
    `function ${ctx.structFn('decode', s.name)}(d: Uint8Array, ${usesView(reads) ? 'v' : '_v'}: DataView, p: number, e: number): ${id} {\n` +
    // Locals instead of a destructured array: no allocation per call on the common, full-size path.
    // A short payload is read from a zero-filled copy: `d`, `v` and `o` then all refer to the copy (members that are
    // structs themselves included), never to the bytes after the payload.
    `  const full = e - p >= ${s.size};\n` +
    `  let o = p;\n` +
    `  if (!full) [d, ${usesView(reads) ? 'v' : '_v'}, o] = rt.structView(d, p, e, ${s.size});\n` +
    `  const out: ${id} = {\n${reads}\n  };\n` +
    `  if (full && e - p > ${s.size}) out.$extra = d.slice(p + ${s.size}, e);\n` +
    `  return out;\n}\n`;
  // Members go at their C offsets: alignment gaps and trailing padding that the spec leaves implicit are zeros,
  // so the encoder always writes sizeof bytes (what the kernel checks) and the decoder's offsets line up.
  const writeLines: string[] = [];
  let at = 0;
  for (const m of s.members) {
    if (m.offset > at) writeLines.push(`  w.rawZeros(${m.offset - at});`);
    writeLines.push(memberWrite(ctx, m, m.type === 'pad' ? '' : local.get(m.name)!));
    at = Math.max(at, m.offset + m.size);
  }
  if (s.size > at) writeLines.push(`  w.rawZeros(${s.size - at});`);
  const writes = writeLines.join('\n');
  const encode =
    `/** Writes {@link ${id}} (missing fields are zero). */\n` +
    `function ${ctx.structFn('encode', s.name)}(w: rt.AttrWriter, s: Partial<${id}>, path: string, checked = false): void {\n` +
    `  rt.checkObject(s, path);\n  if (!checked) rt.checkKeys(s, ${ctx.keySet(ctx.structKeys(s.name))}, path);\n${writes}\n` +
    `  if (s.$extra !== undefined) w.rawBytes(rt.checkBytes(s.$extra, rt.join(path, '$extra')));\n}\n`;
  return iface + decode + encode;
}

/** Whether generated statements read through the DataView `v` (else the parameter is named `_v`: strict configs flag unused parameters). */
export function usesView(code: string): boolean {
  return /\bv\b/.test(code);
}
