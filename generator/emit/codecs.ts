// `<Family>Codecs`: the family's encoders and decoders as one frozen object, usable without a socket
// (templates/codecs.hbs).
import { NameScope, camelCase, docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';

export function codecs(ctx: EmitContext): string {
  const id = ctx.scope.get('codecs')!;
  const structKeys = new NameScope();
  const structs = [...ctx.structs.values()].map((s) => {
    const t = ctx.defName(s.name);
    return `${docComment([`\`${s.name}\` (${s.size} byte${s.size === 1 ? '' : 's'}).`], '    ')}    ${propKey(structKeys.claim(s.name, camelCase(s.name)))}: rt.structCodec<${t}>(${str(s.name)}, ${s.size}, ${ctx.structFn('encode', s.name)}, ${ctx.structFn('decode', s.name)}),`;
  });
  const setKeys = new NameScope();
  const sets = [...ctx.sets.values()].map((s) => {
    const t = ctx.setType(s.name);
    return `${docComment([`The \`${s.name}\` attributes.`], '    ')}    ${propKey(setKeys.claim(s.name, camelCase(s.name)))}: rt.attrSetCodec<${t}>(${str(s.name)}, ${ctx.setFn('encode', s.name)}, ${ctx.setFn('decode', s.name)}),`;
  });
  const opKeys = new NameScope();
  const ops = ctx.f.operations.list
    .filter((op) => op.do || op.dump)
    .map((op) => {
      const modes: string[] = [];
      for (const mode of ['do', 'dump'] as const) {
        const om = op[mode];
        if (!om) continue;
        const { req, rep } = ctx.opPayloadTypes(op, mode);
        const enc = ctx.opFn('encreq', mode, op);
        modes.push(
          om.reply
            ? `      ${mode}: rt.messageCodec<${req}, ${rep}>(${enc}, ${ctx.opFn('decrep', mode, op)}),`
            : `      ${mode}: rt.requestCodec<${req}>(${enc}),`,
        );
      }
      return `${docComment([`\`${op.name}\`.`], '    ')}    ${propKey(opKeys.claim(op.name, camelCase(op.name)))}: Object.freeze({\n${modes.join('\n')}\n    }),`;
    });
  return (
    `${docComment([
      `Encoders and decoders of the ${ctx.f.name} family, usable without a socket: the same code {@link ${ctx.clientName}} runs.`,
      'Build a request payload (`operations.<op>.do.encodeRequest`), decode a captured reply (`decodeReply`), or code one struct or attribute set on its own. Keys are the camelCase spec names.',
    ])}` +
    `export const ${id} = Object.freeze({\n` +
    `  /** Fixed-layout structs by name. */\n  structs: Object.freeze({\n${structs.join('\n')}\n  }),\n` +
    `  /** Attribute sets by name (attributes only, no header). */\n  attributeSets: Object.freeze({\n${sets.join('\n')}\n  }),\n` +
    `  /** Operations by name: \`do\` and/or \`dump\`, each a request encoder (payload after the nlmsghdr) and, when the op has a reply, its decoder. */\n` +
    `  operations: Object.freeze({\n${ops.join('\n')}\n  }),\n});\n`
  );
}

/** Where a message's payload parts are: genl header, fixed header struct, attributes. */
