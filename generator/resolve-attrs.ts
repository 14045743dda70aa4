// Resolving attribute sets: attribute numbers by the kernel's counting rule, subsets merged with their
// parents, references checked, `checks` evaluated, and sub-message tables.
import type { Attr, AttrSet, AttrType, ByteOrder, Checks, DisplayHint, SubMessage } from './model.js';
import { toNum, type ResolveContext } from './resolve-context.js';
import { checkEnumRef, checkStructRef, opt } from './resolve-definitions.js';
import type { YAttr, YAttrSet } from './resolve-input.js';

/** Where each set was written, for references (`index` into `attribute-sets`). */
export interface SetIndex {
  byName: Map<string, { index: number; yaml: YAttrSet }>;
}

/** Indexes attribute sets by name, reporting duplicates. */
export function indexAttrSets(ctx: ResolveContext): SetIndex {
  const byName = new Map<string, { index: number; yaml: YAttrSet }>();
  ctx.spec['attribute-sets'].forEach((s, i) => {
    if (byName.has(s.name)) ctx.error(`/attribute-sets/${i}/name`, `duplicate attribute set "${s.name}"`);
    else byName.set(s.name, { index: i, yaml: s });
  });
  return { byName };
}

/** Resolves every attribute set (in spec order) and every sub-message table. */
export function resolveAttrSets(ctx: ResolveContext, sets: SetIndex): { attributeSets: AttrSet[]; subMessages: SubMessage[] } {
  const resolved = new Map<string, AttrSet>();
  const visiting = new Set<string>();

  // Subsets need their parent first; parents may appear anywhere in the file.
  const resolveSet = (name: string): AttrSet | undefined => {
    const have = resolved.get(name);
    if (have) return have;
    const entry = sets.byName.get(name);
    if (!entry || visiting.has(name)) return undefined;
    visiting.add(name);
    const set = resolveOne(ctx, entry.yaml, `/attribute-sets/${entry.index}`, sets, resolveSet);
    visiting.delete(name);
    resolved.set(name, set);
    return set;
  };
  const attributeSets = ctx.spec['attribute-sets'].map((s, i) => {
    const first = sets.byName.get(s.name)?.index === i;
    return first ? resolveSet(s.name)! : resolveOne(ctx, s, `/attribute-sets/${i}`, sets, resolveSet);
  });
  const subMessages = resolveSubMessages(ctx, sets);
  checkSetReferences(ctx, attributeSets, sets, subMessages);
  return { attributeSets, subMessages };
}

function resolveOne(
  ctx: ResolveContext,
  s: YAttrSet,
  at: string,
  sets: SetIndex,
  resolveSet: (name: string) => AttrSet | undefined,
): AttrSet {
  const attributes: Attr[] = [];
  const names = new Map<string, number>();
  const values = new Map<number, string>();
  const parentName = s['subset-of'];
  let parent: AttrSet | undefined;
  let parentYaml: YAttrSet | undefined;
  if (parentName !== undefined) {
    parentYaml = sets.byName.get(parentName)?.yaml;
    if (!parentYaml) {
      ctx.error(`${at}/subset-of`, `unknown attribute set "${parentName}" in subset-of`);
    } else if (parentName === s.name) {
      ctx.error(`${at}/subset-of`, `attribute set "${s.name}" cannot be a subset of itself`);
    } else {
      parent = resolveSet(parentName);
      if (!parent) ctx.error(`${at}/subset-of`, `subset-of cycle: "${s.name}" and "${parentName}" are subsets of each other`);
    }
  }
  let counter = 1;
  s.attributes.forEach((a, j) => {
    const aat = `${at}/attributes/${j}`;
    const earlier = names.get(a.name);
    if (earlier !== undefined) {
      // An exact repeat is harmless (the kernel's tools keep one); a conflicting one is ambiguous.
      if (JSON.stringify(s.attributes[earlier]) === JSON.stringify(a)) {
        ctx.warn(`${aat}/name`, `attribute "${a.name}" repeats an identical earlier entry in set "${s.name}"; ignored`);
        if (parentName === undefined) counter = (a.value ?? counter) + 1;
        return;
      }
      ctx.error(`${aat}/name`, `duplicate attribute "${a.name}" in set "${s.name}"`);
    }
    names.set(a.name, j);
    let value: number;
    let merged: YAttr = a;
    if (parentName !== undefined) {
      if (!parentYaml || !parent) return;
      const fromParent = parent.attributes.find((p) => p.name === a.name);
      const yParent = parentYaml.attributes.find((p) => p.name === a.name);
      if (!fromParent || !yParent) {
        ctx.error(`${aat}/name`, `attribute "${a.name}" is not in the parent set "${parentName}"`);
        return;
      }
      // The subset's keys refine the parent's definition; the number always comes from the parent.
      merged = { ...yParent, ...a };
      value = fromParent.value;
      if (a.value !== undefined && a.value !== value) {
        ctx.error(`${aat}/value`, `attribute "${a.name}" is ${value} in the parent set "${parentName}"; a subset cannot renumber it`);
      }
    } else {
      if (a.value !== undefined) counter = a.value;
      value = counter;
      counter++;
      const clash = values.get(value);
      if (clash !== undefined) {
        ctx.error(a.value !== undefined ? `${aat}/value` : `${aat}/name`, `attribute "${a.name}" has value ${value}, already used by "${clash}" in set "${s.name}"`);
      } else {
        values.set(value, a.name);
      }
    }
    attributes.push(resolveAttr(ctx, merged, value, aat, sets));
  });
  return {
    name: s.name,
    ...opt('doc', s.doc),
    ...opt('namePrefix', s['name-prefix'] ?? parent?.namePrefix),
    ...(s['enum-name'] !== undefined ? { enumName: s['enum-name'] ?? '' } : opt('enumName', parent?.enumName)),
    ...opt('subsetOf', parentName),
    attributes,
    pos: ctx.pos(at),
  };
}

const nestLike = new Set(['nest', 'nest-type-value']);

function resolveAttr(ctx: ResolveContext, a: YAttr, value: number, at: string, sets: SetIndex): Attr {
  let type = (a.type ?? 'unused') as AttrType | 'array-nest';
  let subType = a['sub-type'] as Attr['subType'] | 'array-nest' | undefined;
  if (type === 'array-nest') {
    // The older spelling of an indexed array whose elements are nests.
    type = 'indexed-array';
    subType = 'nest';
  }
  if (subType === 'array-nest') subType = 'nest';
  const nested = a['nested-attributes'];
  if (nested !== undefined) {
    if (!sets.byName.has(nested)) ctx.error(`${at}/nested-attributes`, `unknown attribute set "${nested}" in nested-attributes`);
  } else if (nestLike.has(type) || (type === 'indexed-array' && subType === 'nest')) {
    ctx.error(at, `attribute "${a.name}" of type ${type} needs nested-attributes`);
  }
  if (type === 'indexed-array' && subType === undefined) {
    ctx.error(at, `attribute "${a.name}" of type indexed-array needs a sub-type`);
  }
  if (a.enum !== undefined) checkEnumRef(ctx, a.enum, `${at}/enum`);
  if (a.struct !== undefined) checkStructRef(ctx, a.struct, `${at}/struct`);
  if (type === 'sub-message') {
    if (a['sub-message'] === undefined) ctx.error(at, `attribute "${a.name}" of type sub-message needs a sub-message`);
    if (a.selector === undefined) ctx.error(at, `attribute "${a.name}" of type sub-message needs a selector`);
  }
  return {
    name: a.name,
    value,
    type: type as AttrType,
    ...opt('doc', a.doc),
    ...opt('byteOrder', a['byte-order'] as ByteOrder | undefined),
    ...opt('enum', a.enum),
    ...opt('enumAsFlags', a['enum-as-flags']),
    ...opt('nestedAttributes', nested),
    multiAttr: a['multi-attr'] ?? false,
    ...opt('subType', subType as Attr['subType']),
    ...opt('struct', a.struct),
    ...opt('displayHint', a['display-hint'] as DisplayHint | undefined),
    ...opt('namePrefix', a['name-prefix']),
    checks: resolveChecks(ctx, a, at),
    ...opt('subMessage', a['sub-message']),
    ...opt('selector', a.selector),
    ...opt('typeValue', a['type-value']),
    pos: ctx.pos(at),
  };
}

function resolveChecks(ctx: ResolveContext, a: YAttr, at: string): Checks {
  const c = a.checks;
  if (!c) return {};
  const out: Checks = {};
  const cat = `${at}/checks`;
  const num = (key: 'min' | 'max' | 'min-len' | 'max-len' | 'exact-len') => {
    const v = c[key];
    return v === undefined ? undefined : ctx.evaluate(v, `${cat}/${key}`, key);
  };
  const min = num('min');
  const max = num('max');
  if (min !== undefined) out.min = toNum(min);
  if (max !== undefined) out.max = toNum(max);
  if (min !== undefined && max !== undefined && min > max) ctx.error(`${cat}/max`, `max ${max} is below min ${min}`);
  for (const [key, field] of [
    ['min-len', 'minLen'],
    ['max-len', 'maxLen'],
    ['exact-len', 'exactLen'],
  ] as const) {
    const v = num(key);
    if (v === undefined) continue;
    if (v < 0n) ctx.error(`${cat}/${key}`, `${key} evaluates to ${v}; must not be negative`);
    else out[field] = Number(v);
  }
  const maskName = c['flags-mask'];
  if (maskName !== undefined) {
    const def = ctx.flagsMasks.get(maskName);
    if (def === undefined) {
      const kind = ctx.definitionKinds.get(maskName);
      ctx.error(`${cat}/flags-mask`, kind ? `flags-mask "${maskName}" is a ${kind} definition, not flags` : `unknown flags "${maskName}" in flags-mask`);
    } else {
      out.flagsMask = { value: toNum(def), enum: maskName };
    }
  }
  if (c['unterminated-ok'] !== undefined) out.unterminatedOk = c['unterminated-ok'];
  return out;
}

function resolveSubMessages(ctx: ResolveContext, sets: SetIndex): SubMessage[] {
  const seen = new Set<string>();
  return (ctx.spec['sub-messages'] ?? []).map((m, i) => {
    const at = `/sub-messages/${i}`;
    if (seen.has(m.name)) ctx.error(`${at}/name`, `duplicate sub-message "${m.name}"`);
    seen.add(m.name);
    const values = new Set<string>();
    const formats = m.formats.map((f, j) => {
      const fat = `${at}/formats/${j}`;
      if (values.has(f.value)) ctx.error(`${fat}/value`, `duplicate format "${f.value}" in sub-message "${m.name}"`);
      values.add(f.value);
      if (f['fixed-header'] !== undefined) checkStructRef(ctx, f['fixed-header'], `${fat}/fixed-header`);
      if (f['attribute-set'] !== undefined && !sets.byName.has(f['attribute-set'])) {
        ctx.error(`${fat}/attribute-set`, `unknown attribute set "${f['attribute-set']}"`);
      }
      return { value: f.value, ...opt('fixedHeader', f['fixed-header']), ...opt('attributeSet', f['attribute-set']) };
    });
    return { name: m.name, ...opt('doc', m.doc), formats, pos: ctx.pos(at) };
  });
}

/**
 * Checks references that need every set resolved: sub-message tables exist, and each selector names an
 * attribute of the same set or of a set that (directly or through nesting) contains it — the kernel lets a
 * selector sit in an enclosing nest, e.g. tc's stats `app` selected by the outer `kind`.
 */
function checkSetReferences(ctx: ResolveContext, attributeSets: AttrSet[], sets: SetIndex, subMessages: SubMessage[]): void {
  const subs = new Map(subMessages.map((m) => [m.name, m]));
  // Which sets contain which (parent → children) through nests and sub-message formats.
  const containers = new Map<string, Set<string>>();
  const link = (parent: string, child: string) => {
    if (!containers.has(child)) containers.set(child, new Set());
    containers.get(child)!.add(parent);
  };
  for (const s of attributeSets) {
    for (const a of s.attributes) {
      if (a.nestedAttributes) link(s.name, a.nestedAttributes);
      if (a.subMessage) for (const f of subs.get(a.subMessage)?.formats ?? []) if (f.attributeSet) link(s.name, f.attributeSet);
    }
  }
  const byName = new Map(attributeSets.map((s) => [s.name, s]));
  const enclosing = (name: string): Set<string> => {
    const out = new Set<string>([name]);
    const queue = [name];
    while (queue.length) {
      for (const p of containers.get(queue.pop()!) ?? []) if (!out.has(p)) (out.add(p), queue.push(p));
    }
    return out;
  };
  attributeSets.forEach((s) => {
    const i = sets.byName.get(s.name)?.index;
    if (i === undefined) return;
    const yaml = ctx.spec['attribute-sets'][i];
    s.attributes.forEach((a) => {
      const j = yaml.attributes.findIndex((y) => y.name === a.name);
      const at = `/attribute-sets/${i}/attributes/${j}`;
      if (a.subMessage !== undefined && !subs.has(a.subMessage)) {
        ctx.error(`${at}/sub-message`, `unknown sub-message "${a.subMessage}"`);
      }
      if (a.selector !== undefined) {
        const scopes = enclosing(s.name);
        const found = [...scopes].some((n) => byName.get(n)?.attributes.some((x) => x.name === a.selector));
        if (!found) {
          ctx.error(`${at}/selector`, `selector "${a.selector}" is not an attribute of set "${s.name}" or of a set enclosing it`);
        } else if (a.selector === a.name) {
          ctx.error(`${at}/selector`, `attribute "${a.name}" cannot select its own format`);
        }
      }
    });
  });
}
