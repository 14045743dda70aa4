// The client class: `open`, one method per do and dump, typed subscriptions and notification decoding
// (templates/client.hbs).
import type { Operation } from '../model.js';
import { docComment, json, objectLiteral, str } from '../names.js';
import type { EmitContext } from './context.js';
import { render } from '../templates.js';
import { decodeMessageExpr } from './value-reads.js';
import { jsonFnOf } from './json-writers.js';

/** The family's client class and its run-time info object. */
export function client(ctx: EmitContext): string {
  const f = ctx.f;
  const C = ctx.clientName;
  const methods: object[] = [];
  for (const op of f.operations.list) {
    if (op.do) methods.push(doMethod(ctx, op));
    if (op.dump) methods.push(dumpMethod(ctx, op));
  }
  const notifications = ctx.notifications().map(({ op, id }) => ({
    id: ctx.idConst(op, 'notification', id),
    name: str(op.name),
    decode: decodeMessageExpr(ctx, ctx.notifyLayout(op), 'm'),
    type: ctx.scope.get(`ntf:${op.name}`)!,
  }));
  return render('client.hbs', {
    doc: docComment([`Client for the ${f.name} family (${f.protocol}).`, f.doc, `Open with {@link ${C}.open}; close with \`close()\` or \`await using\`.`]),
    name: C,
    family: str(f.name),
    protocol: str(f.protocol),
    protonum: f.protonum,
    genl: ctx.isGenl,
    kernelFamily: str(f.kernelFamily ?? f.name),
    version: f.version ?? 1,
    methods,
    notifications,
    notificationType: ctx.scope.get('notification')!,
    groupType: ctx.scope.get('group')!,
    staticGroups: objectLiteral(Object.fromEntries(f.mcastGroups.filter((g) => g.value !== undefined).map((g) => [g.name, g.value]))),
    infoDoc: docComment([`Everything about the ${f.name} family a tool may want at run time (names only, no behaviour).`]),
    infoName: ctx.scope.claim('familyInfo', `${C}Info`),
    transaction: transactionView(ctx),
    // Tools (the nlgen CLI) find an op's methods here: [spec name, do method, dump method], null where absent. An
    // array, not an object keyed by op name: a spec can name an op `__proto__`.
    operations: `[${f.operations.list
      .filter((op) => op.do || op.dump)
      .map((op) => `[${[op.name, op.do ? ctx.methodName(op, 'do') : null, op.dump ? ctx.methodName(op, 'dump') : null].map((x) => json(x)).join(', ')}]`)
      .join(', ')}]`,
  });
}

/**
 * The view of a family's `transaction` method, for netlink-raw families whose spec has the batch messages
 * (`batch-begin` and `batch-end` do ops, as nfnetlink's subsystems have): every other do op can be queued on the
 * transaction object, and the batch's header defaults to the subsystem (`res-id`: the high byte the family's message
 * types share).
 */
function transactionView(ctx: EmitContext): object | undefined {
  const f = ctx.f;
  if (ctx.isGenl) return undefined;
  const begin = f.operations.list.find((o) => o.name === 'batch-begin' && o.do);
  const end = f.operations.list.find((o) => o.name === 'batch-end' && o.do);
  if (!begin || !end) return undefined;
  // What a batch can carry: the changes (do ops answered with an ACK only), not the lookups.
  const ops = f.operations.list.filter((o) => o.do && !o.do.reply && o !== begin && o !== end);
  const highs = new Set(ops.map((o) => Number(o.do!.request.value) >> 8));
  const defaults = (op: Operation): string => {
    const fixed = ctx.layout(op).fixed;
    const member = fixed === undefined ? undefined : ctx.structProps(ctx.structs.get(fixed)!).find(([m]) => m.name === 'res-id');
    const sub = [...highs][0]!;
    return member !== undefined && highs.size === 1 && sub > 0 ? `${member[1]}: ${sub}` : '';
  };
  const cmd = (op: Operation) => Number(op.do!.request.value ?? op.value);
  return {
    typeName: ctx.scope.claim('transaction', `${ctx.clientName}Transaction`),
    doc: docComment([`Requests a {@link ${ctx.clientName}.transaction} queues: the family's do operations, each applied only if all are.`]),
    entries: ops.map((op) => {
      const l = ctx.layout(op);
      const root = l.set ? `, rootSet: ${str(l.set)}, attrsStart: ${l.hdr}` : '';
      return {
        doc: docComment([op.doc ?? `The \`${op.name}\` operation.`], '  '),
        name: ctx.methodName(op, 'do'),
        request: op.do!.request ? ctx.scope.get(`req:do:${op.name}`)! : 'Record<string, never>',
        entry: `{ op: ${str(op.name)}, type: ${ctx.idConst(op, 'request', cmd(op))}, flags: rt.rawRequestFlags(flags), payload: ${ctx.opFn('encreq', 'do', op)}(request)${root} }`,
      };
    }),
    beginRequest: ctx.scope.get('req:do:batch-begin')!,
    begin: `{ type: ${ctx.idConst(begin, 'request', cmd(begin))}, payload: ${ctx.opFn('encreq', 'do', begin)}({ ${defaults(begin) ? `${defaults(begin)}, ` : ''}...options.begin }) }`,
    end: `{ type: ${ctx.idConst(end, 'request', cmd(end))}, payload: ${ctx.opFn('encreq', 'do', end)}(${defaults(end) ? `{ ${defaults(end)} }` : '{}'}) }`,
  };
}

/** The view of a do method: request in, typed reply (or nothing) out, errors named by family, op and capability. */
export function doMethod(ctx: EmitContext, op: Operation): object {
  const om = op.do!;
  const rep = om.reply ? ctx.scope.get(`rep:do:${op.name}`)! : undefined;
  const cmd = om.request?.value ?? op.value;
  const l = ctx.layout(op);
  const cap = ctx.capabilityOf(op, Number(cmd));
  return {
    dump: false,
    doc: docComment([op.doc ?? `The \`${op.name}\` operation.`, op.flags.length ? `Kernel permission flags: ${op.flags.join(', ')}.` : undefined, `@throws NetlinkError (with \`path\` naming the rejected property when the kernel says which) or ValidationError.`], '  '),
    name: ctx.methodName(op, 'do'),
    request: om.request ? ctx.scope.get(`req:do:${op.name}`)! : 'Record<string, never>',
    requestDefault: om.request ? '' : ' = {}',
    optionsType: ctx.isGenl ? 'rt.DoOptions' : 'rt.DoOptions & rt.RawRequestFlags',
    reply: rep ?? 'void',
    type: ctx.isGenl ? 'this.familyId' : ctx.idConst(op, 'request', Number(cmd)),
    flags: ctx.isGenl ? '0' : 'rt.rawRequestFlags(options)',
    encodeFn: ctx.opFn('encreq', 'do', op),
    decodeFn: rep ? ctx.opFn('decrep', 'do', op) : '',
    rootSet: l.set ? str(l.set) : 'undefined',
    hdr: l.hdr,
    // Some netlink-raw families (tc's qdisc and class gets) answer a single get only to a request with NLM_F_ECHO.
    noReply: str(`${op.name}: the kernel sent no reply${ctx.isGenl ? '' : ' (a family that answers only with NLM_F_ECHO needs { echo: true })'}`),
    op: str(op.name),
    capability: cap === undefined ? 'undefined' : str(cap),
  };
}

/** The view of a dump method: a typed, streaming dump. */
export function dumpMethod(ctx: EmitContext, op: Operation): object {
  const om = op.dump!;
  const cmd = om.request?.value ?? op.value;
  return {
    dump: true,
    doc: docComment([op.doc ?? `The \`${op.name}\` dump.`, 'Streams the replies as they arrive; `for await` them, use `.batches()` to handle one datagram’s worth at a time, or `.json()` for each reply as a JSON line written straight from the received bytes.'], '  '),
    name: ctx.methodName(op, 'dump'),
    request: om.request ? ctx.scope.get(`req:dump:${op.name}`)! : 'Record<string, never>',
    reply: om.reply ? ctx.scope.get(`rep:dump:${op.name}`)! : 'Record<string, never>',
    type: ctx.isGenl ? 'this.familyId' : ctx.idConst(op, 'request', Number(cmd)),
    encodeFn: ctx.opFn('encreq', 'dump', op),
    decodeFn: ctx.opFn('decrep', 'dump', op),
    jsonFn: jsonFnOf(ctx.opFn('decrep', 'dump', op)),
  };
}
