// rt-route through the generated client against the live kernel, in a throwaway namespace: 10,000 IPv4 routes
// (gateway, blackhole and unreachable, with protocols and metrics) plus IPv6 unreachable routes and routes in a
// table above 255 are added in one batch, the whole routing state is dumped and compared route by route with
// `ip -j route show table all`, a FIB lookup (getroute) is compared with `ip -j route get`, and everything is
// deleted again in one batch; a few more changes are followed as typed notifications. Route lookups send nothing; new links start without IPv6 so bringing the veth up
// sends nothing either.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { RtRoute, type GetrouteDumpReply, type NewrouteRequest, type RtRouteNotification } from '../../generated/rt-route.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { logNotifications } from './notifications.js';
import { defines, enumValues } from './uapi.js';

const skip = liveSkipReason();

const AF_INET = 2;
const AF_INET6 = 10;
const COUNT = 10_000;

const RTPROT = defines('rtnetlink.h', 'RTPROT_');
const RT_TABLE = enumValues('rtnetlink.h', 'RT_TABLE_');
const RT_SCOPE = enumValues('rtnetlink.h', 'RT_SCOPE_');
const PREF = defines('icmpv6.h', 'ICMPV6_ROUTER_PREF_');

/** iproute2's names for numbers (rt_protos, rt_scopes, rt_tables, route preference): the uapi names, lower case. */
const byValue = (m: Map<string, number>, rename: Record<string, string> = {}) => new Map([...m].map(([n, v]) => [v, rename[n] ?? n.toLowerCase()]));
const PROTO_NAME = byValue(RTPROT);
const SCOPE_NAME = byValue(RT_SCOPE, { UNIVERSE: 'global' });
const TABLE_NAME = byValue(RT_TABLE);
const PREF_NAME = byValue(PREF);

/** The fields `ip -j route show` prints that this test compares. */
const FIELDS = ['type', 'dst', 'gateway', 'dev', 'table', 'protocol', 'scope', 'metric', 'prefsrc', 'pref'] as const;
type IpRoute = Partial<Record<(typeof FIELDS)[number], string | number>>;

/** A dumped route as iproute2 prints it with `table all` (print_route in iproute2's iproute.c). */
function asIp(r: GetrouteDumpReply, devName: (i: number) => string | undefined): IpRoute {
  const out: IpRoute = {};
  if (r.rtmType !== 'unicast') out.type = String(r.rtmType);
  const hostLen = r.rtmFamily === AF_INET ? 32 : 128;
  out.dst = r.rtmDstLen === 0 ? 'default' : r.rtmDstLen === hostLen ? r.dst : `${r.dst}/${r.rtmDstLen}`;
  if (r.gateway !== undefined) out.gateway = r.gateway;
  if (r.oif !== undefined) out.dev = devName(r.oif);
  const table = r.table ?? r.rtmTable;
  if (table !== RT_TABLE.get('MAIN')) out.table = TABLE_NAME.get(table) ?? String(table);
  if (r.rtmProtocol !== RTPROT.get('BOOT')) out.protocol = PROTO_NAME.get(r.rtmProtocol) ?? String(r.rtmProtocol);
  if (r.rtmScope !== RT_SCOPE.get('UNIVERSE')) out.scope = SCOPE_NAME.get(r.rtmScope);
  if (r.priority !== undefined) out.metric = r.priority;
  if (r.prefsrc !== undefined) out.prefsrc = r.prefsrc;
  if (r.pref !== undefined) out.pref = PREF_NAME.get(r.pref);
  return out;
}

const pick = (r: Record<string, unknown>): IpRoute => Object.fromEntries(FIELDS.filter((f) => r[f] !== undefined).map((f) => [f, r[f]])) as IpRoute;
const key = (r: IpRoute) => JSON.stringify(FIELDS.map((f) => r[f] ?? null));

/** The i-th test route: three kinds in turn, all inside 198.18.0.0/15. */
function routeFor(i: number, oif: number): NewrouteRequest {
  const dst = `198.18.${i >> 8}.${i & 255}`;
  const base = { rtmFamily: AF_INET, rtmDstLen: 32, rtmTable: RT_TABLE.get('MAIN')!, dst };
  switch (i % 3) {
    case 0:
      return { ...base, rtmType: 'unicast', rtmProtocol: RTPROT.get('STATIC')!, rtmScope: RT_SCOPE.get('UNIVERSE')!, gateway: '198.51.100.2', oif, priority: i % 7 };
    case 1:
      return { ...base, rtmType: 'blackhole', rtmProtocol: RTPROT.get('BOOT')!, rtmScope: RT_SCOPE.get('UNIVERSE')! };
    default:
      return { ...base, rtmType: 'unreachable', rtmProtocol: RTPROT.get('STATIC')!, rtmScope: RT_SCOPE.get('UNIVERSE')!, priority: 100 };
  }
}

describe.skipIf(skip !== undefined)('rt-route through the generated client, live', () => {
  let ns: TestNetns;
  let route: RtRoute;
  let oif = 0;
  const names = new Map<number, string>();
  const requests: NewrouteRequest[] = [];

  beforeAll(async () => {
    ns = createNetns('nlgen-rtroute');
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.default.disable_ipv6=1']);
    ns.ip('link', 'add', 'h2-r0', 'type', 'veth', 'peer', 'name', 'h2-r1');
    ns.ip('addr', 'add', '198.51.100.1/24', 'dev', 'h2-r0');
    ns.ip('link', 'set', 'h2-r0', 'up');
    ns.ip('link', 'set', 'h2-r1', 'up');
    for (const l of ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show')) names.set(l.ifindex, l.ifname);
    oif = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'h2-r0')[0]!.ifindex;
    route = await RtRoute.open({ netns: ns.name });
    for (let i = 0; i < COUNT; i++) requests.push(routeFor(i, oif));
    // A table above 255 travels in the table attribute (the header says RT_TABLE_COMPAT); a scope-link route there.
    for (let i = 0; i < 16; i++) {
      requests.push({
        rtmFamily: AF_INET, rtmDstLen: 28, rtmTable: RT_TABLE.get('COMPAT')!, table: 1000, rtmType: 'unicast', rtmProtocol: RTPROT.get('STATIC')!,
        rtmScope: RT_SCOPE.get('LINK')!, dst: `203.0.113.${i * 16}`, oif,
      });
    }
    // IPv6 unreachable routes need no device with IPv6 on it.
    for (let i = 0; i < 8; i++) {
      requests.push({
        rtmFamily: AF_INET6, rtmDstLen: 48, rtmTable: RT_TABLE.get('MAIN')!, rtmType: 'unreachable', rtmProtocol: RTPROT.get('STATIC')!,
        rtmScope: RT_SCOPE.get('UNIVERSE')!, dst: `2001:db8:${i.toString(16)}::`, priority: 2048,
      });
    }
  });
  afterAll(() => {
    route?.close();
    ns?.dispose();
  });

  test(`adds ${COUNT.toLocaleString('en')} IPv4 routes plus table-1000 and IPv6 routes in one batch`, async () => {
    const outcomes = await route.batch((r) => requests.map((q) => r.newroute(q, { create: true, excl: true })));
    expect(outcomes).toHaveLength(requests.length);
    const failed = outcomes.map((o, i) => [o, i] as const).filter(([o]) => o instanceof Error);
    expect(failed.map(([o, i]) => `${requests[i]!.dst}: ${(o as Error).message}`)).toEqual([]);
    // newroute has no reply: each success is undefined, not a result object.
    expect(new Set(outcomes)).toEqual(new Set([undefined]));
  });

  test('a route added twice with excl fails with EEXIST, in a batch or alone', async () => {
    const outcomes = await route.batch((r) => [r.newroute(requests[0]!, { create: true, excl: true }), r.newroute(requests[1]!, { create: true, excl: true })]);
    expect(outcomes.map((o) => (o as NetlinkError).code)).toEqual(['EEXIST', 'EEXIST']);
  });

  test('the dump agrees with `ip -j route show table all`, route by route', async () => {
    const ours = await route.getrouteDump().toArray();
    const ip = ns.ipJson<Record<string, unknown>[]>('route', 'show', 'table', 'all');
    const mine = ours.map((r) => key(asIp(r, (i) => names.get(i))));
    const theirs = ip.map((r) => key(pick(r)));
    expect(mine.length).toBe(theirs.length);
    expect(mine.length).toBeGreaterThan(COUNT + 24);
    expect(mine.sort()).toEqual(theirs.sort());

    // Spot checks of decoded fields, independent of the conversion above.
    const byDst = new Map(ours.map((r) => [`${r.dst}/${r.rtmDstLen}/${r.table}`, r]));
    const gw = byDst.get('198.18.0.3/32/254')!;
    expect(gw).toMatchObject({ rtmType: 'unicast', gateway: '198.51.100.2', oif, rtmProtocol: RTPROT.get('STATIC'), priority: 3, rtmFamily: AF_INET });
    expect(byDst.get('198.18.39.14/32/254')).toMatchObject({ rtmType: 'unreachable', priority: 100 }); // i = 9998
    expect(byDst.get('203.0.113.32/28/1000')).toMatchObject({ rtmTable: RT_TABLE.get('COMPAT'), table: 1000, rtmScope: RT_SCOPE.get('LINK'), oif });
    expect(byDst.get('2001:db8:7::/48/254')).toMatchObject({ rtmFamily: AF_INET6, rtmType: 'unreachable', priority: 2048 });
  });

  test('dumps filtered in the kernel by table, protocol and type agree with `ip route show proto|type`', async () => {
    const main = RT_TABLE.get('MAIN')!;
    const stat = await route.getrouteDump({ rtmFamily: AF_INET, rtmTable: main, rtmProtocol: RTPROT.get('STATIC')! }).toArray();
    const ipStat = ns.ipJson<{ dst: string }[]>('-4', 'route', 'show', 'proto', 'static');
    expect(stat.map((r) => r.dst).sort()).toEqual(ipStat.map((r) => r.dst).sort());
    expect(stat).toHaveLength(requests.filter((q) => q.rtmFamily === AF_INET && q.table === undefined && q.rtmProtocol === RTPROT.get('STATIC')).length);
    const black = await route.getrouteDump({ rtmFamily: AF_INET, rtmTable: main, rtmType: 'blackhole' }).toArray();
    const ipBlack = ns.ipJson<{ dst: string }[]>('-4', 'route', 'show', 'type', 'blackhole');
    expect(black.map((r) => r.dst).sort()).toEqual(ipBlack.map((r) => r.dst).sort());
    expect(black.every((r) => r.rtmType === 'blackhole')).toBe(true);
    expect(black.length).toBe(requests.filter((q) => q.rtmType === 'blackhole').length);
  });

  test('getroute (a FIB lookup, nothing is sent) agrees with `ip -j route get`', async () => {
    for (const dst of ['198.18.0.0', '198.18.38.253', '198.51.100.77']) {
      const ip = ns.ipJson<Record<string, unknown>[]>('route', 'get', dst)[0]!;
      const got = await route.getroute({ rtmFamily: AF_INET, rtmDstLen: 32, dst });
      expect(got.dst, dst).toBe(ip.dst);
      expect(got.gateway, dst).toBe(ip.gateway);
      expect(names.get(got.oif!), dst).toBe(ip.dev);
      expect(got.prefsrc, dst).toBe(ip.prefsrc);
      expect(got.uid, dst).toBe(ip.uid);
      expect(got.rtmType, dst).toBe(ip.type ?? 'unicast');
    }
    // Lookups that hit a blackhole or unreachable route, or no route (table 1000 is not consulted: no rule points
    // at it), fail; the kernel's errno is the one ip reports.
    for (const dst of ['198.18.0.1', '198.18.0.2', '203.0.113.40']) {
      const ipErr = ns.exec('sh', ['-c', `ip route get ${dst} 2>&1 || true`]).trim().replace(/^RTNETLINK answers: /, '');
      const err = await route.getroute({ rtmFamily: AF_INET, rtmDstLen: 32, dst }).catch((e: unknown) => e);
      expect(err, dst).toBeInstanceOf(NetlinkError);
      expect((err as NetlinkError).message, dst).toContain(ipErr);
    }
  });

  test('deletes every route in one batch; the dump has none of them left', async () => {
    const outcomes = await route.batch((r) =>
      requests.map((q) =>
        // RT_SCOPE_NOWHERE matches any scope when deleting (fib_table_delete), as `ip route del` sends it.
        r.delroute({ rtmFamily: q.rtmFamily, rtmDstLen: q.rtmDstLen, rtmTable: q.rtmTable, table: q.table, rtmType: q.rtmType, rtmScope: RT_SCOPE.get('NOWHERE')!, dst: q.dst }),
      ),
    );
    expect(outcomes.filter((o) => o instanceof Error)).toEqual([]);
    const left = await route.getrouteDump().toArray();
    const ours = new Set(requests.map((q) => `${q.dst}/${q.rtmDstLen}`));
    expect(left.filter((r) => ours.has(`${r.dst}/${r.rtmDstLen}`))).toEqual([]);
    expect(ns.ipJson<{ dst: string }[]>('route', 'show').map((r) => r.dst)).toEqual(['198.51.100.0/24']);
    expect(ns.ipJson<unknown[]>('route', 'show', 'table', '1000')).toEqual([]);
    const again = await route.delroute({ rtmFamily: AF_INET, rtmDstLen: 32, rtmTable: RT_TABLE.get('MAIN')!, dst: '198.18.0.0' }).catch((e: unknown) => e);
    expect((again as NetlinkError).code).toBe('ESRCH');
    // Nothing was sent, or even tried: the transmit counters of both ends are all zero (checked again at the end).
    for (const dev of ['h2-r0', 'h2-r1']) {
      const tx = ns.ipJson<{ stats64: { tx: { packets: number; dropped: number } } }[]>('-s', 'link', 'show', 'dev', dev)[0]!.stats64.tx;
      expect(tx, dev).toMatchObject({ packets: 0, dropped: 0 });
    }
  });
  test('route changes are announced by typed newroute/delroute notifications (IPv4 and IPv6)', async () => {
    const watcher = await RtRoute.open({ netns: ns.name });
    const log = logNotifications<RtRouteNotification>((signal) => watcher.subscribe(['rtnlgrp-ipv4-route', 'rtnlgrp-ipv6-route'], { signal }));
    try {
      const few: NewrouteRequest[] = [
        { ...routeFor(0, oif), table: 1001, rtmTable: RT_TABLE.get('COMPAT')! },
        { ...routeFor(1, oif), table: 1001, rtmTable: RT_TABLE.get('COMPAT')! },
        { rtmFamily: AF_INET6, rtmDstLen: 64, rtmTable: RT_TABLE.get('MAIN')!, rtmType: 'prohibit', rtmProtocol: RTPROT.get('STATIC')!, rtmScope: 0, dst: '2001:db8:99::', priority: 77 },
      ];
      for (const q of few) await route.newroute(q, { create: true, excl: true });
      for (const q of few) {
        const n = await log.waitFor((x) => x.name === 'newroute-ntf' && x.msg.dst === q.dst && x.msg.rtmDstLen === q.rtmDstLen);
        expect(n.msg).toMatchObject({ rtmFamily: q.rtmFamily, rtmType: q.rtmType, rtmProtocol: q.rtmProtocol });
        expect(n.msg.table).toBe(q.table ?? RT_TABLE.get('MAIN'));
        expect(n.msg.gateway).toBe(q.gateway);
        expect(n.msg.priority ?? 0).toBe(q.priority ?? 0); // a metric of 0 is left out
      }
      const mark = log.seen.length;
      for (const q of few) await route.delroute({ ...q, rtmScope: RT_SCOPE.get('NOWHERE')! });
      for (const q of few) {
        const n = await log.waitFor((x) => x.name === 'delroute-ntf' && x.msg.dst === q.dst && x.msg.rtmDstLen === q.rtmDstLen, mark);
        expect(n.msg.rtmType).toBe(q.rtmType);
      }
    } finally {
      await log.close();
      watcher.close();
    }
    for (const dev of ['h2-r0', 'h2-r1']) {
      const tx = ns.ipJson<{ stats64: { tx: { packets: number; dropped: number } } }[]>('-s', 'link', 'show', 'dev', dev)[0]!.stats64.tx;
      expect(tx, dev).toMatchObject({ packets: 0, dropped: 0 });
    }
  });
});
