// Decoded object shapes: constructors V8 sizes for every property a message may carry, and the header decoders that
// fill such an object before its attributes (templates/object-shape.hbs, templates/header-into.hbs).
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { usesView } from './structs.js';
import { memberRead } from './value-reads.js';

export function shapes(ctx: EmitContext): string {
  const out: string[] = [];
  const headers = new Set([...ctx.headersOf.values()].flat());
  for (const h of [...ctx.structs.keys()].filter((x) => headers.has(x))) {
    const st = ctx.structs.get(h)!;
    const id = ctx.defName(h);
    const reads = ctx.structProps(st).map(([m, p]) => `  x[${str(p)}] = ${memberRead(ctx, m)};`);
    // As in the plain struct decoder: a short payload is read from a zero-filled copy by every member.
    const body = `  const x = out as Record<string, unknown>;\n${reads.join('\n')}\n  return out as ${id};\n`;
    out.push(
      `/** Decodes {@link ${id}} from \`[p, e)\` into \`out\`, the message object its attributes are decoded into next; a short payload reads as zero-filled. */\n` +
        `function ${ctx.structFn('decode', h)}$into(out: object, d: Uint8Array, ${usesView(body) ? 'v' : '_v'}: DataView, p: number, e: number): ${id} {\n` +
        `  let o = p;\n` +
        `  if (e - p < ${st.size}) [d, ${usesView(body) ? 'v' : '_v'}, o] = rt.structView(d, p, e, ${st.size});\n` +
        body +
        `}\n`,
    );
  }
  for (const [set, shape] of ctx.shapeOf) {
    const props = new Set<string>();
    for (const h of ctx.headersOf.get(set) ?? []) for (const [, p] of ctx.structProps(ctx.structs.get(h)!)) props.add(p);
    for (const a of ctx.sets.get(set)!.attributes) if (a.type !== 'pad' && a.type !== 'unused') props.add(ctx.prop(set, a.name));
    // Bracket access: the constructor's `this` is a Record, and strict configs forbid dotted index-signature access.
    const lines = [...props].map((p) => `this[${str(p)}] = undefined;`);
    out.push(
      docComment([
        `Makes the empty plain objects \`${set}\` attributes are decoded into. V8 gives an object made by \`new\` room for\nevery property its constructor assigns, although these lines never run: attributes are stored in place instead of\nin a property array grown and copied every few attributes.`,
      ]) +
        `const ${shape} = rt.objectShape(function(this: Record<string, unknown>, never: boolean) {\n  if (never) {\n${lines.map((l) => `    ${l}`).join('\n')}\n  }\n});\n`,
    );
  }
  return out.join('\n');
}

/** Expression decoding NetlinkMessage `m` with a given layout (uses `c` for the decode context). */
