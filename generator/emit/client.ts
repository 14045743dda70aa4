// The client class: `open`, one method per do and dump, typed subscriptions and notification decoding
// (templates/client.hbs).
import type { Operation } from '../model.js';
import { docComment, objectLiteral, str } from '../names.js';
import type { EmitContext } from './context.js';
import { decodeMessageExpr } from './value-reads.js';

export function client(ctx: EmitContext): string {
  const f = ctx.f;
  const C = ctx.clientName;
  const methods: string[] = [];
  for (const op of f.operations.list) {
    if (op.do) methods.push(doMethod(ctx, op));
    if (op.dump) methods.push(dumpMethod(ctx, op));
  }
  const ntfs = ctx.notifications();
  const ntfCases = ntfs.map(({ op, id }) => `      case ${ctx.idConst(op, 'notification', id)}: return { name: ${str(op.name)}, msg: ${decodeMessageExpr(ctx, ctx.notifyLayout(op), 'm')} as ${ctx.scope.get(`ntf:${op.name}`)} };`);
  const nType = ctx.scope.get('notification')!;
  const gType = ctx.scope.get('group')!;
  const staticGroups = Object.fromEntries(f.mcastGroups.filter((g) => g.value !== undefined).map((g) => [g.name, g.value]));
  const openSocket = ctx.isGenl
    ? `    const socket = await rt.NetlinkSocket.open(rt.NETLINK_GENERIC, options);\n` +
      `    try {\n      const fam = await rt.resolveFamily(socket, ${str(f.kernelFamily ?? f.name)});\n      return new ${C}(socket, fam.id, fam.mcastGroups, options.strictDecoding ?? false, ATTR_NAMES);\n` +
      `    } catch (err) {\n      socket.close();\n      throw err;\n    }`
    : `    const socket = await rt.NetlinkSocket.open(${f.protonum}, options);\n    return new ${C}(socket, 0, new Map(), options.strictDecoding ?? false, ATTR_NAMES);`;
  return (
    `${docComment([`Client for the ${f.name} family (${f.protocol}).`, f.doc, `Open with {@link ${C}.open}; close with \`close()\` or \`await using\`.`])}` +
    `export class ${C} extends rt.FamilyClient<${nType}> {\n` +
    `  /** Spec name of the family. */\n  static readonly family = ${str(f.name)};\n\n` +
    `  /** Opens a socket (optionally inside a network namespace)${ctx.isGenl ? ' and resolves the family id' : ''}. */\n` +
    `  static async open(options: rt.ClientOptions = {}): Promise<${C}> {\n${openSocket}\n  }\n\n` +
    methods.join('\n') +
    `\n  /**\n   * Joins multicast groups and yields the family's notifications, typed and discriminated by \`name\`.\n` +
    `   * Overruns (the kernel dropped messages because the receive buffer was full) are yielded as \`{ name: 'overrun' }\`.\n` +
    `   * A live subscription keeps the process running, as a server's socket does; \`break\`, \`return()\` or \`close()\`\n` +
    `   * (also before the first \`next()\`) or the \`signal\` ends it and lets the process exit.\n   */\n` +
    `  subscribe(groups: readonly ${gType}[], options: rt.SubscribeOptions = {}): rt.MappedSubscription<${nType}> {\n` +
    `    return this.subscribeTo(groups, options, ${objectLiteral(staticGroups)});\n  }\n\n` +
    `  /** Decodes one notification message; undefined for message types this family does not notify with. */\n` +
    `  decodeNotification(m: rt.NetlinkMessage): ${nType} | undefined {\n` +
    `${ntfCases.length > 0 ? '    const c = this.decodeCtx;\n' : ''}    try {\n      switch (${ctx.isGenl ? 'm.data[m.start]' : 'm.type'}) {\n${ntfCases.map((l) => `  ${l}\n`).join('')}        default: return undefined;\n      }\n    } catch (e) {\n      throw rt.asDecodeError(e, m.start);\n    }\n  }\n` +
    `}\n` +
    `${docComment([`Everything about the ${f.name} family a tool may want at run time (names only, no behaviour).`])}` +
    `export const ${ctx.scope.claim('familyInfo', `${C}Info`)} = Object.freeze({ name: ${str(f.name)}, protocol: ${str(f.protocol)}, protonum: ${f.protonum}, ${ctx.isGenl ? `kernelFamily: ${str(f.kernelFamily ?? f.name)}, version: ${f.version ?? 1}, ` : ''}attrNames: ATTR_NAMES });\n`
  );
}


/**
 * The family's encoders and decoders as one frozen public object, keyed by camelCase spec names: `structs`,
 * `attributeSets`, and `operations.<op>.do|dump` (request encoder, reply decoder when there is a reply). The
 * message codecs reuse the very expressions the client methods run, so what a test proves holds for the client.
 */

export function doMethod(ctx: EmitContext, op: Operation): string {
  const om = op.do!;
  const req = om.request ? ctx.scope.get(`req:do:${op.name}`)! : 'Record<string, never>';
  const rep = om.reply ? ctx.scope.get(`rep:do:${op.name}`)! : undefined;
  const cmd = om.request?.value ?? op.value;
  const l = ctx.layout(op);
  const raw = !ctx.isGenl;
  const optsType = raw ? 'rt.DoOptions & rt.RawRequestFlags' : 'rt.DoOptions';
  const flags = raw ? 'rt.rawRequestFlags(options)' : '0';
  const type = ctx.isGenl ? 'this.familyId' : ctx.idConst(op, 'request', Number(cmd));
  const rootSet = l.set ? str(l.set) : 'undefined';
  const payload = `${ctx.opFn('encreq', 'do', op)}(request)`;
  const inner = rep
    ? `      const res = await this.send(${type}, ${flags}, ${payload}, ${rootSet}, ${l.hdr}, options);\n      const m = res.messages[0];\n      if (m === undefined) throw new rt.NlgenError(${str(`${op.name}: the kernel sent no reply`)});\n      return ${ctx.opFn('decrep', 'do', op)}(m, this.decodeCtx);\n`
    : `      return await this.sendAck(${type}, ${flags}, ${payload}, ${rootSet}, ${l.hdr}, options);\n`;
  // Awaited inside try: a failure gets family, op, capability and a stack with the caller's frames (opError runs only
  // on failure; an awaited native promise costs no more than returning it from an async function).
  const cap = ctx.capabilityOf(op, Number(cmd));
  const body = `    try {\n${inner}    } catch (e) {\n      throw this.opError(e, ${str(op.name)}, ${cap === undefined ? 'undefined' : str(cap)});\n    }\n`;
  return (
    `${docComment([op.doc ?? `The \`${op.name}\` operation.`, op.flags.length ? `Kernel permission flags: ${op.flags.join(', ')}.` : undefined, `@throws NetlinkError (with \`path\` naming the rejected property when the kernel says which) or ValidationError.`], '  ')}` +
    `  async ${ctx.methodName(op, 'do')}(request: ${req}${om.request ? '' : ' = {}'}, options: ${optsType} = {}): Promise<${rep ?? 'void'}> {\n${body}  }\n`
  );
}

/**
 * The constant naming an op's message id (`RTM_NEWLINK`, `NETDEV_CMD_DEV_GET`), as the kernel's headers name it:
 * the ops' `name-prefix` (default `<family>-cmd-` for genetlink, none for raw) before the op's name. `kind` tells
 * requests from notifications, which may reuse a request's number under their own name.
 */

export function dumpMethod(ctx: EmitContext, op: Operation): string {
  const om = op.dump!;
  const req = om.request ? ctx.scope.get(`req:dump:${op.name}`)! : 'Record<string, never>';
  const rep = om.reply ? ctx.scope.get(`rep:dump:${op.name}`)! : 'Record<string, never>';
  const cmd = om.request?.value ?? op.value;
  const type = ctx.isGenl ? 'this.familyId' : ctx.idConst(op, 'request', Number(cmd));
  return (
    `${docComment([op.doc ?? `The \`${op.name}\` dump.`, 'Streams the replies as they arrive; `for await` them, or use `.batches()` to handle one datagram’s worth at a time.'], '  ')}` +
    `  ${ctx.methodName(op, 'dump')}(request: Partial<${req}> = {}, options: rt.DumpOptions = {}): rt.TypedDump<${rep}> {\n` +
    `    const c = this.decodeCtx;\n` +
    `    return this.dumpOf(${type}, ${ctx.opFn('encreq', 'dump', op)}(request), options, (m) => ${ctx.opFn('decrep', 'dump', op)}(m, c));\n  }\n`
  );
}
