// Sub-messages → the union of their formats, and a decoder and encoder switching on the selector's value
// (templates/sub-message.hbs).
import type { SubMessage } from '../model.js';
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { formatDecode } from './value-reads.js';
import { formatType } from './value-types.js';
import { formatEncode } from './value-writes.js';

export function subMessageDecl(ctx: EmitContext, m: SubMessage): string {
  const id = ctx.scope.get(`sub:${m.name}`)!;
  const members = m.formats.map((fmt) => formatType(ctx, fmt));
  const union = [...new Set(members), 'Uint8Array'].join(' | ');
  const fn = (k: string) => `${k}${id}`;
  const dec = m.formats
    .map((fmt) => `    case ${str(fmt.value)}: return ${formatDecode(ctx, fmt)};`)
    .join('\n');
  const enc = m.formats
    .map((fmt) => `    case ${str(fmt.value)}: {\n${formatEncode(ctx, fmt, 'path')}\n      return;\n    }`)
    .join('\n');
  return (
    `${docComment([m.doc, `Payload formats of the \`${m.name}\` sub-message, chosen by a selector attribute's value; raw bytes for values this spec does not know.`])}` +
    `export type ${id} = ${union};\n` +
    `function ${fn('decode')}(sel: unknown, d: Uint8Array, v: DataView, p: number, e: number, c: rt.DecodeContext): ${id} {\n` +
    `  switch (sel) {\n${dec}\n    default: return d.slice(p, e);\n  }\n}\n` +
    `function ${fn('encode')}(sel: unknown, w: rt.AttrWriter, x: ${id}, path: string, ctx: Record<string, unknown>): void {\n` +
    `  if (x instanceof Uint8Array) { w.rawBytes(x); return; }\n` +
    `  const o = x as Record<string, any>;\n` +
    `  switch (sel) {\n${enc}\n    default: throw new rt.ValidationError(path, \`no format for selector value \${String(sel)}; pass raw bytes\`);\n  }\n}\n`
  );
}

