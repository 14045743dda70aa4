// The dump section: one IPv4 route dump read by the floor (blocking count-only recv), the runtime (count only,
// full attribute walk), the generated rt-route client (every route decoded into a typed object), and
// `ip -j route show table all` as a whole process — interleaved, each run's ratios taken against that run's floor.
import { spawnSync } from 'node:child_process';
import { NETLINK_ROUTE, NetlinkSocket } from '@nlgen/runtime';
import { sys } from '@nlgen/runtime/ffi';
import { RtRoute } from '@nlgen/families/rt-route';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { median, now } from '../lib/report.js';
import { blockingSocket, floorDump, runtimeDumpCount, runtimeDumpWalk } from '../runtime/route-bench.js';

/** Streams a typed dump through the generated client, touching one field of every route; returns the count. */
export async function typedDumpCount(route: RtRoute): Promise<number> {
  let count = 0;
  let sink = 0;
  for await (const batch of route.getrouteDump({ rtmFamily: 2 }).batches()) {
    for (let i = 0; i < batch.length; i++) sink += batch[i]!.rtmDstLen;
    count += batch.length;
  }
  if (sink < 0) console.log(sink);
  return count;
}

/** Runs the dump section. */
export async function dumpSection(ctx: BenchContext): Promise<SectionResult> {
  const ns = await ctx.dumpNetns();
  const expected = await ctx.expectedRoutes();
  const fd = blockingSocket(ns.name);
  const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
  const route = await RtRoute.open({ netns: ns.name });
  try {
    const check = (n: number, what: string) => {
      if (n !== expected) throw new Error(`${what} saw ${n} routes, expected ${expected}`);
    };
    for (let w = 0; w < 2; w++) {
      floorDump(fd, 100 + w);
      await runtimeDumpCount(sock);
      await runtimeDumpWalk(sock);
      await typedDumpCount(route);
    }
    const floor: number[] = [];
    const count: number[] = [];
    const walk: number[] = [];
    const typed: number[] = [];
    const ipj: number[] = [];
    const rCount: number[] = [];
    const rWalk: number[] = [];
    const rTyped: number[] = [];
    const rIp: number[] = [];
    const ipRuns = Math.max(3, ctx.runs >> 1);
    // No forced gc() between variants: measured here, a dump that starts right after a full collection takes 2–3×
    // as long (user CPU 6 → 40+ ms per 100k routes), a penalty no application pays; garbage each variant leaves is
    // collected as it runs, alike for all of them across the interleaved runs.
    for (let r = 0; r < ctx.runs; r++) {
      let t = now();
      check(floorDump(fd, 200 + r), 'floor');
      floor.push(now() - t);
      t = now();
      check(await runtimeDumpCount(sock), 'runtime count');
      count.push(now() - t);
      t = now();
      check(await runtimeDumpWalk(sock), 'runtime walk');
      walk.push(now() - t);
      t = now();
      check(await typedDumpCount(route), 'typed dump');
      typed.push(now() - t);
      rCount.push(count[r]! / floor[r]!);
      rWalk.push(walk[r]! / floor[r]!);
      rTyped.push(typed[r]! / floor[r]!);
      if (r < ipRuns) {
        t = now();
        const p = spawnSync('ip', ['-n', ns.name, '-4', '-j', 'route', 'show', 'table', 'all'], { stdio: ['ignore', 'ignore', 'pipe'] });
        if (p.status !== 0) throw new Error(`ip -j route show failed: ${p.stderr}`);
        ipj.push(now() - t);
        rIp.push(ipj[r]! / floor[r]!);
      }
    }
    const note = `${expected.toLocaleString('en-US')} routes`;
    return {
      rows: [
        { section: 'dump', name: 'blocking recv loop, count only (floor)', value: median(floor), unit: 'ms', ratio: 1, baseline: 'floor', note },
        { section: 'dump', name: 'runtime dump, count only', value: median(count), unit: 'ms', ratio: median(rCount), baseline: 'floor' },
        { section: 'dump', name: 'runtime dump, full attribute walk', value: median(walk), unit: 'ms', ratio: median(rWalk), baseline: 'floor', target: { max: 1.3 } },
        { section: 'dump', name: 'typed dump through the generated rt-route client', value: median(typed), unit: 'ms', ratio: median(rTyped), baseline: 'floor', target: { max: 1.3 } },
        { section: 'dump', name: '`ip -4 -j route show table all` (whole process, output discarded)', value: median(ipj), unit: 'ms', ratio: median(rIp), baseline: 'floor' },
      ],
      skipped: [],
    };
  } finally {
    route.close();
    sock.close();
    sys.close(fd);
  }
}
