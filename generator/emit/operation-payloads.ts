// One request encoder and one reply decoder per operation mode, shared by the client and the codecs
// (templates/operation-payloads.hbs).
import type { Operation } from '../model.js';
import { docComment } from '../names.js';
import type { EmitContext } from './context.js';
import { decodeMessageExpr } from './value-reads.js';

export function opPayloadFunctions(ctx: EmitContext): string {
  const out: string[] = [];
  for (const op of ctx.f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const om = op[mode];
      if (!om) continue;
      const { req, rep } = ctx.opPayloadTypes(op, mode);
      const cmd = om.request?.value ?? op.value;
      out.push(
        `${docComment([`Payload (after the nlmsghdr) of a \`${op.name}\` ${mode} request.`])}` +
          `function ${ctx.opFn('encreq', mode, op)}(request: ${req}): Uint8Array {\n  try {\n${encodeRequestBody(ctx, op, mode, cmd).replace(/^/gm, '  ')}\n    return w.finish();\n  } catch (e) {\n    throw rt.asValidationError(e);\n  }\n}\n`,
      );
      if (om.reply || mode === 'dump') {
        out.push(
          `${docComment([`Decodes one \`${op.name}\` ${mode} reply message.`])}` +
            `function ${ctx.opFn('decrep', mode, op)}(m: rt.MessageBytes, c: rt.DecodeContext): ${rep} {\n` +
            // Kernel bytes are untrusted: whatever goes wrong inside (a stack exhausted by deep nesting included)
            // leaves as a DecodeError.
            `  try {\n    return ${decodeMessageExpr(ctx, ctx.layout(op), 'm')} as ${rep};\n  } catch (e) {\n    throw rt.asDecodeError(e, m.start);\n  }\n}\n`,
        );
      }
    }
  }
  return out.join('');
}


export function encodeRequestBody(ctx: EmitContext, op: Operation, mode: 'do' | 'dump', cmd: number): string {
  const l = ctx.layout(op);
  const lines = ['  const w = new rt.AttrWriter();'];
  // Only the op's own request attributes and its header's fields: a plain-JS caller's typo or an attribute this op
  // does not take is an error here, not dropped or sent.
  const listed = (mode === 'do' ? op.do : op.dump)?.request.attributes ?? [];
  const keys = [...(l.fixed ? ctx.structKeys(l.fixed) : []), ...(l.set ? ctx.setKeys(l.set, listed) : [])];
  lines.push(`  rt.checkKeys(rt.checkObject(request, ''), ${ctx.keySet(keys)}, '');`);
  if (ctx.isGenl) lines.push(`  w.rawU8(${ctx.idConst(op, 'request', cmd)}); w.rawU8(${ctx.f.version ?? 1}); w.rawU16(0);`);
  if (l.fixed) lines.push(`  ${ctx.structFn('encode', l.fixed)}(w, request as any, '', true); w.rawZeros((4 - (w.length & 3)) & 3);`);
  if (l.set) lines.push(`  ${ctx.setFn('encode', l.set)}(w, request as any, '', {}, true);`);
  return lines.join('\n');
}

/** Name of an operation's request encoder (`encreq`) or reply decoder (`decrep`) function. */
