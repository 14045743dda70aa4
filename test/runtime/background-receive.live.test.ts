// Big dumps are received on libuv's threadpool (recvmmsg, several datagrams per call) while JS handles the previous
// ones. These tests hold that path to the main-thread path byte for byte, and check what could go wrong only there:
// requests interleaved with a background receive, closing the socket while one is in flight, aborting.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AttrCursor, AttrWriter, NETLINK_ROUTE, NetlinkSocket, receivedBlockStats, SocketClosedError, type NetlinkMessage } from '@nlgen/runtime';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { AF_INET, IFLA_IFNAME, IFLA_MTU, ifinfomsg, RTA_DST, RTM_GETLINK, RTM_GETROUTE, RTM_NEWLINK, RTNLGRP_LINK, rtmsg } from './support/rtnl.js';

const skip = liveSkipReason();
const ROUTES = 30_000;
let ns: TestNetns | undefined;

const dumpRequest = () => ({ type: RTM_GETROUTE, payload: rtmsg(new AttrWriter(), { family: AF_INET }).finish() });

/**
 * Every message of a dump as hex, in arrival order: header length, type and flags, then the payload (sequence
 * number and port id differ between sockets and dumps, so they are left out).
 */
async function dumpBytes(sock: NetlinkSocket): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of sock.dumpBatches(dumpRequest())) {
    for (const m of batch) {
      out.push(Buffer.from(m.data.subarray(m.start - 16, m.start - 8)).toString('hex') + Buffer.from(m.data.subarray(m.start, m.end)).toString('hex'));
    }
  }
  return out;
}

/** Destination of a route message as dotted quad (undefined without RTA_DST). */
function dst(m: NetlinkMessage, c: AttrCursor): string | undefined {
  c.reset(m.view, m.start + 12, m.end);
  while (c.next()) if (c.type === RTA_DST && c.end - c.start === 4) return Array.from(m.data.subarray(c.start, c.end)).join('.');
  return undefined;
}

const openFds = () => readdirSync('/proc/self/fd').length;

describe.skipIf(skip)('background receive of big dumps', () => {
  beforeAll(() => {
    ns = createNetns('nlbgrecv');
    ns.ip('link', 'add', 'rt0', 'type', 'veth', 'peer', 'name', 'rt1');
    ns.ip('link', 'set', 'rt0', 'up');
    // rt1 stays down: its MTU changes below send nothing.
    const lines: string[] = [];
    for (let i = 0; i < ROUTES; i++) lines.push(`route add 198.18.${i >> 8}.${i & 255}/32 dev rt0`);
    ns.exec('ip', ['-batch', '-'], lines.join('\n') + '\n');
  });
  afterAll(() => ns?.dispose());

  test('gives the same messages, in the same order, as receiving on the main thread; ip sees as many routes', async () => {
    await using bg = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    await using main = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name, backgroundReceive: false });
    const a = await dumpBytes(bg);
    const b = await dumpBytes(main);
    // The path under test was taken (and the other was not): a 30k-route dump spans ~60 datagrams.
    expect(bg.backgroundReceives).toBeGreaterThan(3);
    expect(main.backgroundReceives).toBe(0);
    expect(a.length).toBe(b.length);
    expect(a).toEqual(b);
    const ipRoutes = JSON.parse(ns!.ip('-j', '-4', 'route', 'show', 'table', 'all')) as unknown[];
    expect(a.length).toBe(ipRoutes.length);
    // Every test route is there exactly once.
    const c = new AttrCursor();
    const seen = new Set<string>();
    for await (const batch of bg.dumpBatches(dumpRequest())) for (const m of batch) {
      const d = dst(m, c);
      if (d?.startsWith('198.18.')) seen.add(d);
    }
    expect(seen.size).toBe(ROUTES);
  });

  test('receiveLimit: the kernel sends the dump in datagrams of at most that size, on the main thread; the same messages', async () => {
    const sizes: number[] = [];
    await using small = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name, receiveLimit: 4096, record: { sent() {}, received: (d) => void sizes.push(d.length) } });
    await using main = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name, backgroundReceive: false });
    expect(await dumpBytes(small)).toEqual(await dumpBytes(main));
    expect(small.backgroundReceives).toBe(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    // ~30k routes of ~52 bytes each: hundreds of page-sized datagrams instead of ~60 of 32 KiB.
    expect(sizes.length).toBeGreaterThan(300);
    await expect(NetlinkSocket.open(NETLINK_ROUTE, { receiveLimit: 1024 })).rejects.toThrow(/receiveLimit must be an integer of at least 4096 bytes/);
  });

  test('requests made while a background receive is in flight get their own replies', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const rt0 = (JSON.parse(ns!.ip('-j', 'link', 'show', 'rt0')) as { ifindex: number }[])[0].ifindex;
    let routes = 0;
    const replies: Promise<number>[] = [];
    for await (const batch of sock.dumpBatches(dumpRequest())) {
      routes += batch.length;
      // One getlink per batch, asked mid-dump: each must come back with the ifindex it asked for.
      const idx = replies.length % 2 === 0 ? 1 : rt0;
      replies.push(
        sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), idx).finish() }).then((r) => {
          expect(r.messages).toHaveLength(1);
          return r.messages[0].view.getInt32(r.messages[0].start + 4, true) === idx ? 1 : 0;
        }),
      );
    }
    expect(sock.backgroundReceives).toBeGreaterThan(3);
    expect(routes).toBeGreaterThanOrEqual(ROUTES);
    const ok = await Promise.all(replies);
    expect(ok.length).toBeGreaterThan(10);
    expect(ok.every((x) => x === 1)).toBe(true);
  });

  test('closing the socket mid-dump rejects the dump, and its fd is closed once the receive is back', async () => {
    const before = openFds();
    for (let round = 0; round < 20; round++) {
      const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
      let batches = 0;
      const iterate = (async () => {
        for await (const _ of sock.dumpBatches(dumpRequest())) {
          // Close once the background path has taken over (a receive is in flight now or was a moment ago).
          if (++batches === 6 + (round % 5)) sock.close();
        }
      })();
      await expect(iterate).rejects.toBeInstanceOf(SocketClosedError);
      expect(sock.backgroundReceives).toBeGreaterThan(0);
      // A socket opened right away (it may get the closed fd's number later) works normally.
      await using next = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
      const r = await next.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
      expect(r.messages[0].view.getInt32(r.messages[0].start + 4, true)).toBe(1);
    }
    // Deferred closes happen when their receives come back (well under a millisecond each); wait for the loop to
    // run them, then every fd is gone.
    for (let i = 0; i < 100 && openFds() > before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(openFds()).toBe(before);
  });

  test('dumpDecoded: batches hold what the decoder made of each message, equal to decoding the messages afterwards', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const c = new AttrCursor();
    const decode = (m: NetlinkMessage) => `${m.type}/${m.flags & 0xff}/${m.data[m.start]}/${dst(m, c) ?? '-'}`;
    const decoded: string[] = [];
    for await (const batch of sock.dumpDecoded(dumpRequest(), undefined, decode)) decoded.push(...batch);
    const afterwards: string[] = [];
    for await (const batch of sock.dumpBatches(dumpRequest())) for (const m of batch) afterwards.push(decode(m));
    expect(decoded.length).toBeGreaterThanOrEqual(ROUTES);
    expect(decoded).toEqual(afterwards);
  });

  test('dumpDecoded: the decoder runs when the consumer takes a batch, never ahead of it (however many are queued)', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    let decodedSoFar = 0;
    const decode = (m: NetlinkMessage) => (++decodedSoFar, m.type);
    let taken = 0;
    let batches = 0;
    for await (const batch of sock.dumpDecoded(dumpRequest(), { highWaterMark: 16 }, decode)) {
      taken += batch.length;
      // Everything decoded so far is in the batches handed out so far.
      expect(decodedSoFar).toBe(taken);
      // A slow consumer: the socket keeps reading meanwhile, so later batches wait in the queue undecoded.
      if (++batches % 8 === 1) await new Promise((r) => setTimeout(r, 20));
    }
    expect(taken).toBeGreaterThanOrEqual(ROUTES);
    expect(sock.backgroundReceives).toBeGreaterThan(3);
  });

  test('dumpDecoded with decodeCopies: received blocks are reused, and what the decoder made is still right (slow consumer)', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const c = new AttrCursor();
    // Copies what it keeps (a string), as generated decoders do.
    const decode = (m: NetlinkMessage) => `${m.type}/${m.flags & 0xff}/${m.data[m.start]}/${dst(m, c) ?? '-'}`;
    const before = receivedBlockStats();
    const decoded: string[] = [];
    let batches = 0;
    for await (const batch of sock.dumpDecoded(dumpRequest(), { highWaterMark: 16 }, decode, true)) {
      decoded.push(...batch);
      // Batches queue up meanwhile, so blocks are freed and reused while others still wait to be decoded.
      if (++batches % 8 === 1) await new Promise((r) => setTimeout(r, 20));
    }
    const after = receivedBlockStats();
    const afterwards: string[] = [];
    for await (const batch of sock.dumpBatches(dumpRequest())) for (const m of batch) afterwards.push(decode(m));
    expect(decoded.length).toBeGreaterThanOrEqual(ROUTES);
    expect(decoded).toEqual(afterwards);
    expect(sock.backgroundReceives).toBeGreaterThan(3);
    // ~60 datagrams, 8 per background receive: some receives copy into a block whose batches were all decoded.
    expect(after.reused - before.reused).toBeGreaterThan(0);
  });

  test('dumpDecoded without decodeCopies: views the decoder keeps still hold their bytes after the whole dump', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const views: Uint8Array[] = [];
    // Were a block reused under these views, the receives after it (this dump's and the next one's) would write over them.
    for await (const batch of sock.dumpDecoded(dumpRequest(), undefined, (m) => m.data.subarray(m.start, m.end))) views.push(...batch);
    const afterwards: string[] = [];
    for await (const batch of sock.dumpBatches(dumpRequest())) for (const m of batch) afterwards.push(hex(m.data.subarray(m.start, m.end)));
    expect(views.map(hex)).toEqual(afterwards);
  });

  test('dumpDecoded: a decoder that throws fails the dump with its error; the socket stays usable', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    let n = 0;
    const boom = new Error('decoder rejected message 20000');
    const decode = () => {
      if (++n === 20_000) throw boom;
      return n;
    };
    let got = 0;
    await expect(
      (async () => {
        for await (const batch of sock.dumpDecoded(dumpRequest(), undefined, decode)) got += batch.length;
      })(),
    ).rejects.toBe(boom);
    expect(got).toBeLessThan(20_000);
    const r = await sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
    expect(r.messages[0].view.getInt32(r.messages[0].start + 4, true)).toBe(1);
    // A whole dump after the failed one: the rest of the failed dump was drained, not mixed into this one.
    expect((await dumpBytes(sock)).length).toBeGreaterThanOrEqual(ROUTES);
  });

  test('notifications that arrive during a background receive reach the subscription with their group', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    // The signal only guards against a hang when notifications go astray (they are all queued before the dump
    // ends, so they arrive at once when handled right); the subscription then ends and the comparison below fails.
    const sub = sock.subscribe([RTNLGRP_LINK], { signal: AbortSignal.timeout(30_000) });
    const mtus = [1400, 1401, 1402, 1403, 1404, 1405];
    let routes = 0;
    let batches = 0;
    let changed = 0;
    for await (const batch of sock.dumpBatches(dumpRequest())) {
      routes += batch.length;
      // Past the first few datagrams the dump is read in the background: change a link now and then, so its
      // notification is queued between dump datagrams while a receive is out (ip runs synchronously meanwhile).
      if (++batches >= 5 && batches % 3 === 0 && changed < mtus.length) ns!.ip('link', 'set', 'rt1', 'mtu', String(mtus[changed++]));
    }
    expect(routes).toBeGreaterThanOrEqual(ROUTES);
    expect(changed).toBe(mtus.length);
    expect(sock.backgroundReceives).toBeGreaterThan(3);
    const seen: number[] = [];
    const c = new AttrCursor();
    for await (const ev of sub) {
      if (ev.kind !== 'message') throw new Error('overrun');
      expect(ev.group).toBe(RTNLGRP_LINK);
      expect(ev.type).toBe(RTM_NEWLINK);
      let name = '';
      let mtu = 0;
      for (c.reset(ev.view, ev.start + 16, ev.end); c.next(); ) {
        if (c.type === IFLA_IFNAME) name = Buffer.from(ev.data.subarray(c.start, c.end - 1)).toString();
        if (c.type === IFLA_MTU) mtu = ev.view.getUint32(c.start, true);
      }
      if (name === 'rt1' && mtus.includes(mtu) && !seen.includes(mtu)) seen.push(mtu);
      if (seen.length === mtus.length) break;
    }
    // Every change, in the order made.
    expect(seen).toEqual(mtus);
  });

  test('aborting mid-dump, then the same socket dumps again completely', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const ac = new AbortController();
    let seen = 0;
    await expect(
      (async () => {
        for await (const batch of sock.dumpBatches(dumpRequest(), { signal: ac.signal })) {
          seen += batch.length;
          if (seen > ROUTES / 3) ac.abort(new Error('enough'));
        }
      })(),
    ).rejects.toThrow('enough');
    const again = await dumpBytes(sock);
    expect(again.length).toBeGreaterThanOrEqual(ROUTES);
    expect(sock.backgroundReceives).toBeGreaterThan(3);
  });
});
