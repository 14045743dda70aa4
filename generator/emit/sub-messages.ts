// Sub-messages → the union of their formats, and a decoder and encoder switching on the selector's value
// (templates/sub-message.hbs).
import type { SubMessage } from '../model.js';
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { render } from '../templates.js';
import { formatDecode } from './value-reads.js';
import { formatType } from './value-types.js';
import { formatEncode } from './value-writes.js';

/** A sub-message's union type, decoder and encoder. */
export function subMessageDecl(ctx: EmitContext, m: SubMessage): string {
  const id = ctx.scope.get(`sub:${m.name}`)!;
  return render('sub-message.hbs', {
    doc: docComment([m.doc, `Payload formats of the \`${m.name}\` sub-message, chosen by a selector attribute's value; raw bytes for values this spec does not know.`]),
    id,
    union: [...new Set(m.formats.map((fmt) => formatType(ctx, fmt))), 'Uint8Array'].join(' | '),
    formats: m.formats.map((fmt) => ({ value: str(fmt.value), decode: formatDecode(ctx, fmt), encode: formatEncode(ctx, fmt, 'path') })),
  });
}
