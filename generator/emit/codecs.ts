// `<Family>Codecs`: the family's encoders and decoders as one frozen object, usable without a socket
// (templates/codecs.hbs).
import { NameScope, camelCase, docComment, objectLiteral, propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { jsonFnOf } from './json-writers.js';
import { render } from '../templates.js';

/** The family's `<Family>Codecs` object. */
export function codecs(ctx: EmitContext): string {
  const structKeys = new NameScope();
  const setKeys = new NameScope();
  const opKeys = new NameScope();
  const ntfKeys = new NameScope();
  const structKey = new Map([...ctx.structs.keys()].map((n) => [n, structKeys.claim(n, camelCase(n))]));
  const setKey = new Map([...ctx.sets.keys()].map((n) => [n, setKeys.claim(n, camelCase(n))]));
  const keyOr = (m: Map<string, string>, name: string | undefined) => (name !== undefined && m.has(name) ? str(m.get(name)!) : 'undefined');
  const f = ctx.f;
  return render('codecs.hbs', {
    doc: docComment([
      `Encoders and decoders of the ${f.name} family, usable without a socket: the same code {@link ${ctx.clientName}} runs.`,
      'Build a request payload (`operations.<op>.do.encodeRequest`), decode a captured reply (`decodeReply`), or code one struct or attribute set on its own. Keys are the camelCase spec names.',
    ]),
    id: ctx.scope.get('codecs')!,
    structs: [...ctx.structs.values()].map((s) => ({
      doc: docComment([`\`${s.name}\` (${s.size} byte${s.size === 1 ? '' : 's'}).`], '    '),
      key: propKey(structKey.get(s.name)!),
      type: ctx.defName(s.name),
      name: str(s.name),
      size: s.size,
      encodeFn: ctx.structFn('encode', s.name),
      decodeFn: ctx.structFn('decode', s.name),
    })),
    sets: [...ctx.sets.values()].map((s) => ({
      doc: docComment([`The \`${s.name}\` attributes.`], '    '),
      key: propKey(setKey.get(s.name)!),
      type: ctx.setType(s.name),
      name: str(s.name),
      encodeFn: ctx.setFn('encode', s.name),
      decodeFn: ctx.setFn('decode', s.name),
    })),
    operations: f.operations.list
      .filter((op) => op.do || op.dump)
      .map((op) => ({
        doc: docComment([`\`${op.name}\`.`], '    '),
        key: propKey(opKeys.claim(op.name, camelCase(op.name))),
        modes: (['do', 'dump'] as const)
          .filter((mode) => op[mode])
          .map((mode) => {
            const om = op[mode]!;
            const { req, rep } = ctx.opPayloadTypes(op, mode);
            const l = ctx.layout(op);
            const layout = `{ request: ${om.request?.value ?? op.value}, reply: ${om.reply ? om.reply.value : 'undefined'}, header: ${keyOr(structKey, l.fixed)}, attributes: ${keyOr(setKey, l.set)} }`;
            return { mode, request: req, reply: rep, encodeFn: ctx.opFn('encreq', mode, op), decodeFn: om.reply ? ctx.opFn('decrep', mode, op) : '', jsonFn: jsonFnOf(ctx.opFn('decrep', mode, op)), layout };
          }),
      })),
    notifications: ctx.notifications().map(({ op, id }) => {
      const l = ctx.notifyLayout(op);
      return {
        key: propKey(ntfKeys.claim(op.name, camelCase(op.name))),
        name: str(op.name),
        type: id,
        header: keyOr(structKey, l.fixed),
        attributes: keyOr(setKey, l.set),
        group: op.mcgrp !== undefined ? str(op.mcgrp) : 'undefined',
      };
    }),
    family: str(f.name),
    protocol: str(f.protocol),
    protonum: f.protonum,
    kernelFamily: ctx.isGenl ? str(f.kernelFamily ?? f.name) : 'undefined',
    version: ctx.isGenl ? f.version ?? 1 : 'undefined',
    groups: objectLiteral(Object.fromEntries(f.mcastGroups.map((g) => [g.name, g.value ?? null]))),
  });
}

