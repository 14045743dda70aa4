// The adds section: 100,000 host routes added through the generated rt-route client — every newroute started in one
// tick, so the socket coalesces them into shared sendmsg windows — against `ip -batch` adding the same routes from a
// file (a whole process). A namespace of its own, flushed after each run; the variants alternate which goes first.
import { NETLINK_ROUTE, NetlinkSocket } from '@nlgen/runtime';
import { RtRoute, type NewrouteRequest } from '@nlgen/families/rt-route';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { createBenchNetns, routeSpec } from '../lib/netns.js';
import { median, now } from '../lib/report.js';
import { runtimeDumpCount } from '../runtime/route-bench.js';

/** Route adds per run, at most. */
export const MAX_ADDS = 100_000;

/** Adds routes `[0, n)` through the client's `batch` (all started in one tick); returns the failures. */
export async function addRoutesWithClient(route: RtRoute, n: number, ifindex: number): Promise<Error[]> {
  const request = (i: number): NewrouteRequest => {
    const { dst, table } = routeSpec(i);
    // What `ip route add DST/32 dev rt0` sends: protocol boot, scope link, unicast.
    return { rtmFamily: 2, rtmDstLen: 32, rtmTable: table < 256 ? table : 252, rtmProtocol: 3, rtmScope: 253, rtmType: 'unicast', dst, oif: ifindex, ...(table >= 256 ? { table } : {}) };
  };
  const outcomes = await route.batch((c) => Array.from({ length: n }, (_, i) => c.newroute(request(i), { create: true, excl: true })));
  return outcomes.filter((o): o is Error => o instanceof Error);
}

/** Runs the adds section. */
export async function addsSection(ctx: BenchContext): Promise<SectionResult> {
  const n = Math.min(ctx.routes, MAX_ADDS);
  const ns = createBenchNetns('adds');
  const route = await RtRoute.open({ netns: ns.name });
  const counter = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
  try {
    const expectCount = async (want: number, after: string) => {
      const got = await runtimeDumpCount(counter);
      if (got !== want) throw new Error(`after ${after}: ${got} routes in the namespace, expected ${want}`);
    };
    const flush = () => ns.ip('-4', 'route', 'flush', 'table', 'main');
    // No forced gc() before a variant: right after a full collection the client's next burst runs far slower
    // (measured on dumps: 2–3×), which would charge the client for the benchmark's own doing.
    const viaClient = async () => {
      const t = now();
      const failed = await addRoutesWithClient(route, n, ns.ifindex);
      const ms = now() - t;
      if (failed.length > 0) throw new Error(`${failed.length} client adds failed, first: ${failed[0]!.message}`);
      await expectCount(n, 'client adds');
      flush();
      await expectCount(0, 'flush');
      return ms;
    };
    const viaIp = async () => {
      const ms = ns.addRoutesWithIp(0, n);
      await expectCount(n, 'ip -batch');
      flush();
      await expectCount(0, 'flush');
      return ms;
    };
    await viaClient(); // warm-up (JIT)
    const runs = Math.max(3, ctx.runs >> 1);
    const client: number[] = [];
    const ip: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < runs; r++) {
      let c: number;
      let i: number;
      if (r % 2 === 0) {
        c = await viaClient();
        i = await viaIp();
      } else {
        i = await viaIp();
        c = await viaClient();
      }
      client.push(c);
      ip.push(i);
      ratios.push(c / i);
    }
    const at = `${n.toLocaleString('en-US')} routes`;
    return {
      rows: [
        { section: 'adds', name: '`ip -batch` route adds (whole process)', value: median(ip), unit: 'ms', ratio: 1, baseline: 'ip -batch', note: at },
        { section: 'adds', name: 'route adds through the generated client (`client.batch`)', value: median(client), unit: 'ms', ratio: median(ratios), baseline: 'ip -batch', target: { max: 1.0 } },
      ],
      skipped: [],
    };
  } finally {
    route.close();
    counter.close();
    ns.dispose();
  }
}
