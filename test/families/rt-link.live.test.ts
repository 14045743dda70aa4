// rt-link through the generated client against the live kernel, in a throwaway namespace: a veth pair, a bridge
// and a vxlan are created, changed (mtu, master, up/down), dumped and read back, created twice and deleted, all
// through RtLink; `ip -j -d link show` is the oracle for every field, the uapi headers for names of numbers, and
// each change must be announced by a typed notification. IPv6 is off in the namespace and the bridge does not
// snoop multicast, so bringing links up sends nothing (no router solicitations, DAD, MLD or IGMP); the transmit
// counters prove it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { IfinfoFlags, RtLink, type GetlinkDumpReply, type RtLinkNotification } from '../../generated/rt-link.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { logNotifications, type NotificationLog } from './notifications.js';
import { defines, enumOrder, iffNames } from './uapi.js';

const skip = liveSkipReason();

/** What `ip -j -d link show` prints per link (the fields compared here). */
interface IpLink {
  ifindex: number;
  ifname: string;
  link?: string;
  flags: string[];
  mtu: number;
  master?: string;
  operstate: string;
  linkmode: string;
  group: string;
  txqlen: number;
  link_type: string;
  address: string;
  broadcast: string;
  promiscuity: number;
  allmulti: number;
  min_mtu: number;
  max_mtu: number;
  num_tx_queues: number;
  num_rx_queues: number;
  gso_max_size: number;
  gso_max_segs: number;
  tso_max_size: number;
  tso_max_segs: number;
  gro_max_size: number;
  linkinfo?: {
    info_kind?: string;
    info_data?: Record<string, unknown>;
    info_slave_kind?: string;
    info_slave_data?: Record<string, unknown>;
  };
}

const IFF = iffNames();
const OPER = enumOrder('if.h', 'IF_OPER_');
const BR_STATE = new Map([...defines('if_bridge.h', 'BR_STATE_')].map(([n, v]) => [v, n.toLowerCase()]));
const ARPHRD = defines('if_arp.h', 'ARPHRD_');
const IFF_UP = IfinfoFlags.up;

/** The flag words iproute2 prints for a link: IFF names minus RUNNING, plus NO-CARRIER and M-DOWN (ipaddress.c). */
function ipFlags(l: GetlinkDumpReply, byIndex: Map<number, GetlinkDumpReply>): string[] {
  const bits = l.ifiFlags.reduce<number>((acc, f) => acc | (typeof f === 'number' ? f : IfinfoFlags[f]), 0);
  const out: string[] = [];
  if (bits & IFF_UP && !(bits & IfinfoFlags.running)) out.push('NO-CARRIER');
  for (const [bit, name] of IFF) if (bits & bit && bit !== IfinfoFlags.running) out.push(name);
  // ip marks a link whose lower device (IFLA_LINK) is down.
  const lower = l.link !== undefined && l.link !== 0 ? byIndex.get(l.link) : undefined;
  if (lower !== undefined && !lower.ifiFlags.includes('up')) out.push('M-DOWN');
  return out.sort();
}

/** Compares one dumped link with iproute2's view of it, field by field. */
function expectSameLink(ours: GetlinkDumpReply, ip: IpLink, byIndex: Map<number, GetlinkDumpReply>): void {
  const nameOf = (i: number | undefined) => (i === undefined || i === 0 ? undefined : byIndex.get(i)?.ifname);
  const at = `link ${ip.ifname}`;
  expect(ours.ifname, at).toBe(ip.ifname);
  expect(ours.mtu, at).toBe(ip.mtu);
  expect(ours.address, at).toBe(ip.address);
  expect(ours.broadcast, at).toBe(ip.broadcast);
  expect(ours.txqlen, at).toBe(ip.txqlen);
  expect(ours.promiscuity, at).toBe(ip.promiscuity);
  expect(ours.allmulti, at).toBe(ip.allmulti);
  expect(ours.minMtu, at).toBe(ip.min_mtu);
  expect(ours.maxMtu, at).toBe(ip.max_mtu);
  expect(ours.numTxQueues, at).toBe(ip.num_tx_queues);
  expect(ours.numRxQueues, at).toBe(ip.num_rx_queues);
  expect(ours.gsoMaxSize, at).toBe(ip.gso_max_size);
  expect(ours.gsoMaxSegs, at).toBe(ip.gso_max_segs);
  expect(ours.tsoMaxSize, at).toBe(ip.tso_max_size);
  expect(ours.tsoMaxSegs, at).toBe(ip.tso_max_segs);
  expect(ours.groMaxSize, at).toBe(ip.gro_max_size);
  expect(ours.group === 0 ? 'default' : String(ours.group), at).toBe(ip.group);
  expect(ours.linkmode === 0 ? 'DEFAULT' : 'DORMANT', at).toBe(ip.linkmode);
  expect(OPER[ours.operstate!], at).toBe(ip.operstate);
  expect(ours.ifiType, at).toBe(ARPHRD.get(ip.link_type === 'ether' ? 'ETHER' : 'LOOPBACK'));
  expect(ipFlags(ours, byIndex), at).toEqual([...ip.flags].sort());
  expect(nameOf(ours.master), at).toBe(ip.master);
  expect(nameOf(ours.link), at).toBe(ip.link);
  expect(ours.linkinfo?.kind, at).toBe(ip.linkinfo?.info_kind);
  expect(ours.linkinfo?.slaveKind, at).toBe(ip.linkinfo?.info_slave_kind);
  const li = ours.linkinfo;
  const data = ip.linkinfo?.info_data;
  if (li?.kind === 'bridge') {
    const d = li.data!;
    expect(d, at).toBeDefined();
    expect({
      stp_state: d.stpState,
      forward_delay: d.forwardDelay,
      hello_time: d.helloTime,
      max_age: d.maxAge,
      ageing_time: d.ageingTime,
      priority: d.priority,
      vlan_filtering: d.vlanFiltering,
      root_port: d.rootPort,
      mcast_snooping: d.mcastSnooping,
      mcast_hash_max: d.mcastHashMax,
      nf_call_iptables: d.nfCallIptables,
    }, at).toEqual({
      stp_state: data!.stp_state,
      forward_delay: data!.forward_delay,
      hello_time: data!.hello_time,
      max_age: data!.max_age,
      ageing_time: data!.ageing_time,
      priority: data!.priority,
      vlan_filtering: data!.vlan_filtering,
      root_port: data!.root_port,
      mcast_snooping: data!.mcast_snooping,
      mcast_hash_max: data!.mcast_hash_max,
      nf_call_iptables: data!.nf_call_iptables,
    });
    expect(d.groupAddr, at).toBe(data!.group_addr);
  }
  if (li?.kind === 'vxlan') {
    const d = li.data!;
    expect({
      id: d.id,
      local: d.local,
      port: d.port,
      ttl: d.ttl,
      learning: d.learning === 1,
      ageing: d.ageing,
      udp_csum: d.udpCsum === 1,
      link: nameOf(d.link),
      port_range: d.portRange === undefined ? undefined : { low: d.portRange.low, high: d.portRange.high },
    }, at).toEqual({
      id: data!.id,
      local: data!.local,
      port: data!.port,
      ttl: data!.ttl,
      learning: data!.learning,
      ageing: data!.ageing,
      udp_csum: data!.udp_csum,
      link: data!.link,
      port_range: data!.port_range,
    });
  }
  if (li?.slaveKind === 'bridge') {
    const s = li.slaveData!;
    const sd = ip.linkinfo!.info_slave_data!;
    expect({ state: BR_STATE.get(s.state!), priority: s.priority, cost: s.cost, learning: s.learning === 1, no: s.no }, at).toEqual({
      state: sd.state,
      priority: sd.priority,
      cost: sd.cost,
      learning: sd.learning,
      no: Number(sd.no),
    });
  }
}

describe.skipIf(skip !== undefined)('rt-link through the generated client, live', () => {
  let ns: TestNetns;
  let link: RtLink;
  /** A second socket that only listens, so notifications are not mixed with the requests' replies. */
  let watcher: RtLink;
  let log: NotificationLog<RtLinkNotification>;
  const index = new Map<string, number>();
  const ifindexOf = (name: string) => ns.ipJson<IpLink[]>('link', 'show', 'dev', name)[0]!.ifindex;
  const ntf = (name: RtLinkNotification['name'], ifname: string, more: (m: RtLinkNotification['msg']) => boolean = () => true) =>
    log.waitFor((n) => n.name === name && n.msg.ifname === ifname && more(n.msg));

  beforeAll(async () => {
    ns = createNetns('nlgen-rtlink');
    // New links start without IPv6, so bringing them up sends no packet.
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv6.conf.all.disable_ipv6=1']);
    link = await RtLink.open({ netns: ns.name });
    watcher = await RtLink.open({ netns: ns.name });
    log = logNotifications((signal) => watcher.subscribe(['rtnlgrp-link'], { signal }));
  });
  afterAll(async () => {
    await log?.close();
    watcher?.close();
    link?.close();
    ns?.dispose();
  });

  test('creates a veth pair, a bridge and a vxlan with kind data; each creation is notified', async () => {
    await link.newlink(
      { ifname: 'h2-va', linkinfo: { kind: 'veth', data: { peer: { ifiFamily: 0, ifiType: 0, ifiIndex: 0, ifiFlags: [], ifiChange: 0, ifname: 'h2-vb', txqlen: 500 } } } },
      { create: true, excl: true },
    );
    await link.newlink(
      // Snooping off: a snooping bridge joins the all-snoopers group (224.0.0.106) and sends an IGMP report for it.
      { ifname: 'h2-br', linkinfo: { kind: 'bridge', data: { stpState: 0, priority: 4096, ageingTime: 20000, helloTime: 300, mcastSnooping: 0 } } },
      { create: true, excl: true },
    );
    index.set('h2-va', ifindexOf('h2-va'));
    index.set('h2-vb', ifindexOf('h2-vb'));
    index.set('h2-br', ifindexOf('h2-br'));
    await link.newlink(
      { ifname: 'h2-vx', mtu: 1450, linkinfo: { kind: 'vxlan', data: { id: 4242, port: 4789, local: '192.0.2.1', link: index.get('h2-vb')!, ttl: 64, learning: 0 } } },
      { create: true, excl: true },
    );
    index.set('h2-vx', ifindexOf('h2-vx'));

    const shown = ns.ipJson<IpLink[]>('-d', 'link', 'show');
    const byName = new Map(shown.map((l) => [l.ifname, l]));
    expect(byName.get('h2-va')).toMatchObject({ link: 'h2-vb', linkinfo: { info_kind: 'veth' } });
    expect(byName.get('h2-vb')).toMatchObject({ link: 'h2-va', txqlen: 500 });
    expect(byName.get('h2-br')!.linkinfo!.info_data).toMatchObject({ stp_state: 0, priority: 4096, ageing_time: 20000, hello_time: 300, mcast_snooping: 0 });
    expect(byName.get('h2-vx')).toMatchObject({ mtu: 1450 });
    expect(byName.get('h2-vx')!.linkinfo!.info_data).toMatchObject({ id: 4242, port: 4789, local: '192.0.2.1', link: 'h2-vb', ttl: 64, learning: false });

    for (const name of ['h2-va', 'h2-vb', 'h2-br']) {
      const n = await ntf('newlink-ntf', name);
      expect(n.msg.ifiIndex).toBe(index.get(name));
    }
    const vx = await ntf('newlink-ntf', 'h2-vx');
    expect(vx.msg.linkinfo?.kind).toBe('vxlan');
    if (vx.msg.linkinfo?.kind === 'vxlan') expect(vx.msg.linkinfo.data).toMatchObject({ id: 4242, port: 4789, local: '192.0.2.1' });
  });

  test('a second create of the same name fails with EEXIST', async () => {
    const err = await link.newlink({ ifname: 'h2-br', linkinfo: { kind: 'bridge' } }, { create: true, excl: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    const e = err as NetlinkError;
    expect(e.code).toBe('EEXIST');
    expect(e.errno).toBe(17);
    // This kernel attaches no extended ACK text or attribute offset to this EEXIST (rtnl_newlink returns the bare
    // errno), so there is no message and no property path to name.
    expect(e.extack?.message).toBeUndefined();
    expect(e.extack?.badAttrOffset).toBeUndefined();
    expect((e as NetlinkError & { path?: string }).path).toBeUndefined();
    // The existing bridge is untouched: still exactly one link of that name.
    expect(ns.ipJson<IpLink[]>('link', 'show').filter((l) => l.ifname === 'h2-br')).toHaveLength(1);
  });

  test('mtu, master and up/down set through setlink; each change is notified', async () => {
    let mark = log.seen.length;
    await link.setlink({ ifname: 'h2-va', mtu: 1400 });
    await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === 'h2-va' && n.msg.mtu === 1400, mark);
    expect(ns.ipJson<IpLink[]>('link', 'show', 'dev', 'h2-va')[0]!.mtu).toBe(1400);

    mark = log.seen.length;
    await link.setlink({ ifiIndex: index.get('h2-va')!, master: index.get('h2-br')! });
    await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === 'h2-va' && n.msg.master === index.get('h2-br'), mark);
    expect(ns.ipJson<IpLink[]>('link', 'show', 'dev', 'h2-va')[0]!.master).toBe('h2-br');

    mark = log.seen.length;
    for (const name of ['h2-br', 'h2-va', 'h2-vb']) await link.setlink({ ifname: name, ifiFlags: ['up'], ifiChange: IFF_UP });
    for (const name of ['h2-br', 'h2-va', 'h2-vb']) {
      await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === name && n.msg.ifiFlags.includes('up'), mark);
    }
    // With both ends up the pair has a carrier and the bridge follows its port; operational states settle
    // asynchronously (linkwatch), so wait until each is announced as up before reading them back.
    for (const name of ['h2-br', 'h2-va', 'h2-vb']) {
      await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === name && OPER[n.msg.operstate!] === 'UP', mark);
      const ip = ns.ipJson<IpLink[]>('link', 'show', 'dev', name)[0]!;
      expect(ip.flags, name).toEqual(expect.arrayContaining(['UP', 'LOWER_UP']));
      expect(ip.operstate, name).toBe('UP');
    }

    mark = log.seen.length;
    await link.setlink({ ifname: 'h2-vb', ifiFlags: [], ifiChange: IFF_UP });
    await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === 'h2-vb' && !n.msg.ifiFlags.includes('up'), mark);
    // The peer loses its carrier when h2-vb goes down, and the bridge loses its only forwarding port.
    await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === 'h2-va' && OPER[n.msg.operstate!] === 'LOWERLAYERDOWN', mark);
    await log.waitFor((n) => n.name === 'newlink-ntf' && n.msg.ifname === 'h2-br' && OPER[n.msg.operstate!] === 'DOWN', mark);
    expect(ns.ipJson<IpLink[]>('link', 'show', 'dev', 'h2-vb')[0]!.flags).not.toContain('UP');
  });

  test('dump agrees with `ip -j -d link show` on every common field', async () => {
    const ours = await link.getlinkDump().toArray();
    const ip = ns.ipJson<IpLink[]>('-d', 'link', 'show');
    expect(ours.map((l) => l.ifiIndex).sort()).toEqual(ip.map((l) => l.ifindex).sort());
    const byIndex = new Map(ours.map((l) => [l.ifiIndex, l]));
    for (const l of ip) expectSameLink(byIndex.get(l.ifindex)!, l, byIndex);
    // The states set above are what both sides see.
    expect(byIndex.get(index.get('h2-va')!)!.master).toBe(index.get('h2-br'));
    expect(OPER[byIndex.get(index.get('h2-va')!)!.operstate!]).toBe('LOWERLAYERDOWN');
    expect(OPER[byIndex.get(index.get('h2-vb')!)!.operstate!]).toBe('DOWN');
    expect(OPER[byIndex.get(index.get('h2-br')!)!.operstate!]).toBe('DOWN');
    // Links went up and down, yet nothing was sent, or even tried (IPv6 is off, no addresses, no STP).
    for (const name of ['h2-va', 'h2-vb', 'h2-br', 'h2-vx']) {
      const tx = ns.ipJson<{ stats64: { tx: { packets: number; dropped: number } } }[]>('-s', 'link', 'show', 'dev', name)[0]!.stats64.tx;
      expect(tx, name).toMatchObject({ packets: 0, dropped: 0 });
    }
  });

  test('dumps filtered in the kernel by master and by kind agree with `ip link show master|type`', async () => {
    const ports = await link.getlinkDump({ master: index.get('h2-br')! }).toArray();
    expect(ports.map((l) => l.ifname).sort()).toEqual(ns.ipJson<IpLink[]>('link', 'show', 'master', 'h2-br').map((l) => l.ifname).sort());
    expect(ports.map((l) => l.ifname)).toEqual(['h2-va']);
    const veths = await link.getlinkDump({ linkinfo: { kind: 'veth' } }).toArray();
    expect(veths.map((l) => l.ifname).sort()).toEqual(ns.ipJson<IpLink[]>('link', 'show', 'type', 'veth').map((l) => l.ifname).sort());
    expect(veths.map((l) => l.ifname).sort()).toEqual(['h2-va', 'h2-vb']);
  });

  test('getlink by name and by index returns the link the dump shows', async () => {
    const ip = ns.ipJson<IpLink[]>('-d', 'link', 'show');
    const all = await link.getlinkDump().toArray();
    const byIndex = new Map(all.map((l) => [l.ifiIndex, l]));
    for (const name of ['h2-va', 'h2-br', 'h2-vx']) {
      const got = await link.getlink({ ifname: name });
      expect(got.ifiIndex).toBe(index.get(name));
      expectSameLink(got, ip.find((l) => l.ifname === name)!, byIndex);
      const again = await link.getlink({ ifiIndex: index.get(name)! });
      expect(again.ifname).toBe(name);
    }
    const missing = await link.getlink({ ifname: 'h2-none' }).catch((e: unknown) => e);
    expect((missing as NetlinkError).code).toBe('ENODEV');
  });

  test('dellink removes each link; each removal is notified', async () => {
    const mark = log.seen.length;
    await link.dellink({ ifname: 'h2-vx' });
    await link.dellink({ ifiIndex: index.get('h2-br')! });
    await link.dellink({ ifname: 'h2-va' }); // takes its peer with it
    for (const name of ['h2-vx', 'h2-br', 'h2-va', 'h2-vb']) {
      const n = await log.waitFor((x) => x.name === 'dellink-ntf' && x.msg.ifname === name, mark);
      expect(n.msg.ifiIndex).toBe(index.get(name));
    }
    expect(ns.ipJson<IpLink[]>('link', 'show').map((l) => l.ifname)).toEqual(['lo']);
    const gone = await link.dellink({ ifname: 'h2-va' }).catch((e: unknown) => e);
    expect((gone as NetlinkError).code).toBe('ENODEV');
  });
});
