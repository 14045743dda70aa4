// Generated clients against the live kernel, each test in its own network namespace; iproute2 is the oracle.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { RtLink } from '../../generated/rt-link.js';
import { Nlctrl } from '../../generated/nlctrl.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

describe.skipIf(skip !== undefined)('generated clients, live', () => {
  let ns: TestNetns;
  let link: RtLink;
  beforeAll(async () => {
    ns = createNetns('nlgen-gen');
    link = await RtLink.open({ netns: ns.name });
  });
  afterAll(() => {
    link?.close();
    ns?.dispose();
  });

  test('rt-link: dump matches `ip -j link show`', async () => {
    ns.ip('link', 'add', 'veth-a0', 'type', 'veth', 'peer', 'name', 'veth-b0');
    const links = await link.getlinkDump().toArray();
    const ip = ns.ipJson<{ ifname: string; ifindex: number; mtu: number; address: string }[]>('link', 'show');
    expect(links.map((l) => [l.ifname, l.ifiIndex, l.mtu, l.address]).sort()).toEqual(ip.map((l) => [l.ifname, l.ifindex, l.mtu, l.address]).sort());
    const veth = links.find((l) => l.ifname === 'veth-a0')!;
    expect(veth.linkinfo?.kind).toBe('veth');
  });

  test('rt-link: create a bridge, EEXIST on the second create, get it, delete it; one typed notification', async () => {
    const events = link.subscribe(['rtnlgrp-link'])[Symbol.asyncIterator]();
    const sub = await RtLink.open({ netns: ns.name });
    try {
      await sub.newlink({ ifname: 'br-nl0', mtu: 1400, linkinfo: { kind: 'bridge' } }, { create: true, excl: true });
      const shown = ns.ipJson<{ ifname: string; mtu: number; linkinfo: { info_kind: string } }[]>('-d', 'link', 'show', 'br-nl0');
      expect(shown[0]!.mtu).toBe(1400);
      expect(shown[0]!.linkinfo.info_kind).toBe('bridge');
      const again = await sub.newlink({ ifname: 'br-nl0', linkinfo: { kind: 'bridge' } }, { create: true, excl: true }).catch((e) => e);
      expect(again).toBeInstanceOf(NetlinkError);
      expect((again as NetlinkError).code).toBe('EEXIST');
      const got = await sub.getlink({ ifname: 'br-nl0' });
      expect(got.ifname).toBe('br-nl0');
      expect(got.ifiIndex).toBe(shown.length === 1 ? ns.ipJson<{ ifindex: number }[]>('link', 'show', 'br-nl0')[0]!.ifindex : -1);
      let first: { name: string; msg?: { ifname?: string } } | undefined;
      for (;;) {
        const r = await events.next();
        const v = r.value as { name: string; msg?: { ifname?: string } };
        if (v.name === 'newlink-ntf' && v.msg?.ifname === 'br-nl0') {
          first = v;
          break;
        }
      }
      expect(first?.name).toBe('newlink-ntf');
      await sub.dellink({ ifname: 'br-nl0' });
      expect(ns.ipJson<unknown[]>('link', 'show').some((l) => (l as { ifname: string }).ifname === 'br-nl0')).toBe(false);
    } finally {
      await events.return?.();
      sub.close();
    }
  });

  test('rt-link: the kernel rejects a vxlan id and the error names the property path', async () => {
    const err = await link
      .newlink({ ifname: 'vx-nl0', linkinfo: { kind: 'vxlan', data: { id: 1 << 24 } } }, { create: true, excl: true })
      .catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ERANGE');
    expect((err as NetlinkError & { path?: string }).path).toBe('linkinfo.data(vxlan).id');
  });

  test('rt-link: a value outside the wire type fails validation before sending', async () => {
    await expect(link.newlink({ ifname: 'x', mtu: -1 })).rejects.toThrow(/mtu: -1 is outside/);
  });

  test('nlctrl: family dump and resolve agree with `genl ctrl list`', async () => {
    const ctrl = await Nlctrl.open({ netns: ns.name });
    try {
      const families = await ctrl.getfamilyDump().toArray();
      const byName = new Map(families.map((f) => [f.familyName, f.familyId]));
      expect(byName.get('nlctrl')).toBe(16);
      const one = await ctrl.getfamily({ familyName: 'nlctrl' });
      expect(one.familyId).toBe(16);
      const text = ns.exec('genl', ['ctrl', 'list']);
      const listed = [...text.matchAll(/Name: (\S+)\s+ID: (0x[0-9a-f]+)/g)].map((m) => [m[1], parseInt(m[2]!, 16)]);
      expect(listed.length).toBeGreaterThan(3);
      for (const [name, id] of listed) expect(byName.get(name as string)).toBe(id);
    } finally {
      ctrl.close();
    }
  });
});
