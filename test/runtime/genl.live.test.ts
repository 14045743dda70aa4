// Generic netlink family resolution through nlctrl, compared with `genl ctrl list`; subscription by group name.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import {
  AttrCursor,
  clearFamilyCache,
  FamilyNotFoundError,
  GENL_HDRLEN,
  listFamilies,
  NETLINK_GENERIC,
  NetlinkSocket,
  resolveFamily,
  subscribeGenl,
  type GenlFamily,
} from '@nlgen/runtime';
import { createNetns, liveSkipReason } from '../support/netns.js';

const skip = liveSkipReason();
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface CtrlListEntry {
  name: string;
  id: number;
  version: number;
  hdrSize: number;
  maxAttr: number;
  /** iproute2 prints capability flags only for families of version ≥ 2; flags are undefined otherwise. */
  ops: { id: number; flags?: number }[];
  groups: Map<string, number>;
}

/** Parses the text of `genl ctrl list` (iproute2), the independent oracle. */
function genlCtrlList(netns?: string): Map<string, CtrlListEntry> {
  const args = netns ? ['netns', 'exec', netns, 'genl', 'ctrl', 'list'] : ['ctrl', 'list'];
  const text = execFileSync(netns ? 'ip' : 'genl', args, { encoding: 'utf8' });
  const out = new Map<string, CtrlListEntry>();
  for (const block of text.split(/\n(?=Name: )/)) {
    const name = /Name: (\S+)/.exec(block)?.[1];
    if (!name) continue;
    const head = /ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)/.exec(block)!;
    const ops: { id: number; flags?: number }[] = [];
    const opRe = /#\d+:\s+ID-(0x[0-9a-f]+)\s*\n(?:\s*Capabilities \((0x[0-9a-f]+)\))?/g;
    const cmdPart = block.split('multicast groups:')[0];
    for (const m of cmdPart.matchAll(opRe)) ops.push(m[2] ? { id: Number(m[1]), flags: Number(m[2]) } : { id: Number(m[1]) });
    const groups = new Map<string, number>();
    const grpPart = block.split('multicast groups:')[1] ?? '';
    for (const m of grpPart.matchAll(/ID-(0x[0-9a-f]+)\s+name: (\S+)/g)) groups.set(m[2], Number(m[1]));
    out.set(name, { name, id: Number(head[1]), version: Number(head[2]), hdrSize: Number(head[3]), maxAttr: Number(head[4]), ops, groups });
  }
  return out;
}

function expectSame(f: GenlFamily, want: CtrlListEntry): void {
  expect(f.name).toBe(want.name);
  expect(f.id).toBe(want.id);
  expect(f.version).toBe(want.version);
  expect(f.hdrSize).toBe(want.hdrSize);
  expect(f.maxAttr).toBe(want.maxAttr);
  expect(f.ops.map((o, i) => (want.ops[i]?.flags === undefined ? { id: o.id } : o))).toEqual(want.ops);
  expect([...f.mcastGroups].sort()).toEqual([...want.groups].sort());
}

describe.skipIf(skip)('generic netlink', () => {
  test('resolves nlctrl, netdev and ethtool exactly as genl ctrl list reports them', async () => {
    const oracle = genlCtrlList();
    await using sock = await NetlinkSocket.open(NETLINK_GENERIC);
    for (const name of ['nlctrl', 'netdev', 'ethtool']) {
      const want = oracle.get(name);
      expect(want, `genl ctrl list lacks ${name}`).toBeDefined();
      const fam = await resolveFamily(sock, name);
      expectSame(fam, want!);
      expect(fam.mcastGroups.size).toBeGreaterThan(0);
    }
    // Cached per namespace: the same object comes back.
    expect(await resolveFamily(sock, 'ethtool')).toBe(await resolveFamily(sock, 'ethtool'));
    // The whole list agrees too.
    const all = await listFamilies(sock);
    expect(all.map((f) => f.name).sort()).toEqual([...oracle.keys()].sort());
    for (const f of all) expectSame(f, oracle.get(f.name)!);
  });

  test('a missing family is a typed error with a clear message', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_GENERIC);
    const err = await resolveFamily(sock, 'no_such_family').catch((e) => e);
    expect(err).toBeInstanceOf(FamilyNotFoundError);
    expect(err.message).toBe("family 'no_such_family' is not available in this kernel");
  });

  test('the cache is per network namespace', async () => {
    const ns = createNetns('nlgenl');
    cleanups.push(() => ns.dispose());
    clearFamilyCache();
    await using here = await NetlinkSocket.open(NETLINK_GENERIC);
    await using there = await NetlinkSocket.open(NETLINK_GENERIC, { netns: ns.name });
    expect(there.netnsId).not.toBe(here.netnsId);
    const a = await resolveFamily(here, 'netdev');
    const b = await resolveFamily(there, 'netdev');
    expect(b).not.toBe(a);
    expectSame(b, genlCtrlList(ns.name).get('netdev')!);
  });

  test('subscribing by group name delivers netdev notifications for a new link', async () => {
    const ns = createNetns('nlgenl');
    cleanups.push(() => ns.dispose());
    await using sock = await NetlinkSocket.open(NETLINK_GENERIC, { netns: ns.name });
    const fam = await resolveFamily(sock, 'netdev');
    const sub = await subscribeGenl(sock, 'netdev', ['mgmt']);
    expect([...sub.groups]).toEqual([fam.mcastGroups.get('mgmt')]);
    await expect(subscribeGenl(sock, 'netdev', ['nope'])).rejects.toThrow(/no multicast group 'nope'.*mgmt/);
    ns.ip('link', 'add', 'nv0', 'type', 'veth', 'peer', 'name', 'nv1');
    const ifindexes = new Set(ns.ipJson<{ ifindex: number }[]>('link', 'show').map((l) => l.ifindex));
    const seen = new Set<number>();
    for await (const ev of sub) {
      if (ev.kind !== 'message') continue;
      expect(ev.type).toBe(fam.id);
      expect(ev.group).toBe(fam.mcastGroups.get('mgmt'));
      const c = new AttrCursor().reset(ev.view, ev.start + GENL_HDRLEN, ev.end);
      while (c.next()) if (c.type === 1) seen.add(ev.view.getUint32(c.start, true)); // NETDEV_A_DEV_IFINDEX
      if (seen.size >= 2) break;
    }
    for (const i of seen) expect(ifindexes.has(i)).toBe(true);
    expect(sub.ended).toBe(true);
  });
});
