// rt-addr through the generated client against the live kernel, in a throwaway namespace: IPv4 and IPv6
// addresses are added (labels, broadcast, a point-to-point peer, a prefix-route metric, finite lifetimes, nodad and
// noprefixroute flags), dumped and compared with `ip -j addr show`, and deleted, each change announced by a typed
// notification. The interface stays down, IPv6 addresses skip duplicate address detection and MLD stays in v1 mode,
// so nothing is sent (the transmit counters prove it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError, ValidationError } from '@nlgen/runtime';
import { RtAddr, type GetaddrDumpReply, type NewaddrRequest, type RtAddrNotification } from '../../generated/rt-addr.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { logNotifications, type NotificationLog } from './notifications.js';
import { enumValues } from './uapi.js';

const skip = liveSkipReason();

const AF_INET = 2;
const AF_INET6 = 10;
const FOREVER = 0xffffffff;

/** One entry of `ip -j addr show`'s addr_info. */
interface IpAddr {
  family: 'inet' | 'inet6';
  local: string;
  address?: string;
  prefixlen: number;
  broadcast?: string;
  scope: string;
  label?: string;
  metric?: number;
  valid_life_time: number;
  preferred_life_time: number;
  [flag: string]: unknown;
}

/** iproute2's scope names (rt_scopes: RT_SCOPE_UNIVERSE prints as "global"). */
const RT_SCOPE = enumValues('rtnetlink.h', 'RT_SCOPE_');
const SCOPE = new Map([...RT_SCOPE].map(([n, v]) => [v, n === 'UNIVERSE' ? 'global' : n.toLowerCase()]));

/** Our flag name → the boolean key iproute2 prints for it (ipaddress.c, print_ifa_flags). */
const IP_FLAG: Record<string, string> = {
  nodad: 'nodad',
  optimistic: 'optimistic',
  dadfailed: 'dadfailed',
  homeaddress: 'home',
  deprecated: 'deprecated',
  tentative: 'tentative',
  managetempaddr: 'mngtmpaddr',
  noprefixroute: 'noprefixroute',
  mcautojoin: 'autojoin',
  'stable-privacy': 'stable-privacy',
};

/** The flags iproute2 prints as `true` for an address whose full flags word our dump decoded as `flags`. */
function ipFlagKeys(a: GetaddrDumpReply): string[] {
  const flags = (a.flags ?? []).map(String);
  const out = flags.filter((f) => f in IP_FLAG).map((f) => IP_FLAG[f]!);
  if (flags.includes('secondary')) out.push(a.ifaFamily === AF_INET6 ? 'temporary' : 'secondary');
  if (!flags.includes('permanent')) out.push('dynamic');
  return out.sort();
}

function expectSameAddr(ours: GetaddrDumpReply, ip: IpAddr): void {
  const at = `${ip.local}/${ip.prefixlen}`;
  expect(ours.ifaFamily, at).toBe(ip.family === 'inet' ? AF_INET : AF_INET6);
  expect(ours.ifaPrefixlen, at).toBe(ip.prefixlen);
  expect(SCOPE.get(ours.ifaScope), at).toBe(ip.scope);
  // ip prints IFA_ADDRESS as the peer only when it differs from IFA_LOCAL.
  const local = ours.local ?? ours.address;
  expect(local, at).toBe(ip.local);
  expect(ours.address !== undefined && ours.address !== local ? ours.address : undefined, at).toBe(ip.address);
  expect(ours.broadcast, at).toBe(ip.broadcast);
  expect(ours.label, at).toBe(ip.label);
  expect(ours.rtPriority, at).toBe(ip.metric);
  const printed = Object.keys(ip).filter((k) => ip[k] === true).sort();
  expect(ipFlagKeys(ours), at).toEqual(printed);
  // The header's 8 flag bits are the low byte of the full flags word.
  expect(ours.ifaFlags.filter((f) => (ours.flags ?? []).includes(f)), at).toEqual(ours.ifaFlags);
  if (ip.valid_life_time === FOREVER) expect(ours.cacheinfo?.ifaValid, at).toBe(FOREVER);
  if (ip.preferred_life_time === FOREVER) expect(ours.cacheinfo?.ifaPrefered, at).toBe(FOREVER);
}

describe.skipIf(skip !== undefined)('rt-addr through the generated client, live', () => {
  let ns: TestNetns;
  let addr: RtAddr;
  let log: NotificationLog<RtAddrNotification>;
  let watcher: RtAddr;
  let ifindex = 0;

  /** The addresses this test adds, as requests. */
  const added: NewaddrRequest[] = [];

  beforeAll(async () => {
    ns = createNetns('nlgen-rtaddr');
    ns.ip('link', 'add', 'h2-a', 'type', 'veth', 'peer', 'name', 'h2-b');
    // Removing an IPv6 address leaves its solicited-node group; in MLDv2 mode the kernel then queues state-change
    // reports even on a down link (dropped there, but tried). In MLDv1 mode a group never reported is left silently.
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.h2-a.force_mld_version=1']);
    ifindex = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'h2-a')[0]!.ifindex;
    addr = await RtAddr.open({ netns: ns.name });
    watcher = await RtAddr.open({ netns: ns.name });
    log = logNotifications((signal) => watcher.subscribe(['rtnlgrp-ipv4-ifaddr', 'rtnlgrp-ipv6-ifaddr'], { signal }));
    added.push(
      { ifaFamily: AF_INET, ifaPrefixlen: 24, ifaIndex: ifindex, local: '192.0.2.1', address: '192.0.2.1', broadcast: '192.0.2.255', label: 'h2-a:one' },
      { ifaFamily: AF_INET, ifaPrefixlen: 32, ifaIndex: ifindex, local: '198.51.100.7', address: '198.51.100.8', rtPriority: 55 },
      { ifaFamily: AF_INET, ifaPrefixlen: 28, ifaIndex: ifindex, local: '203.0.113.9', ifaScope: RT_SCOPE.get('LINK')!, cacheinfo: { ifaPrefered: 1000, ifaValid: 2000, cstamp: 0, tstamp: 0 } },
      { ifaFamily: AF_INET6, ifaPrefixlen: 64, ifaIndex: ifindex, address: '2001:db8::1', flags: ['nodad', 'noprefixroute'] },
      { ifaFamily: AF_INET6, ifaPrefixlen: 128, ifaIndex: ifindex, ifaFlags: ['nodad'], address: '2001:db8:1::2' },
    );
  });
  afterAll(async () => {
    await log?.close();
    watcher?.close();
    addr?.close();
    ns?.dispose();
  });

  test('adds IPv4 and IPv6 addresses; each is announced by a typed newaddr notification', async () => {
    for (const req of added) await addr.newaddr(req, { create: true, excl: true });
    for (const req of added) {
      const key = req.local ?? req.address;
      const n = await log.waitFor((x) => x.name === 'newaddr-ntf' && (x.msg.local ?? x.msg.address) === key);
      expect(n.msg.ifaIndex).toBe(ifindex);
      expect(n.msg.ifaPrefixlen).toBe(req.ifaPrefixlen);
      expect(n.msg.ifaFamily).toBe(req.ifaFamily);
    }
    const shown = ns.ipJson<{ addr_info: IpAddr[] }[]>('addr', 'show', 'dev', 'h2-a')[0]!.addr_info;
    expect(shown.map((a) => `${a.local}/${a.prefixlen}`).sort()).toEqual(
      ['192.0.2.1/24', '198.51.100.7/32', '203.0.113.9/28', '2001:db8::1/64', '2001:db8:1::2/128'].sort(),
    );
  });

  test('adding the same address again with excl fails with EEXIST', async () => {
    const err = await addr.newaddr(added[0]!, { create: true, excl: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EEXIST');
  });

  test('dump agrees with `ip -j addr show`, address by address', async () => {
    const ours = await addr.getaddrDump().toArray();
    const ip = ns.ipJson<{ ifindex: number; addr_info: IpAddr[] }[]>('addr', 'show');
    const ipAll = ip.flatMap((l) => l.addr_info.map((a) => ({ ...a, ifindex: l.ifindex })));
    expect(ours.length).toBe(ipAll.length);
    for (const a of ipAll) {
      const mine = ours.filter((o) => o.ifaIndex === a.ifindex && (o.local ?? o.address) === a.local && o.ifaPrefixlen === a.prefixlen);
      expect(mine, `${a.local}/${a.prefixlen}`).toHaveLength(1);
      expectSameAddr(mine[0]!, a);
    }
    const ours6 = ours.find((o) => o.address === '2001:db8::1')!;
    expect(ours6.flags).toEqual(expect.arrayContaining(['nodad', 'noprefixroute', 'permanent']));
    const finite = ours.find((o) => o.local === '203.0.113.9')!;
    expect(finite.cacheinfo!.ifaValid).toBeLessThanOrEqual(2000);
    expect(finite.cacheinfo!.ifaPrefered).toBeLessThanOrEqual(1000);
    expect(finite.flags).not.toContain('permanent');
  });

  test('a dump filtered by family and interface returns only those addresses (strict checking)', async () => {
    const v6 = await addr.getaddrDump({ ifaFamily: AF_INET6, ifaIndex: ifindex }).toArray();
    const ip6 = ns.ipJson<{ addr_info: IpAddr[] }[]>('-6', 'addr', 'show', 'dev', 'h2-a')[0]!.addr_info;
    expect(v6.map((a) => a.address).sort()).toEqual(ip6.map((a) => a.local).sort());
    const v4 = await addr.getaddrDump({ ifaFamily: AF_INET }).toArray();
    expect(v4.every((a) => a.ifaFamily === AF_INET)).toBe(true);
    expect(v4.map((a) => a.local).sort()).toEqual(['127.0.0.1', '192.0.2.1', '198.51.100.7', '203.0.113.9']);
  });

  test('a malformed address is refused before anything is sent', async () => {
    const err = await addr.newaddr({ ifaFamily: AF_INET, ifaIndex: ifindex, local: '192.0.2.300' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as { path: string }).path).toBe('local');
    expect(ns.ipJson<{ addr_info: IpAddr[] }[]>('addr', 'show', 'dev', 'h2-a')[0]!.addr_info.some((a) => a.local.startsWith('192.0.2.3'))).toBe(false);
  });

  test('deletes every address; each is announced by a typed deladdr notification', async () => {
    const mark = log.seen.length;
    for (const req of added) {
      await addr.deladdr({ ifaFamily: req.ifaFamily, ifaPrefixlen: req.ifaPrefixlen, ifaIndex: ifindex, local: req.local, address: req.address });
    }
    for (const req of added) {
      const key = req.local ?? req.address;
      const n = await log.waitFor((x) => x.name === 'deladdr-ntf' && (x.msg.local ?? x.msg.address) === key, mark);
      expect(n.msg.ifaPrefixlen).toBe(req.ifaPrefixlen);
    }
    expect(ns.ipJson<{ addr_info: IpAddr[] }[]>('addr', 'show', 'dev', 'h2-a')[0]!.addr_info).toEqual([]);
    expect((await addr.getaddrDump({ ifaIndex: ifindex }).toArray()).length).toBe(0);
    const again = await addr.deladdr({ ifaFamily: AF_INET, ifaPrefixlen: 24, ifaIndex: ifindex, local: '192.0.2.1' }).catch((e: unknown) => e);
    expect((again as NetlinkError).code).toBe('EADDRNOTAVAIL');
    // Nothing was sent, or even tried: the link's transmit counters are all zero.
    const tx = ns.ipJson<{ stats64: { tx: { packets: number; dropped: number } } }[]>('-s', 'link', 'show', 'dev', 'h2-a')[0]!.stats64.tx;
    expect(tx).toMatchObject({ packets: 0, dropped: 0 });
  });
});
