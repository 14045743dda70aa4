// A 200,000-route dump streamed through the runtime: timers keep firing while it runs (the loop is never starved)
// and a slow consumer keeps memory flat (backpressure stops reading instead of buffering the dump in JS).
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AttrCursor, AttrWriter, NETLINK_ROUTE, NetlinkSocket, type NetlinkMessage } from '@nlgen/runtime';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { AF_INET, RTA_DST, RTM_GETROUTE, rtmsg } from './support/rtnl.js';

const skip = liveSkipReason();
const ROUTES = 200_000;

// A gc() we can call without starting node with --expose-gc: the flag is honoured by contexts created after it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let ns: TestNetns | undefined;

/** Runs `ip -n NS -batch FILE` without blocking the event loop. */
function ipBatch(name: string, text: string): Promise<void> {
  const file = join(tmpdir(), `${name}-routes.batch`);
  writeFileSync(file, text);
  return new Promise<void>((resolve, reject) => {
    const p = spawn('ip', ['-n', name, '-batch', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      rmSync(file, { force: true });
      if (code === 0) resolve();
      else reject(new Error(`ip -batch failed (${code}): ${err}`));
    });
  });
}

/** True when the route message's destination lies in 198.18.0.0/15, where the test's routes are. */
function isTestRoute(m: NetlinkMessage, c: AttrCursor): boolean {
  c.reset(m.view, m.start + 12, m.end);
  while (c.next()) {
    if (c.type === RTA_DST) return c.end - c.start === 4 && m.data[c.start] === 198 && (m.data[c.start + 1] & 0xfe) === 18;
  }
  return false;
}

/** Memory that a retained dump would grow: JS heap plus the datagrams' ArrayBuffers (held outside the heap). */
function retainedBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const dumpRequest = () => ({ type: RTM_GETROUTE, payload: rtmsg(new AttrWriter(), { family: AF_INET }).finish() });

describe.skipIf(skip)('200,000-route dump through the runtime', () => {
  beforeAll(async () => {
    ns = createNetns('nlbigdump');
    ns.ip('link', 'add', 'rt0', 'type', 'veth', 'peer', 'name', 'rt1');
    ns.ip('link', 'set', 'rt0', 'up');
    const lines: string[] = [];
    // 198.18.0.0/15 holds 131,072 host routes: the rest go into a second table (same prefixes, distinct routes).
    for (let i = 0; i < ROUTES; i++) {
      const j = i % 131_072;
      lines.push(`route add 198.${18 + (j >> 16)}.${(j >> 8) & 255}.${j & 255}/32 dev rt0 table ${i < 131_072 ? 100 : 101}`);
    }
    await ipBatch(ns.name, lines.join('\n') + '\n');
  });
  afterAll(() => ns?.dispose());

  test('a 5 ms interval keeps firing during the dump (the loop is not starved)', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const c = new AttrCursor();
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 5);
    let routes = 0;
    let batches = 0;
    const t0 = performance.now();
    try {
      for await (const batch of sock.dumpBatches(dumpRequest())) {
        batches++;
        for (const m of batch) if (isTestRoute(m, c)) routes++;
      }
    } finally {
      clearInterval(timer);
    }
    const t1 = performance.now();
    expect(routes).toBe(ROUTES);
    // Every datagram is its own batch: a 200k dump spans hundreds of them, so the slicing below is exercised.
    expect(batches).toBeGreaterThan(100);
    // Gaps between consecutive ticks, counting the dump's start and end as boundaries.
    const marks = [t0, ...ticks.filter((t) => t > t0 && t < t1), t1];
    let maxGap = 0;
    for (let i = 1; i < marks.length; i++) maxGap = Math.max(maxGap, marks[i] - marks[i - 1]);
    const inside = marks.length - 2;
    // Starvation, not speed: a runtime that drained the whole dump in one callback (or resolved every batch in one
    // chain of microtasks) would let no tick in at all and leave one gap as long as the dump. The runtime reads at
    // most 16 datagrams per wakeup, so the loop gets control at least batches/16 times; each time, a due timer
    // fires. Ticks therefore number about min(wakeups, elapsed / 5 ms) however fast or slow the machine is — a
    // quarter of that leaves room for a loaded machine without depending on its speed. Likewise no gap may come
    // near the whole dump (a quarter of it, or 250 ms for very quick dumps).
    const elapsed = t1 - t0;
    const expected = Math.min(Math.floor(batches / 16), Math.floor(elapsed / 5));
    expect(inside, `ticks during a ${elapsed.toFixed(0)} ms dump of ${batches} datagrams; max gap ${maxGap.toFixed(1)} ms`).toBeGreaterThanOrEqual(
      Math.max(3, Math.floor(expected / 4)),
    );
    expect(maxGap).toBeLessThan(Math.max(250, elapsed / 4));
  });

  test('a slow consumer keeps memory flat: growth from 20% to 100% of the dump stays bounded', async () => {
    await using sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns!.name });
    const c = new AttrCursor();
    let routes = 0;
    let at20: number | undefined;
    let at100: number | undefined;
    for await (const batch of sock.dumpBatches(dumpRequest(), { highWaterMark: 4 })) {
      for (const m of batch) if (isTestRoute(m, c)) routes++;
      if (at20 === undefined && routes >= ROUTES * 0.2) at20 = retainedBytes();
      if (at100 === undefined && routes === ROUTES) at100 = retainedBytes();
      // The consumer is slower than the kernel: without backpressure the unread datagrams would pile up in JS.
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(routes).toBe(ROUTES);
    expect(at20).toBeDefined();
    expect(at100).toBeDefined();
    // The 80% of the dump read in between is ≈260 datagrams of ≈32 KiB plus 160,000 message objects: kept in
    // memory that would add well over 20 MB. Backpressure bounds what is queued to a few datagrams, so the growth
    // must stay far below that; 12 MB leaves room for JIT code and the test runner's own allocations (a full
    // parallel run on Node 24 once measured 9.2 MB; alone it measures none; a dump buffered in JS adds 20 MB or more).
    expect(at100! - at20!, `memory at 20%: ${at20} bytes, at 100%: ${at100} bytes`).toBeLessThan(12 * 1024 * 1024);
  });
});
