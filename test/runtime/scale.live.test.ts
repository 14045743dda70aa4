// Many requests in flight, 100k-route notification storms with large and tiny buffers, aborted dumps, DUMP_INTR.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  AttrCursor,
  AttrWriter,
  DumpInterruptedError,
  NETLINK_ROUTE,
  NetlinkError,
  NetlinkSocket,
  NLM_F_CREATE,
  NLM_F_EXCL,
  type NetlinkMessage,
  type Subscription,
} from '@nlgen/runtime';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import {
  ifinfomsg,
  linkOf,
  RTA_DST,
  RTA_OIF,
  RTM_DELROUTE,
  RTM_GETLINK,
  RTM_GETROUTE,
  RTM_NEWROUTE,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_LINK,
  rtmsg,
} from './support/rtnl.js';

const skip = liveSkipReason();
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const ROUTES = 100_000;

function netns(): TestNetns {
  const ns = createNetns('nlscale');
  cleanups.push(() => ns.dispose());
  return ns;
}

/** A veth pair (this kernel has no dummy driver) that routes can point at. */
function routeLink(ns: TestNetns): void {
  ns.ip('link', 'add', 'rt0', 'type', 'veth', 'peer', 'name', 'rt1');
  ns.ip('link', 'set', 'rt0', 'up');
  ns.ip('link', 'set', 'rt1', 'up');
}

/** Host routes 198.18.0.0 … inside 198.18.0.0/15. */
function routeLines(verb: 'add' | 'del', n = ROUTES): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`route ${verb} 198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 dev rt0`);
  return lines.join('\n') + '\n';
}

/** Runs `ip -n NS -batch` asynchronously (the event loop keeps running while it works). */
function ipBatch(ns: TestNetns, text: string): Promise<void> {
  const file = join(tmpdir(), `${ns.name}-${Math.random().toString(16).slice(2)}.batch`);
  writeFileSync(file, text);
  return new Promise<void>((resolve, reject) => {
    const p = spawn('ip', ['-n', ns.name, '-batch', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      rmSync(file, { force: true });
      if (code === 0) resolve();
      else reject(new Error(`ip -batch failed (${code}): ${err}`));
    });
  });
}

/** Destination of an IPv4 route message as a dotted string (undefined for the default route). */
function routeDst(m: NetlinkMessage): string | undefined {
  const c = new AttrCursor().reset(m.view, m.start + 12, m.end);
  while (c.next()) if (c.type === RTA_DST) return [...m.data.subarray(c.start, c.end)].join('.');
  return undefined;
}

const SENTINEL = '198.19.255.254';

/** Counts route notifications in 198.18.0.0/15 until the sentinel route's RTM_NEWROUTE arrives. */
async function countUntilSentinel(sub: Subscription) {
  let added = 0;
  let deleted = 0;
  let overruns = 0;
  let afterOverrun = 0;
  for await (const ev of sub) {
    if (ev.kind === 'overrun') {
      overruns++;
      afterOverrun = 0;
      continue;
    }
    afterOverrun++;
    const dst = routeDst(ev);
    if (dst === SENTINEL && ev.type === RTM_NEWROUTE) break;
    if (!dst?.startsWith('198.18.') && !dst?.startsWith('198.19.')) continue;
    if (ev.type === RTM_NEWROUTE) added++;
    else if (ev.type === RTM_DELROUTE) deleted++;
  }
  return { added, deleted, overruns, afterOverrun };
}

describe.skipIf(skip)('runtime at scale', () => {
  test('10,000 concurrent requests on one socket: every reply matched', async () => {
    const ns = netns();
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) lines.push(`link add ca${i} type veth peer name cb${i}`);
    ns.exec('ip', ['-batch', '-'], lines.join('\n') + '\n');
    const links = ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show');
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
    const missing = Math.max(...links.map((l) => l.ifindex)) + 1000;
    const asked: number[] = [];
    const ps = [];
    for (let i = 0; i < 10_000; i++) {
      // Every 10th request asks for an ifindex that does not exist: errors must be matched as well as replies.
      const ifindex = i % 10 === 9 ? missing : links[i % links.length].ifindex;
      asked.push(ifindex);
      ps.push(sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), ifindex).finish() }).catch((e) => e));
    }
    const results = await Promise.all(ps);
    const byIndex = new Map(links.map((l) => [l.ifindex, l.ifname]));
    let mismatches = 0;
    results.forEach((r, i) => {
      if (asked[i] === missing) {
        if (!(r instanceof NetlinkError && r.code === 'ENODEV')) mismatches++;
        return;
      }
      if (r instanceof Error || r.messages.length !== 1) {
        mismatches++;
        return;
      }
      const got = linkOf(r.messages[0]);
      if (got.ifindex !== asked[i] || got.ifname !== byIndex.get(asked[i])) mismatches++;
    });
    expect(mismatches).toBe(0);
    expect(sock.pendingCount).toBe(0);
  });

  test('a window of 2,000 requests leaves in one sendmsg (over the 1,024-iovec limit) and every reply is matched', async () => {
    const ns = netns();
    // The receive buffer holds all 2,000 replies (a few KiB each with kernel overhead), so none can be dropped.
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name, rcvBuf: 32 << 20, maxInFlight: 2000 });
    expect(sock.maxInFlight).toBe(2000);
    const [lo] = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'lo');
    const ps = [];
    for (let i = 0; i < 2000; i++) ps.push(sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), lo!.ifindex).finish() }).catch((e: Error) => e));
    const results = await Promise.all(ps);
    const wrong = results.filter((r) => r instanceof Error || r.messages.length !== 1 || linkOf(r.messages[0]).ifname !== 'lo');
    expect(wrong.map((r) => (r instanceof Error ? r.message : 'bad reply')).slice(0, 3)).toEqual([]);
    expect(sock.pendingCount).toBe(0);
    // All 2,000 were made in one tick with room for all of them in flight: one datagram carried them.
    expect(sock.sendCalls).toBe(1);
  });

  test('a subscription on the socket that makes the change sees the notification; the request gets its ACK', async () => {
    const ns = netns();
    routeLink(ns);
    const oif = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'rt0')[0].ifindex;
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
    const sub = sock.subscribe([RTNLGRP_IPV4_ROUTE, RTNLGRP_LINK]);
    const w = rtmsg(new AttrWriter(), { dstLen: 32, table: 254, protocol: 4, scope: 253, type: 1 });
    w.binary(RTA_DST, Uint8Array.of(198, 18, 7, 7));
    w.u32(RTA_OIF, oif);
    // The route notification carries this socket's port id and the request's seq: it must not be taken as the reply.
    const r = await sock.request({ type: RTM_NEWROUTE, flags: NLM_F_CREATE | NLM_F_EXCL, payload: w.finish() });
    expect(r.messages).toEqual([]);
    expect(r.ack).toBeDefined();
    for await (const ev of sub) {
      if (ev.kind !== 'message' || ev.type !== RTM_NEWROUTE) continue;
      expect(ev.group).toBe(RTNLGRP_IPV4_ROUTE);
      expect(ev.portid).toBe(sock.portid);
      expect(routeDst(ev)).toBe('198.18.7.7');
      break;
    }
  });

  test('100k routes added and deleted while subscribed with a large buffer: all 200k notifications arrive', async () => {
    const ns = netns();
    routeLink(ns);
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name, rcvBuf: 32 << 20 });
    expect(sock.rcvBuf).toBeGreaterThanOrEqual(32 << 20);
    const sub = sock.subscribe([RTNLGRP_IPV4_ROUTE]);
    const counting = countUntilSentinel(sub);
    await ipBatch(ns, routeLines('add'));
    await ipBatch(ns, routeLines('del'));
    await ipBatch(ns, `route add ${SENTINEL}/32 dev rt0\n`);
    const c = await counting;
    expect(c).toMatchObject({ added: ROUTES, deleted: ROUTES, overruns: 0 });
  });

  test('with a tiny buffer an overrun is reported and later notifications still arrive', async () => {
    const ns = netns();
    routeLink(ns);
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name, rcvBuf: 4096 });
    const sub = sock.subscribe([RTNLGRP_IPV4_ROUTE]);
    const counting = countUntilSentinel(sub);
    await ipBatch(ns, routeLines('add'));
    await ipBatch(ns, routeLines('del'));
    // Let the listener drain before the sentinel, so the sentinel itself is not the notification that gets lost.
    await new Promise((r) => setTimeout(r, 200));
    await ipBatch(ns, `route add ${SENTINEL}/32 dev rt0\n`);
    const c = await counting;
    expect(c.overruns).toBeGreaterThan(0);
    expect(c.added + c.deleted).toBeLessThan(2 * ROUTES);
    expect(c.afterOverrun).toBeGreaterThan(0); // the sentinel arrived after the last overrun
    expect(sub.overruns).toBe(c.overruns);
  });

  test('aborting a 100k-route dump halfway leaves the socket usable', async () => {
    const ns = netns();
    routeLink(ns);
    await ipBatch(ns, routeLines('add'));
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
    const ac = new AbortController();
    let seen = 0;
    const err = await (async () => {
      for await (const m of sock.dump({ type: RTM_GETROUTE, payload: rtmsg(new AttrWriter()).finish() }, { signal: ac.signal })) {
        void m;
        if (++seen === ROUTES / 2) ac.abort(new Error('enough'));
      }
    })().catch((e) => e);
    expect(err.message).toBe('enough');
    expect(seen).toBeLessThan(ROUTES);
    const r = await sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
    expect(linkOf(r.messages[0]).ifname).toBe('lo');
    // Breaking out of a loop is the other way to stop; then a full dump still returns everything.
    for await (const m of sock.dump({ type: RTM_GETROUTE, payload: rtmsg(new AttrWriter()).finish() })) {
      void m;
      break;
    }
    let all = 0;
    for await (const batch of sock.dumpBatches({ type: RTM_GETROUTE, payload: rtmsg(new AttrWriter()).finish() })) {
      for (const m of batch) if (routeDst(m)?.startsWith('198.')) all++;
    }
    expect(all).toBe(ROUTES);
  });

  test('a dump whose data changes midway reports NLM_F_DUMP_INTR; retry gets a consistent result', async () => {
    const ns = netns();
    const lines: string[] = [];
    for (let i = 0; i < 150; i++) lines.push(`link add ia${i} type veth peer name ib${i}`);
    ns.exec('ip', ['-batch', '-'], lines.join('\n') + '\n');
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
    const req = { type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter()).finish() };
    let n = 0;
    const change = (batch: readonly NetlinkMessage[], attempt: number) => {
      if (attempt === 1 && n++ === 0) {
        expect(batch.length).toBeLessThan(301);
        ns.ip('link', 'add', `chg${attempt}`, 'type', 'veth', 'peer', 'name', `chh${attempt}`);
      }
    };
    const err = await sock.dumpAll(req, { highWaterMark: 1, onBatch: change }).catch((e) => e);
    expect(err).toBeInstanceOf(DumpInterruptedError);
    expect(err.partial.length).toBeGreaterThan(0);
    expect(err.attempts).toBe(1);
    n = 0;
    const ok = await sock.dumpAll(req, {
      highWaterMark: 1,
      retries: 2,
      onBatch: (b, attempt) => {
        if (attempt === 1 && n++ === 0) ns.ip('link', 'add', 'chg2', 'type', 'veth', 'peer', 'name', 'chh2');
      },
    });
    expect(ok.length).toBe(ns.ipJson<unknown[]>('link', 'show').length);
  });
});
