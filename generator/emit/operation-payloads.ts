// One request encoder and one reply decoder per operation mode, shared by the client and the codecs
// (templates/operation-payloads.hbs).
import type { Operation } from '../model.js';
import { docComment } from '../names.js';
import type { EmitContext } from './context.js';
import { render } from '../templates.js';
import { decodeMessageExpr } from './value-reads.js';

/** The request encoder and reply decoder functions of every operation mode. */
export function opPayloadFunctions(ctx: EmitContext): string {
  const payloads: object[] = [];
  for (const op of ctx.f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const om = op[mode];
      if (!om) continue;
      const { req, rep } = ctx.opPayloadTypes(op, mode);
      const decodes = om.reply !== undefined || mode === 'dump';
      payloads.push({
        encodeDoc: docComment([`Payload (after the nlmsghdr) of a \`${op.name}\` ${mode} request.`]),
        encodeFn: ctx.opFn('encreq', mode, op),
        request: req,
        statements: requestStatements(ctx, op, mode, om.request?.value ?? op.value),
        decodeDoc: decodes ? docComment([`Decodes one \`${op.name}\` ${mode} reply message.`]) : '',
        decodeFn: decodes ? ctx.opFn('decrep', mode, op) : '',
        reply: rep,
        decode: decodes ? decodeMessageExpr(ctx, ctx.layout(op), 'm') : '',
      });
    }
  }
  return render('operation-payloads.hbs', { payloads });
}

/**
 * The statements encoding an operation mode's request: keys checked (only the op's own request attributes and its
 * header's fields: a plain-JS caller's typo or an attribute this op does not take is an error, not dropped or sent),
 * then the genl header, the fixed header and the attributes.
 */
export function requestStatements(ctx: EmitContext, op: Operation, mode: 'do' | 'dump', cmd: number): string[] {
  const l = ctx.layout(op);
  const listed = (mode === 'do' ? op.do : op.dump)?.request.attributes ?? [];
  const keys = [...(l.fixed ? ctx.structKeys(l.fixed) : []), ...(l.set ? ctx.setKeys(l.set, listed) : [])];
  const lines = ['const w = new rt.AttrWriter();', `rt.checkKeys(rt.checkObject(request, ''), ${ctx.keySet(keys)}, '');`];
  if (ctx.isGenl) lines.push(`w.rawU8(${ctx.idConst(op, 'request', cmd)}); w.rawU8(${ctx.f.version ?? 1}); w.rawU16(0);`);
  if (l.fixed) lines.push(`${ctx.structFn('encode', l.fixed)}(w, request as any, '', true); w.rawZeros((4 - (w.length & 3)) & 3);`);
  if (l.set) lines.push(`${ctx.setFn('encode', l.set)}(w, request as any, '', {}, true);`);
  return lines;
}
