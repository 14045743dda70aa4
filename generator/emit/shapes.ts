// Decoded object shapes: constructors V8 sizes for every property a message may carry, and the header decoders that
// fill such an object before its attributes (templates/object-shape.hbs, templates/header-into.hbs).
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { usesView } from './structs.js';
import { render } from '../templates.js';
import { memberRead } from './value-reads.js';

/** The header decoders that fill a message object, then the object shapes. */
export function shapes(ctx: EmitContext): string {
  const out: string[] = [];
  const headers = new Set([...ctx.headersOf.values()].flat());
  for (const h of [...ctx.structs.keys()].filter((x) => headers.has(x))) {
    const st = ctx.structs.get(h)!;
    const id = ctx.defName(h);
    const reads = ctx.structProps(st).map(([m, p]) => ({ key: str(p), read: memberRead(ctx, m) }));
    out.push(
      render('header-into.hbs', {
        id,
        idLink: `{@link ${id}}`,
        fn: ctx.structFn('decode', h),
        size: st.size,
        view: reads.some((r) => usesView(r.read)) ? 'v' : '_v',
        reads,
      }),
    );
  }
  for (const [set, shape] of ctx.shapeOf) {
    const props = new Set<string>();
    for (const h of ctx.headersOf.get(set) ?? []) for (const [, p] of ctx.structProps(ctx.structs.get(h)!)) props.add(p);
    for (const a of ctx.sets.get(set)!.attributes) if (a.type !== 'pad' && a.type !== 'unused') props.add(ctx.prop(set, a.name));
    out.push(
      render('object-shape.hbs', {
        doc: docComment([
          `Makes the empty plain objects \`${set}\` attributes are decoded into. V8 gives an object made by \`new\` room for\nevery property its constructor assigns, although these lines never run: attributes are stored in place instead of\nin a property array grown and copied every few attributes.`,
        ]),
        shape,
        props: [...props].map((p) => str(p)),
      }),
    );
  }
  return out.join('\n');
}
