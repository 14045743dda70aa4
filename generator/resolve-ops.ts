// Resolving operations (message ids under both enum models, request/reply attribute lists, fixed
// headers, notifications) and multicast groups.
import type { AttrSet, McastGroup, OpMessage, OpMode, Operation, Operations, Protocol } from './model.js';
import type { ResolveContext } from './resolve-context.js';
import { checkStructRef, opt } from './resolve-definitions.js';
import type { YMode, YOp } from './resolve-input.js';

/** Message ids of one op before its modes are built. */
interface OpIds {
  /** Id of requests to the kernel (undefined for notifications). */
  request?: number;
  /** Id of replies/notifications from the kernel (undefined when the op has none). */
  reply?: number;
}

/**
 * Unified model: one counter from 1; an explicit `value` sets it; each op takes the counter and advances
 * it by one, notifications included. Requests and replies share the op's id.
 */
export function unifiedIds(ops: readonly YOp[]): OpIds[] {
  let next = 1;
  return ops.map((op) => {
    if (op.value !== undefined) next = op.value;
    const id = next++;
    return { request: op.do || op.dump ? id : undefined, reply: id };
  });
}

/**
 * Directional model (the kernel's rule for families whose requests and replies are numbered apart):
 * two counters from 1. A do/dump op takes the request counter (or its `request.value`) and, when it has
 * a reply, the reply counter (or `reply.value`); each counter then advances past what was taken. A
 * notification/event takes only the reply counter (or the op's `value`). The first of `do`/`dump`
 * decides, as in the kernel's tools.
 */
export function directionalIds(ops: readonly YOp[]): OpIds[] {
  let req = 1;
  let rsp = 1;
  return ops.map((op) => {
    if (op.notify !== undefined || op.event !== undefined) {
      if (op.value !== undefined) rsp = op.value;
      const ids = { reply: rsp };
      rsp += 1;
      return ids;
    }
    const mode = op.do ?? op.dump;
    if (!mode) return {};
    if (mode.request?.value !== undefined) req = mode.request.value;
    if (mode.reply?.value !== undefined) rsp = mode.reply.value;
    const ids: OpIds = { request: req, reply: mode.reply ? rsp : undefined };
    req += 1;
    if (mode.reply) rsp += 1;
    return ids;
  });
}

/** Resolves `operations`. `sets` holds the resolved attribute sets by name. */
export function resolveOperations(
  ctx: ResolveContext,
  sets: ReadonlyMap<string, AttrSet>,
  mcastGroups: readonly McastGroup[],
): Operations {
  const ops = ctx.spec.operations;
  const list = ops.list;
  const enumModel = ops['enum-model'] ?? 'unified';
  const familyHeader = ops['fixed-header'];
  if (familyHeader !== undefined) checkStructRef(ctx, familyHeader, '/operations/fixed-header');
  const ids = enumModel === 'directional' ? directionalIds(list) : unifiedIds(list);
  const byName = new Map<string, number>();
  list.forEach((op, i) => {
    if (byName.has(op.name)) ctx.error(`/operations/list/${i}/name`, `duplicate operation "${op.name}"`);
    else byName.set(op.name, i);
  });
  const groups = new Set(mcastGroups.map((g) => g.name));

  const resolved: Operation[] = list.map((op, i) => {
    const at = `/operations/list/${i}`;
    const setName = op['attribute-set'];
    const set = setName === undefined ? undefined : sets.get(setName);
    if (setName !== undefined && !set) ctx.error(`${at}/attribute-set`, `unknown attribute set "${setName}"`);
    const isCall = op.do !== undefined || op.dump !== undefined;
    const isNotification = op.notify !== undefined || op.event !== undefined;
    // An op with none of do/dump/notify/event only reserves its id (unified model, e.g. `unspec` = 0).
    if (!isCall && !isNotification && enumModel === 'directional') {
      ctx.error(at, `operation "${op.name}" needs do, dump, notify or event`, false);
    }
    if (isCall && isNotification) ctx.error(at, `operation "${op.name}" mixes do/dump with notify/event; make the notification its own operation`);
    if (op.notify !== undefined && op.event !== undefined) ctx.error(`${at}/event`, `operation "${op.name}" has both notify and event`);
    if (enumModel === 'directional' && isCall && op.value !== undefined) {
      ctx.error(`${at}/value`, 'with enum-model directional, a do/dump takes its ids from request/reply `value`, not the operation');
    }
    if (enumModel === 'directional' && ctx.spec.protocol === 'netlink-raw') {
      // Raw message types are the kernel's own numbers (RTM_*); a counter would silently send some other message.
      // The first of do/dump gives the op's request id (a dump without one shares the do's).
      const m = op.do !== undefined ? 'do' : op.dump !== undefined ? 'dump' : undefined;
      if (m !== undefined && op[m]?.request?.value === undefined) {
        ctx.error(`${at}/${m}`, `operation "${op.name}" ${m} needs request: value: (its netlink message type); netlink-raw ids are never counted`, false);
      }
    }
    if (enumModel !== 'directional') {
      for (const m of ['do', 'dump'] as const) {
        for (const d of ['request', 'reply'] as const) {
          if (op[m]?.[d]?.value !== undefined) {
            ctx.error(`${at}/${m}/${d}/value`, 'per-direction message ids need enum-model directional');
          }
        }
      }
    }
    if (op['fixed-header'] !== undefined) checkStructRef(ctx, op['fixed-header'], `${at}/fixed-header`);
    if (op.mcgrp !== undefined && !groups.has(op.mcgrp)) ctx.error(`${at}/mcgrp`, `unknown multicast group "${op.mcgrp}"`);

    const attrs = (names: string[] | undefined, pointer: string): string[] => {
      const out = names ?? [];
      if (set) {
        out.forEach((n, k) => {
          if (!set.attributes.some((a) => a.name === n)) {
            // The kernel's tools do not check these lists and upstream specs carry such slips, so this
            // is a warning and the name is left out of the model.
            ctx.warn(`${pointer}/${k}`, `attribute "${n}" is not in attribute set "${set.name}"; left out`);
          }
        });
        return out.filter((n) => set.attributes.some((a) => a.name === n));
      } else if (out.length > 0 && setName === undefined) {
        ctx.error(pointer, `operation "${op.name}" lists attributes but has no attribute-set`);
      }
      return [...out];
    };
    const mode = (m: YMode | undefined, name: 'do' | 'dump'): OpMode | undefined => {
      if (!m) return undefined;
      const mat = `${at}/${name}`;
      const request: OpMessage = {
        value: m.request?.value ?? ids[i].request ?? 0,
        attributes: attrs(m.request?.attributes, `${mat}/request/attributes`),
      };
      const reply: OpMessage | undefined = m.reply
        ? { value: m.reply.value ?? ids[i].reply ?? 0, attributes: attrs(m.reply.attributes, `${mat}/reply/attributes`) }
        : undefined;
      return { request, ...opt('reply', reply), ...opt('pre', m.pre), ...opt('post', m.post) };
    };
    const doMode = mode(op.do, 'do');
    const dumpMode = mode(op.dump, 'dump');
    const value = ids[i].request ?? ids[i].reply ?? 0;
    return {
      name: op.name,
      ...opt('doc', op.doc),
      value,
      ...opt('attributeSet', setName),
      ...opt('fixedHeader', op['fixed-header'] ?? familyHeader),
      flags: [...(op.flags ?? [])],
      ...opt('do', doMode),
      ...opt('dump', dumpMode),
      ...opt('notify', op.notify),
      ...(op.event ? { event: { attributes: attrs(op.event.attributes, `${at}/event/attributes`) } } : {}),
      ...opt('mcgrp', op.mcgrp),
      isNotification: isNotification && !isCall,
      pos: ctx.pos(at),
    };
  });

  // Notifications: the id they arrive with and their attributes (from the notify target's reply).
  resolved.forEach((op, i) => {
    const at = `/operations/list/${i}`;
    if (op.notify !== undefined) {
      const j = byName.get(op.notify);
      const target = j === undefined ? undefined : resolved[j];
      if (!target) {
        ctx.error(`${at}/notify`, `unknown operation "${op.notify}" in notify`);
      } else if (target.name === op.name) {
        ctx.error(`${at}/notify`, `operation "${op.name}" cannot notify with its own reply`);
      } else {
        const reply = target.do?.reply ?? target.dump?.reply;
        if (!reply) ctx.error(`${at}/notify`, `notify target "${op.notify}" has no reply to reuse`);
        op.notification = { value: ids[i].reply ?? op.value, attributes: [...(reply?.attributes ?? [])] };
        if (op.attributeSet === undefined && target.attributeSet !== undefined) op.attributeSet = target.attributeSet;
      }
    } else if (op.event) {
      op.notification = { value: ids[i].reply ?? op.value, attributes: [...op.event.attributes] };
    }
  });

  checkDuplicateIds(ctx, enumModel, resolved);
  return {
    enumModel,
    ...opt('namePrefix', ops['name-prefix']),
    ...opt('asyncPrefix', ops['async-prefix']),
    ...(ops['async-enum'] !== undefined ? { asyncEnum: ops['async-enum'] ?? '' } : {}),
    ...opt('fixedHeader', familyHeader),
    list: resolved,
  };
}

// Two ops sending the same request id would be indistinguishable to the kernel. Replies may share ids
// (rtnetlink answers getlink with RTM_NEWLINK, the same type as its notifications).
function checkDuplicateIds(ctx: ResolveContext, model: string, ops: Operation[]): void {
  const seen = new Map<number, string>();
  ops.forEach((op, i) => {
    const id = model === 'directional' ? (op.do ?? op.dump)?.request?.value : op.value;
    if (id === undefined) return;
    const clash = seen.get(id);
    if (clash !== undefined) {
      const where = model === 'directional' ? `/operations/list/${i}/${op.do ? 'do' : 'dump'}` : `/operations/list/${i}`;
      ctx.error(where, `operation "${op.name}" uses message id ${id}, already used by "${clash}"`);
    } else {
      seen.set(id, op.name);
    }
  });
}

/** Resolves `mcast-groups`. */
export function resolveMcastGroups(ctx: ResolveContext, protocol: Protocol): McastGroup[] {
  const seen = new Set<string>();
  const values = new Map<number, string>();
  return (ctx.spec['mcast-groups']?.list ?? []).map((g, i) => {
    const at = `/mcast-groups/list/${i}`;
    if (seen.has(g.name)) ctx.error(`${at}/name`, `duplicate multicast group "${g.name}"`);
    seen.add(g.name);
    if (g.value !== undefined) {
      const clash = values.get(g.value);
      if (clash !== undefined) ctx.error(`${at}/value`, `multicast group "${g.name}" has value ${g.value}, already used by "${clash}"`);
      values.set(g.value, g.name);
    }
    if (protocol !== 'netlink-raw' && g.value !== undefined) {
      ctx.error(`${at}/value`, 'only netlink-raw groups have static ids; genetlink ids are assigned by the kernel');
    }
    return { name: g.name, ...opt('cDefineName', g['c-define-name']), ...opt('value', g.value), flags: [...(g.flags ?? [])] };
  });
}
