// C names the kernel's uapi headers use for a resolved family's numbers, derived with the YNL naming
// rules (name-prefix / enum-name / defaults), so the ABI test can look each one up in the real headers.
import type { AttrSet, Family } from '../../generator/index.js';

/** One number the model claims, under the C name the kernel uses for it. */
export interface AbiConstant {
  cName: string;
  value: bigint;
  /** What in the model this came from, for mismatch reports. */
  origin: string;
}

/** A struct layout the model claims, to compare with C's sizeof/offsetof. */
export interface AbiStruct {
  cName: string;
  size: number;
  members: { cName: string; offset: number; size: number }[];
  origin: string;
}

/** YNL's C rendering of a name: upper case, dashes to underscores. */
export const cUpper = (s: string) => s.toUpperCase().replace(/-/g, '_');
/** Lower-case C identifier. */
export const cLower = (s: string) => s.toLowerCase().replace(/-/g, '_');

const big = (v: number | bigint) => BigInt(v);

/** Attribute-enum prefix of a set: its own `name-prefix`, its parent's for subsets, else the default. */
function setPrefix(f: Family, set: AttrSet): string {
  if (set.subsetOf) {
    const parent = f.attributeSets.find((s) => s.name === set.subsetOf);
    if (parent) return setPrefix(f, parent);
  }
  if (set.namePrefix !== undefined) return set.namePrefix;
  return set.name === f.name ? `${f.name}-a-` : `${f.name}-a-${set.name}-`;
}

/** Every numeric constant of a family under its C name. */
export function abiConstants(f: Family): AbiConstant[] {
  const out: AbiConstant[] = [];
  const add = (name: string, value: number | bigint, origin: string) =>
    out.push({ cName: cUpper(name), value: big(value), origin: `${f.name}: ${origin}` });

  for (const d of f.definitions) {
    if (d.kind === 'const') {
      if (typeof d.value === 'string') continue;
      const prefix = d.namePrefix ?? (d.header ? '' : `${f.name}-`);
      add(prefix + d.name, d.value, `const ${d.name}`);
    } else if (d.kind === 'enum' || d.kind === 'flags') {
      const prefix = d.namePrefix ?? `${f.name}-${d.name}-`;
      for (const e of d.entries) add(prefix + e.name, e.value, `${d.kind} ${d.name}.${e.name}`);
    }
  }
  for (const set of f.attributeSets) {
    const prefix = setPrefix(f, set);
    for (const a of set.attributes) add((a.namePrefix ?? prefix) + a.name, a.value, `attribute ${set.name}.${a.name}`);
  }
  const ops = f.operations;
  const opPrefix = ops.namePrefix ?? `${f.name}-cmd-`;
  const asyncPrefix = ops.asyncPrefix ?? opPrefix;
  for (const op of ops.list) {
    const mode = op.do ?? op.dump;
    if (ops.enumModel === 'unified') {
      add((op.isNotification ? asyncPrefix : opPrefix) + op.name, op.value, `op ${op.name}`);
      continue;
    }
    if (mode?.request) add(opPrefix + op.name, mode.request.value, `op ${op.name} request`);
    if (mode?.reply) {
      // Families with enums per direction name the reply `<op>_REPLY` (ethtool); rtnetlink-style families
      // answer `get<x>` with the `new<x>` message — unless the reply reuses the request's type (tc's RTM_GETACTION).
      add(opPrefix + op.name + '-reply', mode.reply.value, `op ${op.name} reply`);
      const m = /^get(.+)$/.exec(op.name);
      if (m && mode.reply.value !== mode.request?.value) add(opPrefix + 'new' + m[1], mode.reply.value, `op ${op.name} reply`);
    }
    if (op.notification) add(asyncPrefix + op.name, op.notification.value, `op ${op.name} notification`);
  }
  for (const g of f.mcastGroups) {
    if (g.value !== undefined) add(g.cDefineName ?? g.name, g.value, `mcast group ${g.name}`);
  }
  return out;
}

/** Every struct of a family under its C name. */
export function abiStructs(f: Family): AbiStruct[] {
  return f.definitions.flatMap((d) =>
    d.kind !== 'struct'
      ? []
      : [
          {
            cName: cLower(d.name),
            size: d.size,
            members: d.members.filter((m) => m.type !== 'pad').map((m) => ({ cName: cLower(m.name), offset: m.offset, size: m.size })),
            origin: `${f.name}: struct ${d.name}`,
          },
        ],
  );
}

/** uapi headers a family's numbers live in (its own, plus the shared rtnetlink/netfilter ones). */
export function familyHeaders(f: Family): string[] {
  return [f.uapiHeader ?? `linux/${f.name}.h`];
}
