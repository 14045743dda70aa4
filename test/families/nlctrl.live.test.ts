// nlctrl through the generated client against the live kernel; iproute2's `genl ctrl` is the oracle.
// test/generated/clients.live.test.ts already checks family names and ids; this file checks everything else
// `genl` prints: version, header size, max attribute, commands with capability flags, multicast groups, and
// whole policy dumps rendered line for line the way iproute2 renders them.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { Nlctrl, OpFlags, AttrType, type GetpolicyDumpReply, type GetfamilyReply } from '../../generated/nlctrl.js';
import { parseGenlFamilies, type GenlFamily } from '../support/genl.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

/** The flag names the client decoded, turned back into the number the kernel sent. */
function flagBits(names: readonly (string | number)[]): number {
  let v = 0;
  for (const n of names) v |= typeof n === 'number' ? n : OpFlags[n as keyof typeof OpFlags];
  return v;
}

/** Our decoded family in the shape parsed from `genl`, keeping only what genl prints when present. */
function asGenl(f: GetfamilyReply): GenlFamily {
  const fam: GenlFamily = {
    name: f.familyName!,
    id: f.familyId!,
    ops: (f.ops ?? []).map((o) => (o.flags === undefined ? { id: o.id! } : { id: o.id!, flags: flagBits(o.flags) })),
    groups: (f.mcastGroups ?? []).map((g) => ({ id: g.id!, name: g.name! })),
  };
  if (f.version !== undefined) fam.version = f.version;
  if (f.hdrsize !== undefined) fam.hdrsize = f.hdrsize;
  if (f.maxattr !== undefined) fam.maxattr = f.maxattr;
  return fam;
}

/**
 * iproute2 up to 6.1 prints command capabilities only for families of version 2 or later (print_ctrl_cmds'
 * `ctrl_ver >= 0x2`); newer releases print them always. Drop ours only where genl cannot have printed them.
 */
function alignCapabilities(ours: GenlFamily, theirs: GenlFamily | undefined): GenlFamily {
  const genlShowed = theirs?.ops.some((o) => o.flags !== undefined) ?? false;
  if (genlShowed || (ours.version ?? 1) >= 2) return ours;
  return { ...ours, ops: ours.ops.map((o) => ({ id: o.id })) };
}

/** iproute2 names only these NL_ATTR_TYPE_* values; everything newer prints as "unknown" (genl/ctrl.c). */
const GENL_TYPE_NAMES = new Set(['u8', 'u16', 'u32', 'u64', 'string', 'flag', 'nested', 'nested-array', 'nul-string', 'binary', 's8', 's16', 's32', 's64', 'bitfield32']);

/**
 * Renders one decoded getpolicy reply as the line iproute2 prints for that message (print_ctrl → print_ops,
 * print_policy, print_policy_attr), so the whole dump can be compared line for line with `genl ctrl policy`.
 */
function renderPolicyMessage(m: GetpolicyDumpReply): string {
  let s = `ID: 0x${m.familyId!.toString(16)} `;
  for (const [op, p] of Object.entries(m.opPolicy ?? {})) {
    s += ` op ${op} policies:`;
    if (p.do !== undefined) s += ` do=${p.do}`;
    if (p.dump !== undefined) s += ` dump=${p.dump}`;
  }
  for (const [idx, attrs] of Object.entries(m.policy ?? {})) {
    s += ` policy[${idx}]:`;
    for (const [type, a] of Object.entries(attrs)) {
      if (a.type !== undefined) {
        const name = typeof a.type === 'string' && GENL_TYPE_NAMES.has(a.type) ? a.type.toUpperCase().replace('-', '_') : 'unknown';
        s += `attr[${type}]: type=${name}`;
      }
      if (a.policyIdx !== undefined) s += ` policy:${a.policyIdx}`;
      if (a.policyMaxtype !== undefined) s += ` maxattr:${a.policyMaxtype}`;
      if (a.minValueS !== undefined && a.maxValueS !== undefined) s += ` range:[${a.minValueS},${a.maxValueS}]`;
      if (a.minValueU !== undefined && a.maxValueU !== undefined) s += ` range:[${a.minValueU},${a.maxValueU}]`;
      if (a.minLength !== undefined) s += ` min len:${a.minLength}`;
      if (a.maxLength !== undefined) s += ` max len:${a.maxLength}`;
    }
  }
  return s.trim();
}

describe.skipIf(skip !== undefined)('nlctrl, live', () => {
  let ns: TestNetns;
  let ctrl: Nlctrl;
  beforeAll(async () => {
    ns = createNetns('nlgen-ctrl');
    ctrl = await Nlctrl.open({ netns: ns.name });
  });
  afterAll(() => {
    ctrl?.close();
    ns?.dispose();
  });

  test('family dump: version, header size, max attribute, commands and groups equal `genl ctrl list`', async () => {
    const ours = (await ctrl.getfamilyDump().toArray()).map(asGenl).sort((a, b) => a.id - b.id);
    const theirs = parseGenlFamilies(ns.exec('genl', ['ctrl', 'list'])).sort((a, b) => a.id - b.id);
    expect(theirs.length).toBeGreaterThan(5);
    // The parse must have seen commands with capability flags and groups, or the comparison below proves little.
    expect(theirs.some((f) => f.ops.some((o) => o.flags !== undefined))).toBe(true);
    expect(theirs.some((f) => f.groups.length > 0)).toBe(true);
    const byId = new Map(theirs.map((f) => [f.id, f]));
    expect(ours.map((f) => alignCapabilities(f, byId.get(f.id)))).toEqual(theirs);
  });

  test('getfamily by name equals `genl ctrl get name` for every family; an unknown name is ENOENT like genl', async () => {
    const names = parseGenlFamilies(ns.exec('genl', ['ctrl', 'list'])).map((f) => f.name);
    for (const name of names) {
      const [theirs] = parseGenlFamilies(ns.exec('genl', ['ctrl', 'get', 'name', name]));
      const one = alignCapabilities(asGenl(await ctrl.getfamily({ familyName: name })), theirs);
      expect(one).toEqual(theirs);
    }
    const err = await ctrl.getfamily({ familyName: 'nlgen-no-such' }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ENOENT');
    // genl reports the same errno text for the same request.
    const genl = spawnSync('ip', ['netns', 'exec', ns.name, 'genl', 'ctrl', 'get', 'name', 'nlgen-no-such'], { encoding: 'utf8' });
    expect(genl.status).not.toBe(0);
    expect(genl.stderr).toMatch(/No such file or directory/); // strerror(ENOENT)
  });

  test.each(['nlctrl', 'netdev', 'ethtool', 'mptcp_pm', 'tcp_metrics'])('policy dump of %s equals `genl ctrl policy name` line for line', async (family) => {
    const msgs = await ctrl.getpolicyDump({ familyName: family }).toArray();
    const ours = msgs.map(renderPolicyMessage);
    const theirs = ns
      .exec('genl', ['ctrl', 'policy', 'name', family])
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    expect(theirs.length).toBeGreaterThan(2);
    expect(ours).toEqual(theirs);
  });

  test('policy dump of nlctrl itself: the facts of genetlink.c ctrl_policy_family / ctrl_policy_policy', async () => {
    // From net/netlink/genetlink.c: getfamily's policy has FAMILY_ID as NLA_U16 and FAMILY_NAME as
    // NLA_NUL_STRING of at most GENL_NAMSIZ - 1 = 15 bytes; getpolicy's adds OP as NLA_U32.
    const msgs = await ctrl.getpolicyDump({ familyName: 'nlctrl' }).toArray();
    const attrs = new Map<string, { type?: unknown; maxLength?: number; maxValueU?: bigint }>();
    const opPolicy = new Map<number, { do?: number; dump?: number }>();
    for (const m of msgs) {
      for (const [op, p] of Object.entries(m.opPolicy ?? {})) opPolicy.set(Number(op), p);
      for (const [idx, set] of Object.entries(m.policy ?? {})) for (const [t, a] of Object.entries(set)) attrs.set(`${idx}/${t}`, a);
    }
    const getfamily = opPolicy.get(3)!; // CTRL_CMD_GETFAMILY
    expect(getfamily.do).toBeDefined();
    const fam = `${getfamily.do}`;
    expect(attrs.get(`${fam}/1`)).toMatchObject({ type: 'u16', maxValueU: 65535n });
    expect(attrs.get(`${fam}/2`)).toMatchObject({ type: 'nul-string', maxLength: 15 });
    expect(AttrType['nul-string']).toBe(12); // NL_ATTR_TYPE_NUL_STRING in linux/netlink.h
    const u32s = [...attrs.entries()].filter(([k, a]) => k.endsWith('/10') && a.type === 'u32');
    expect(u32s.length).toBe(1); // CTRL_ATTR_OP in the getpolicy policy
  });
});
