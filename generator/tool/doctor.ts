// `nlgen doctor`: a spec against the running kernel. Generic netlink families are compared with what the kernel
// registered — ops and their modes, multicast groups, and every op's attribute policy (CTRL_CMD_GETPOLICY), attribute
// by attribute and nest by nest: attributes only one side has, types, value ranges, lengths and masks. rtnetlink has
// no policy dump: for netlink-raw specs, doctor runs every dump the spec describes and reports what the kernel sent
// that the spec does not know (attributes kept under `$unknown`) and payloads the spec's types cannot decode.
import { INT_RANGES } from '../check-family.js';
import type { Attr, AttrSet, Family, Operation } from '../model.js';
import { camelCase } from '../names.js';
import { findFamily, loadModel, type FamilyOptions } from './family-source.js';
import { jsonText } from '@nlgen/runtime';
import type { OutputFormat } from './json-output.js';
import { readKernelFamily, type KernelAttrPolicy, type KernelFamily } from './kernel-policy.js';
import type { ToolOutput } from './op-commands.js';

/** One disagreement between a spec and the kernel. */
export interface Finding {
  family: string;
  /** What kind of disagreement. */
  kind: 'op' | 'mode' | 'group' | 'attribute' | 'type' | 'range' | 'length' | 'mask' | 'unknown-attribute' | 'size' | 'decode';
  /** Where: `op getlink do request`, `set link-attrs`, and the attribute's spec name. */
  where: string;
  message: string;
}

/** A family the doctor looked at, with what it found. */
export interface FamilyReport {
  family: string;
  protocol: string;
  /** genetlink: whether the kernel has the family; netlink-raw: whether the survey could run. */
  present: boolean;
  findings: Finding[];
  /** What was checked and facts that are not disagreements (family absent, a dump the kernel refused …). */
  notes: string[];
}


/** Spec types the kernel's policy type accepts. */
const COMPATIBLE: Record<string, readonly string[]> = {
  flag: ['flag'],
  u8: ['u8'],
  u16: ['u16'],
  u32: ['u32'],
  u64: ['u64'],
  s8: ['s8'],
  s16: ['s16'],
  s32: ['s32'],
  s64: ['s64'],
  uint: ['uint', 'u32', 'u64'],
  sint: ['sint', 's32', 's64'],
  binary: ['binary', 'string', 'sub-message', 'nest', 'nest-type-value', 'indexed-array'],
  string: ['string'],
  'nul-string': ['string'],
  nested: ['nest', 'nest-type-value', 'indexed-array', 'sub-message'],
  'nested-array': ['indexed-array', 'nest', 'nest-type-value'],
  bitfield32: ['bitfield32'],
};

const big = (v: number | bigint | undefined) => (v === undefined ? undefined : BigInt(v));

/** Compares one attribute's kernel policy with the spec's attribute. */
function compareAttr(f: Family, k: KernelFamily, a: Attr, p: KernelAttrPolicy, where: string, nested: boolean, seen: Set<string>, out: Finding[]): void {
  const add = (kind: Finding['kind'], message: string) => out.push({ family: f.name, kind, where: `${where} ${a.name}`, message });
  const ktype = String(p.type ?? 'invalid');
  const ok = COMPATIBLE[ktype];
  if (ok !== undefined && !ok.includes(a.type)) {
    add('type', `the kernel's policy type is ${ktype}; the spec says ${a.type}`);
    return;
  }
  if (a.type in INT_RANGES) {
    const [lo, hi] = INT_RANGES[a.type]!;
    const kmin = big(p.minValueU ?? p.minValueS);
    const kmax = big(p.maxValueU ?? p.maxValueS);
    const smin = big(typeof a.checks.min === 'string' ? undefined : a.checks.min);
    const smax = big(typeof a.checks.max === 'string' ? undefined : a.checks.max);
    // An enum bounds the values as a range check would (the kernel's NLA_POLICY_MAX for an enum attribute).
    const e = a.enum === undefined ? undefined : f.definitions.find((d) => d.name === a.enum);
    const entries = e && (e.kind === 'enum' || e.kind === 'flags') ? e.entries.map((x) => BigInt(x.value)) : [];
    const isFlags = a.enumAsFlags === true || e?.kind === 'flags';
    const enumMin = !isFlags && entries.length > 0 ? entries.reduce((x, y) => (y < x ? y : x)) : undefined;
    const enumMax = !isFlags && entries.length > 0 ? entries.reduce((x, y) => (y > x ? y : x)) : undefined;
    const effMin = smin ?? enumMin ?? lo;
    const effMax = smax ?? enumMax ?? hi;
    if (kmin !== undefined && kmax !== undefined && (kmin !== effMin || kmax !== effMax) && !(p.mask !== undefined && smin === undefined && smax === undefined)) {
      add('range', `the kernel accepts ${kmin}..${kmax}; the spec ${smin === undefined && smax === undefined ? (enumMax !== undefined ? `allows the enum ${a.enum} (${effMin}..${effMax})` : `has no range check (${lo}..${hi})`) : `checks ${effMin}..${effMax}`}`);
    }
    if (p.mask !== undefined) {
      // A flags enum bounds the bits as a flags-mask check would.
      // (Entries of a `flags` definition are masks; an enum used as flags numbers bits.)
      const enumMask = !isFlags || entries.length === 0 ? undefined : entries.reduce((m, v) => m | (e?.kind === 'flags' ? v : 1n << v), 0n);
      const smask = a.checks.flagsMask?.value ?? enumMask;
      // A nested set serves every use, so its mask may be wider than one use's policy (nested: only extra bits count).
      const extra = smask === undefined ? BigInt(p.mask) : BigInt(p.mask) & ~BigInt(smask);
      if (smask === undefined || (nested ? extra !== 0n : BigInt(smask) !== BigInt(p.mask))) add('mask', `the kernel accepts bits 0x${BigInt(p.mask).toString(16)}; the spec ${smask === undefined ? 'has no flags-mask check' : `checks 0x${BigInt(smask).toString(16)}`}`);
    }
  }
  if ((a.type === 'binary' || a.type === 'string') && (p.minLength !== undefined || p.maxLength !== undefined)) {
    const c = a.checks;
    const smin = c.exactLen ?? c.minLen;
    const smax = c.exactLen ?? c.maxLen;
    const kmin = p.minLength ?? 0;
    const kmax = p.maxLength;
    // A spec without a length check where the kernel bounds it, or bounds that differ.
    if ((kmax !== undefined && smax !== kmax) || (kmin > 0 && smin !== kmin)) {
      add('length', `the kernel accepts ${kmin}..${kmax ?? '∞'} bytes; the spec ${smin === undefined && smax === undefined ? 'has no length check' : `checks ${smin ?? 0}..${smax ?? '∞'}`}`);
    }
  }
  if (p.policyIdx !== undefined && a.nestedAttributes !== undefined) {
    const set = f.attributeSets.find((s) => s.name === a.nestedAttributes);
    if (set) compareTable(f, k, p.policyIdx, set, undefined, false, `set ${set.name}:`, seen, out);
  }
}

/**
 * Compares kernel policy table `idx` with spec set `set`. For an op's request, `listed` is what the spec lists and
 * `perOp` says whether the table is that op's own (else it is a family-wide policy shared by ops that take different
 * attributes, which says nothing about one op). Nested tables are compared with their whole set: a spec's nested set
 * is the union of every use, while the kernel may have a narrower policy for each.
 */
function compareTable(f: Family, k: KernelFamily, idx: number, set: AttrSet, listed: readonly string[] | undefined, perOp: boolean, where: string, seen: Set<string>, out: Finding[]): void {
  const key = `${idx}:${set.name}:${listed?.join(',') ?? '*'}`;
  if (seen.has(key)) return;
  seen.add(key);
  const table = k.policies.get(idx) ?? new Map<number, KernelAttrPolicy>();
  const byValue = new Map(set.attributes.map((a) => [a.value, a]));
  const listedValues = listed === undefined ? undefined : new Set(listed.map((n) => set.attributes.find((a) => a.name === n)?.value));
  for (const [type, p] of [...table].sort((x, y) => x[0] - y[0])) {
    const a = byValue.get(type);
    if (a === undefined || a.type === 'unused') {
      out.push({ family: f.name, kind: 'attribute', where: `${where} #${type}`, message: `the kernel accepts attribute ${type} (${String(p.type)}) in ${set.name}; the spec's set has no attribute ${type}` });
      continue;
    }
    if (listedValues !== undefined && !listedValues.has(type) && perOp && a.type !== 'pad') {
      out.push({ family: f.name, kind: 'attribute', where: `${where} ${a.name}`, message: `the kernel accepts ${a.name} (${String(p.type)}) here; the spec does not list it` });
      continue;
    }
    compareAttr(f, k, a, p, where, listed === undefined, seen, out);
  }
  for (const name of listed ?? []) {
    const a = set.attributes.find((x) => x.name === name);
    if (a && a.type !== 'pad' && !table.has(a.value)) out.push({ family: f.name, kind: 'attribute', where: `${where} ${a.name}`, message: `the spec lists ${a.name} (${a.value}); the kernel's policy does not accept it` });
  }
}

/** The generic netlink part: ops, modes, groups and policies. */
function compareGenl(f: Family, k: KernelFamily, out: Finding[], notes: string[]): void {
  const specOps = f.operations.list.filter((o) => o.do || o.dump);
  const cmdOf = (o: Operation) => (o.do ?? o.dump)!.request.value;
  const specCmds = new Set(specOps.map(cmdOf));
  for (const op of specOps) {
    const cmd = cmdOf(op);
    const flags = k.ops.get(cmd);
    if (flags === undefined) {
      out.push({ family: f.name, kind: 'op', where: `op ${op.name}`, message: `the kernel has no command ${cmd}` });
      continue;
    }
    // cmd-cap-do / cmd-cap-dump say which modes the kernel has (reported since 5.x; absent flags say nothing).
    if (flags.includes('cmd-cap-do') || flags.includes('cmd-cap-dump')) {
      if (op.do && !flags.includes('cmd-cap-do')) out.push({ family: f.name, kind: 'mode', where: `op ${op.name}`, message: 'the spec has a do; the kernel has none' });
      if (op.dump && !flags.includes('cmd-cap-dump')) out.push({ family: f.name, kind: 'mode', where: `op ${op.name}`, message: 'the spec has a dump; the kernel has none' });
      if (!op.do && flags.includes('cmd-cap-do')) out.push({ family: f.name, kind: 'mode', where: `op ${op.name}`, message: 'the kernel has a do; the spec has none' });
      if (!op.dump && flags.includes('cmd-cap-dump')) out.push({ family: f.name, kind: 'mode', where: `op ${op.name}`, message: 'the kernel has a dump; the spec has none' });
    }
  }
  for (const [cmd] of [...k.ops].sort((x, y) => x[0] - y[0])) {
    if (!specCmds.has(cmd)) out.push({ family: f.name, kind: 'op', where: `command ${cmd}`, message: `the kernel has command ${cmd}; the spec has no op for it` });
  }
  for (const g of f.mcastGroups) if (!k.groups.has(g.name)) out.push({ family: f.name, kind: 'group', where: `group ${g.name}`, message: 'the kernel has no such multicast group' });
  for (const [g] of k.groups) if (!f.mcastGroups.some((x) => x.name === g)) out.push({ family: f.name, kind: 'group', where: `group ${g}`, message: 'the kernel has this multicast group; the spec does not' });
  // Policies: per op and mode. Legacy families share one family-wide policy between ops that take different
  // attributes; such a table is not held to one op's list.
  const listsOf = new Map<number, Set<string>>();
  for (const op of specOps) {
    const pol = k.opPolicies.get(cmdOf(op));
    for (const mode of ['do', 'dump'] as const) {
      const idx = pol?.[mode];
      if (op[mode] && idx !== undefined) listsOf.set(idx, (listsOf.get(idx) ?? new Set()).add(op[mode].request.attributes.join(',')));
    }
  }
  const seen = new Set<string>();
  for (const op of specOps) {
    const pol = k.opPolicies.get(cmdOf(op)) ?? {};
    const set = f.attributeSets.find((s) => s.name === op.attributeSet);
    if (!set || !k.ops.has(cmdOf(op))) continue;
    for (const mode of ['do', 'dump'] as const) {
      const m = op[mode];
      if (!m) continue;
      const idx = pol[mode];
      if (idx === undefined) {
        // No policy reported: the kernel validates nothing here (or parses the request itself), so nothing to compare.
        if (m.request.attributes.length > 0) notes.push(`op ${op.name} ${mode}: the kernel reports no policy for the request; the spec lists ${m.request.attributes.join(', ')}`);
        continue;
      }
      compareTable(f, k, idx, set, m.request.attributes, (listsOf.get(idx)?.size ?? 0) <= 1, `op ${op.name} ${mode} request:`, seen, out);
    }
  }
  notes.push(`compared ${specOps.length} ops, ${k.groups.size} multicast groups and ${k.policies.size} policy tables with the kernel's family ${k.name} (id ${k.id}, version ${k.version})`);
}

/** The netlink-raw survey: every dump the spec has, run with an empty request; what the spec could not decode. */
async function surveyRaw(f: Family, o: DoctorOptions, out: Finding[], notes: string[]): Promise<boolean> {
  const { loadFamilyModule } = await import('./family-module.js');
  const mod = await loadFamilyModule(findFamily(o));
  const client = await mod.client.open(o.netns !== undefined ? { netns: o.netns } : {});
  const socket = client.socket as { dump(req: { type: number; payload: Uint8Array }): AsyncIterable<{ data: Uint8Array; view: DataView; start: number; end: number }> };
  // Handles earlier dumps reported per device, for dumps the kernel scopes to one device and parent: from dumps of
  // everything (tc: qdiscs) and from scoped ones (classes, filters).
  const handles: DeviceHandles = { all: new Map(), scoped: new Map() };
  // Action kinds the replies name (tc: a filter's actions), for a dump that lists one kind at a time.
  const kinds = new Set<string>();
  try {
    for (const [op, , dumpMethod] of mod.info.operations) {
      const codec = dumpMethod === null ? undefined : (mod.codecs.operations[camelCase(op)]?.dump as DumpCodec | undefined);
      if (codec?.layout === undefined) continue;
      // A survey only reads: dumps that zero what they read (nf_tables' *-reset, conntrack's get-ctrzero) are left out.
      if (/(^|-)(reset|ctrzero)(-|$)/.test(op)) {
        notes.push(`${op}: not run (reading it resets counters)`);
        continue;
      }
      const seen = new Set<string>();
      let count = 0;
      // One dump, read raw: sizes are checked on the wire (the decoders take a scalar out of a longer payload), then
      // each reply goes through the family's own decoder, whose `$unknown` lists what the spec does not describe.
      const sizes = rawSizeChecker(f, op, (where, message) => out.push({ family: f.name, kind: 'size', where: `op ${op} dump reply ${where}`, message }));
      // Scoped requests overlap (a device's classes come for parent 0 and again for their qdisc): each of their
      // replies once. Only theirs: they run only after the whole dump came back empty, so nothing else is kept.
      const distinct = new Set<string>();
      const survey = async (request: object, scoped: boolean): Promise<void> => {
        for await (const m of socket.dump({ type: codec.layout!.request, payload: codec.encodeRequest(request) })) {
          if (scoped) {
            const bytes = Buffer.from(m.data.buffer, m.data.byteOffset + m.start, m.end - m.start).toString('latin1');
            if (distinct.has(bytes)) continue;
            distinct.add(bytes);
          }
          count++;
          sizes?.(m);
          const reply = codec.decodeReply(m.data.subarray(m.start, m.end));
          noteHandle(reply, scoped ? handles.scoped : handles.all);
          noteActionKinds(reply, kinds);
          walkUnknown(reply, '', (path, type, len) => {
            const key = `${path}#${type}`;
            if (seen.has(key)) return;
            seen.add(key);
            out.push({ family: f.name, kind: 'unknown-attribute', where: `op ${op} dump reply ${path || '(top level)'}`, message: `the kernel sent attribute ${type} (${len} bytes) that the spec does not describe` });
          });
        }
      };
      try {
        await survey({}, false);
        const scopedBy = count > 0 ? undefined : scopedByDevice(f, op) ? 'device and parent' : listsOneKind(f, op) ? 'action kind' : undefined;
        const scoped: object[] = scopedBy === 'device and parent' ? scopedRequests(handles) : scopedBy === 'action kind' ? [...kinds].sort().map((kind) => ({ tab: [{ kind }] })) : [];
        let refused = 0;
        for (const request of scoped) {
          try {
            await survey(request, true);
          } catch (e) {
            // A parent that holds no such objects is refused (EINVAL, ENOENT …): the next one is tried.
            if ((e as Error).name === 'DecodeError') throw e;
            refused++;
          }
        }
        const per = scoped.length > 0 ? ` (${scoped.length} requests, one per ${scopedBy} the other dumps reported${refused > 0 ? `; ${refused} refused` : ''})` : '';
        notes.push(`${op}: ${count} replies surveyed${per}`);
      } catch (e) {
        const err = e as Error;
        if (err.name === 'DecodeError') out.push({ family: f.name, kind: 'decode', where: `op ${op} dump reply`, message: err.message });
        else notes.push(`${op}: the kernel refused an empty dump request (${err.message})`);
      }
    }
  } finally {
    client.close();
  }
  return true;
}

/**
 * Whether the kernel lists an op's objects one device (and parent) at a time: its request header has the `ifindex`
 * and `parent` of tc's `tcmsg`. An empty request then lists nothing (tc_dump_tclass, tc_dump_tfilter and
 * tc_dump_chain look up the device by tcm_ifindex, filters and chains the block by tcm_parent).
 */
function scopedByDevice(f: Family, opName: string): boolean {
  const op = f.operations.list.find((o) => o.name === opName);
  const header = op?.fixedHeader ?? f.operations.fixedHeader;
  const def = f.definitions.find((d) => d.name === header);
  if (def === undefined || def.kind !== 'struct') return false;
  const names = new Set(def.members.map((m) => m.name));
  return names.has('ifindex') && names.has('parent');
}

/**
 * Whether an op's dump lists one action kind at a time: its request carries tc's `tab` of actions, each naming a
 * `kind` (tca_action_gd's dump reads the kind from TCA_ACT_TAB's first entry and lists nothing without one).
 */
function listsOneKind(f: Family, opName: string): boolean {
  const op = f.operations.list.find((o) => o.name === opName);
  if (!op?.dump?.request.attributes.includes('tab') || op.attributeSet === undefined) return false;
  const tab = f.attributeSets.find((x) => x.name === op.attributeSet)?.attributes.find((a) => a.name === 'tab');
  const inner = f.attributeSets.find((x) => x.name === tab?.nestedAttributes);
  return inner?.attributes.some((a) => a.name === 'kind' && a.type === 'string') ?? false;
}

/** Remembers the kinds of the actions a reply lists (`act: [{ kind }]`, at any depth). */
function noteActionKinds(v: unknown, kinds: Set<string>, depth = 0): void {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || depth > 16) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'act' && Array.isArray(x)) for (const a of x) if (typeof (a as { kind?: unknown })?.kind === 'string') kinds.add((a as { kind: string }).kind);
    noteActionKinds(x, kinds, depth + 1);
  }
}

/** Remembers the device and handle of a reply that has both (a qdisc, a class). */
function noteHandle(reply: unknown, handles: Map<number, Set<number>>): void {
  const r = reply as { ifindex?: unknown; handle?: unknown };
  if (typeof r.ifindex !== 'number' || typeof r.handle !== 'number' || r.ifindex <= 0) return;
  let set = handles.get(r.ifindex);
  if (set === undefined) handles.set(r.ifindex, (set = new Set()));
  set.add(r.handle >>> 0);
}

/** TC_H_MIN_INGRESS and TC_H_MIN_EGRESS under TC_H_CLSACT (linux/pkt_sched.h): where clsact's filters hang. */
const CLSACT_PARENTS = [0xfffffff2, 0xfffffff3];

/** Handles per device: from dumps of everything (qdiscs), and from dumps scoped to a device (classes, filters). */
interface DeviceHandles {
  all: Map<number, Set<number>>;
  scoped: Map<number, Set<number>>;
}

/**
 * Requests that list, device by device, what scoped dumps hold: parent 0 (the root qdisc's block; every class of the
 * device), each qdisc's handle, each class's (a handle under a qdisc's major), and for an ingress/clsact qdisc (major
 * ffff) its two hooks.
 */
function scopedRequests(handles: DeviceHandles): { ifindex: number; parent: number }[] {
  const out: { ifindex: number; parent: number }[] = [];
  for (const [ifindex, qdiscs] of [...handles.all].sort((a, b) => a[0] - b[0])) {
    const majors = new Set([...qdiscs].map((h) => h >>> 16));
    const classes = [...(handles.scoped.get(ifindex) ?? [])].filter((h) => majors.has(h >>> 16) && (h & 0xffff) !== 0);
    const parents = new Set([0, ...qdiscs, ...classes]);
    if (majors.has(0xffff)) for (const p of CLSACT_PARENTS) parents.add(p);
    for (const parent of parents) out.push({ ifindex, parent });
  }
  return out;
}

/** What the survey uses of an op's dump codec. */
interface DumpCodec {
  encodeRequest(request: object): Uint8Array;
  decodeReply(payload: Uint8Array): unknown;
  readonly layout?: { readonly request: number };
}

/** Bytes a scalar of each wire type takes. */
const SCALAR_SIZE: Readonly<Record<string, number>> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8, flag: 0 };

/**
 * A checker of one dump op's reply messages: walks their attributes with the spec's sets (nests and indexed arrays
 * followed; sub-messages left to the decoders) and reports each attribute whose payload size the spec's type or
 * struct cannot hold, once per place. Undefined when the op has no attribute set.
 */
function rawSizeChecker(f: Family, opName: string, found: (where: string, message: string) => void): ((m: { data: Uint8Array; view: DataView; start: number; end: number }) => void) | undefined {
  const op = f.operations.list.find((o) => o.name === opName);
  const sets = new Map(f.attributeSets.map((s) => [s.name, s]));
  const root = op?.attributeSet === undefined ? undefined : sets.get(op.attributeSet);
  if (op === undefined || root === undefined) return undefined;
  const headerName = op.fixedHeader ?? f.operations.fixedHeader;
  const header = headerName === undefined ? undefined : f.definitions.find((d) => d.name === headerName && d.kind === 'struct');
  const hdr = header?.kind === 'struct' ? (header.size + 3) & ~3 : 0;
  const seen = new Set<string>();
  const structSize = (name: string) => {
    const d = f.definitions.find((x) => x.name === name);
    return d?.kind === 'struct' ? d.size : undefined;
  };
  const report = (path: string, what: string, len: number, want: string) => {
    const key = `${path}:${len}`;
    if (seen.has(key)) return;
    seen.add(key);
    found(path, `the kernel sent ${len} bytes; the spec's ${what} takes ${want}`);
  };
  const walk = (set: AttrSet, v: DataView, p: number, end: number, path: string, depth: number): void => {
    while (p + 4 <= end) {
      const len = v.getUint16(p, true);
      if (len < 4 || p + len > end) return;
      const type = v.getUint16(p + 2, true) & 0x3fff;
      const size = len - 4;
      const a = set.attributes.find((x) => x.value === type);
      if (a !== undefined) {
        const at = path === '' ? a.name : `${path}.${a.name}`;
        const scalar = SCALAR_SIZE[a.type];
        if (scalar !== undefined && size !== scalar) report(at, a.type, size, `${scalar}`);
        else if ((a.type === 'uint' || a.type === 'sint') && size !== 4 && size !== 8) report(at, a.type, size, '4 or 8');
        else if (a.type === 'binary' && a.struct !== undefined) {
          const s = structSize(a.struct);
          if (s !== undefined && size < s) report(at, `struct ${a.struct}`, size, `${s}`);
        } else if (a.type === 'binary' && a.checks.exactLen !== undefined && size !== a.checks.exactLen) report(at, 'binary', size, `exactly ${a.checks.exactLen}`);
        else if (depth < 16 && a.nestedAttributes !== undefined && sets.has(a.nestedAttributes)) {
          const inner = sets.get(a.nestedAttributes)!;
          if (a.type === 'nest') walk(inner, v, p + 4, p + len, at, depth + 1);
          else if (a.type === 'indexed-array' && a.subType === 'nest') {
            for (let q = p + 4; q + 4 <= p + len; ) {
              const l = v.getUint16(q, true);
              if (l < 4 || q + l > p + len) break;
              walk(inner, v, q + 4, q + l, `${at}[]`, depth + 1);
              q += (l + 3) & ~3;
            }
          }
        }
      }
      p += (len + 3) & ~3;
    }
  };
  return (m) => walk(root, m.view, m.start + hdr, m.end, '', 0);
}

/** Calls `found` for every `$unknown` attribute in a decoded value, with the property path it sat under. */
function walkUnknown(v: unknown, path: string, found: (path: string, type: number, len: number) => void): void {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return;
  if (Array.isArray(v)) {
    for (const x of v) walkUnknown(x, `${path}[]`, found);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k === '$unknown' && Array.isArray(x)) {
      for (const u of x as { type: number; data: Uint8Array }[]) found(path, u.type, u.data.length);
    } else walkUnknown(x, path === '' ? k : `${path}.${k}`, found);
  }
}

/** Options of `nlgen doctor`. */
export interface DoctorOptions extends FamilyOptions {
  output: OutputFormat;
  netns?: string;
}

/** Checks one family; the report lists findings (disagreements) and notes. */
export async function doctorFamily(o: DoctorOptions): Promise<FamilyReport> {
  const f = await loadModel(findFamily(o));
  const findings: Finding[] = [];
  const notes: string[] = [];
  if (f.protocol === 'netlink-raw') {
    const ran = await surveyRaw(f, o, findings, notes);
    return { family: f.name, protocol: f.protocol, present: ran, findings, notes };
  }
  const k = await readKernelFamily(f.kernelFamily ?? f.name, o.netns);
  if (k === undefined) return { family: f.name, protocol: f.protocol, present: false, findings, notes: [`the running kernel has no generic netlink family "${f.kernelFamily ?? f.name}" (module not loaded, or not built)`] };
  compareGenl(f, k, findings, notes);
  return { family: f.name, protocol: f.protocol, present: true, findings, notes };
}

/** `nlgen doctor`: prints the report; exit 1 when the spec and the kernel disagree. */
export async function runDoctor(o: DoctorOptions, out: ToolOutput): Promise<number> {
  const r = await doctorFamily(o);
  if (o.output === 'json') await out.write(`${jsonText(r)}\n`);
  else {
    let s = `${r.family} (${r.protocol}): ${!r.present ? 'not in this kernel' : r.findings.length === 0 ? 'agrees with the kernel' : `${r.findings.length} disagreement${r.findings.length === 1 ? '' : 's'}`}\n`;
    for (const x of r.findings) s += `  ${x.kind}: ${x.where}: ${x.message}\n`;
    for (const n of r.notes) s += `  note: ${n}\n`;
    await out.write(s);
  }
  return r.findings.length > 0 ? 1 : 0;
}
