// `<Family>Codecs`: the family's encoders and decoders as one frozen object, usable without a socket
// (templates/codecs.hbs).
import { NameScope, camelCase, docComment, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { render } from '../templates.js';

/** The family's `<Family>Codecs` object. */
export function codecs(ctx: EmitContext): string {
  const structKeys = new NameScope();
  const setKeys = new NameScope();
  const opKeys = new NameScope();
  return render('codecs.hbs', {
    doc: docComment([
      `Encoders and decoders of the ${ctx.f.name} family, usable without a socket: the same code {@link ${ctx.clientName}} runs.`,
      'Build a request payload (`operations.<op>.do.encodeRequest`), decode a captured reply (`decodeReply`), or code one struct or attribute set on its own. Keys are the camelCase spec names.',
    ]),
    id: ctx.scope.get('codecs')!,
    structs: [...ctx.structs.values()].map((s) => ({
      doc: docComment([`\`${s.name}\` (${s.size} byte${s.size === 1 ? '' : 's'}).`], '    '),
      key: propKey(structKeys.claim(s.name, camelCase(s.name))),
      type: ctx.defName(s.name),
      name: str(s.name),
      size: s.size,
      encodeFn: ctx.structFn('encode', s.name),
      decodeFn: ctx.structFn('decode', s.name),
    })),
    sets: [...ctx.sets.values()].map((s) => ({
      doc: docComment([`The \`${s.name}\` attributes.`], '    '),
      key: propKey(setKeys.claim(s.name, camelCase(s.name))),
      type: ctx.setType(s.name),
      name: str(s.name),
      encodeFn: ctx.setFn('encode', s.name),
      decodeFn: ctx.setFn('decode', s.name),
    })),
    operations: ctx.f.operations.list
      .filter((op) => op.do || op.dump)
      .map((op) => ({
        doc: docComment([`\`${op.name}\`.`], '    '),
        key: propKey(opKeys.claim(op.name, camelCase(op.name))),
        modes: (['do', 'dump'] as const)
          .filter((mode) => op[mode])
          .map((mode) => {
            const { req, rep } = ctx.opPayloadTypes(op, mode);
            return { mode, request: req, reply: rep, encodeFn: ctx.opFn('encreq', mode, op), decodeFn: op[mode]!.reply ? ctx.opFn('decrep', mode, op) : '' };
          }),
      })),
  });
}

