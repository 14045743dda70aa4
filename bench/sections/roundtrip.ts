// The round-trip section: RTM_GETLINK for ifindex 1 answered one at a time — over a blocking socket (the baseline),
// through the runtime's request(), and through the generated rt-link client's getlink (encode, send, decode).
import { NETLINK_ROUTE, NetlinkSocket } from '../../runtime/index.js';
import { sys } from '../../runtime/ffi.js';
import { RtLink } from '../../generated/rt-link.js';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { median, now } from '../lib/report.js';
import { blockingRoundTrips, blockingSocket, runtimeRoundTrips } from '../runtime/route-bench.js';

/** `n` getlink-by-index calls through the generated client, one after another; µs per call. */
export async function clientRoundTrips(link: RtLink, n: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const l = await link.getlink({ ifiIndex: 1 });
    if (l.ifiIndex !== 1) throw new Error(`getlink answered ifindex ${l.ifiIndex}`);
  }
  return ((now() - t0) * 1000) / n;
}

/** Runs the round-trip section. */
export async function roundTripSection(ctx: BenchContext): Promise<SectionResult> {
  const ns = await ctx.dumpNetns();
  const fd = blockingSocket(ns.name);
  const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
  const link = await RtLink.open({ netns: ns.name });
  try {
    const n = 5000;
    blockingRoundTrips(fd, 500);
    await runtimeRoundTrips(sock, 500);
    await clientRoundTrips(link, 500);
    const block: number[] = [];
    const runtime: number[] = [];
    const client: number[] = [];
    const rRuntime: number[] = [];
    const rClient: number[] = [];
    for (let r = 0; r < ctx.runs; r++) {
      block.push(blockingRoundTrips(fd, n));
      runtime.push(await runtimeRoundTrips(sock, n));
      client.push(await clientRoundTrips(link, n));
      rRuntime.push(runtime[r]! / block[r]!);
      rClient.push(client[r]! / block[r]!);
    }
    return {
      rows: [
        { section: 'rt', name: 'round trip, blocking recv (baseline)', value: median(block), unit: 'µs/op', ratio: 1, baseline: 'blocking' },
        { section: 'rt', name: 'round trip, runtime `request()`', value: median(runtime), unit: 'µs/op', ratio: median(rRuntime), baseline: 'blocking', target: { max: 1.5 } },
        { section: 'rt', name: 'round trip, generated `RtLink.getlink({ ifiIndex })`', value: median(client), unit: 'µs/op', ratio: median(rClient), baseline: 'blocking', target: { max: 1.5 } },
      ],
      skipped: [],
    };
  } finally {
    link.close();
    sock.close();
    sys.close(fd);
  }
}
