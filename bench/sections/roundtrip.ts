// The round-trip section: RTM_GETLINK for ifindex 1 answered one at a time — over a blocking socket (the baseline),
// through the runtime's request(), and through the generated rt-link client's getlink (encode, send, decode). For
// information, the same encode and decode over the blocking socket: what the typed object costs on its own.
import { encodeMessage, NETLINK_ROUTE, NetlinkSocket } from '@nlgen/runtime';
import { sys } from '@nlgen/runtime/ffi';
import { RtLink, RtLinkCodecs } from '@nlgen/families/rt-link';
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

/**
 * `n` getlink-by-index calls over the blocking socket `fd`, encoded and decoded by the generated codecs (the code the
 * client runs): the typed reply without the runtime; µs per call.
 */
export function blockingClientRoundTrips(fd: number, n: number): number {
  const codec = RtLinkCodecs.operations.getlink.do;
  const buf = new Uint8Array(64 * 1024);
  const view = new DataView(buf.buffer);
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const req = encodeMessage(18, 1 | 4, i + 1, 0, codec.encodeRequest({ ifiIndex: 1 })); // RTM_GETLINK, REQUEST|ACK
    sys.send(fd, req, req.length, 0);
    let ifindex = -1;
    let acked = false;
    while (!acked) {
      const got = sys.recv(fd, buf, buf.length, 0);
      let off = 0;
      while (off + 16 <= got) {
        const len = view.getUint32(off, true);
        const type = view.getUint16(off + 4, true);
        if (type === 2) acked = true;
        else if (type === 16 && ifindex < 0) ifindex = codec.decodeReply(buf.subarray(off + 16, off + len)).ifiIndex;
        off += (len + 3) & ~3;
      }
    }
    if (ifindex !== 1) throw new Error(`getlink answered ifindex ${ifindex}`);
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
    blockingClientRoundTrips(fd, 500);
    const block: number[] = [];
    const blockTyped: number[] = [];
    const rBlockTyped: number[] = [];
    const rOverTyped: number[] = [];
    const runtime: number[] = [];
    const client: number[] = [];
    const rRuntime: number[] = [];
    const rClient: number[] = [];
    for (let r = 0; r < ctx.runs; r++) {
      block.push(blockingRoundTrips(fd, n));
      runtime.push(await runtimeRoundTrips(sock, n));
      client.push(await clientRoundTrips(link, n));
      blockTyped.push(blockingClientRoundTrips(fd, n));
      rRuntime.push(runtime[r]! / block[r]!);
      rClient.push(client[r]! / block[r]!);
      rBlockTyped.push(blockTyped[r]! / block[r]!);
      rOverTyped.push(client[r]! / blockTyped[r]!);
    }
    return {
      rows: [
        { section: 'rt', name: 'round trip, blocking recv (baseline)', value: median(block), unit: 'µs/op', ratio: 1, baseline: 'blocking' },
        { section: 'rt', name: 'round trip, runtime `request()`', value: median(runtime), unit: 'µs/op', ratio: median(rRuntime), baseline: 'blocking', target: { max: 1.5 } },
        { section: 'rt', name: 'round trip, generated `RtLink.getlink({ ifiIndex })`', value: median(client), unit: 'µs/op', ratio: median(rClient), baseline: 'blocking' },
        { section: 'rt', name: 'round trip, same encode + decode over the blocking socket', value: median(blockTyped), unit: 'µs/op', ratio: median(rBlockTyped), baseline: 'blocking' },
        // The target measures what the non-blocking runtime adds to a typed call; the blocking typed round trip (same
        // generated encode + decode, no event loop) is its baseline. The raw-recv ratio above stays as information.
        { section: 'rt', name: 'generated `getlink` against that blocking typed round trip', value: median(client), unit: 'µs/op', ratio: median(rOverTyped), baseline: 'blocking typed', target: { max: 1.2 } },
      ],
      skipped: [],
    };
  } finally {
    link.close();
    sock.close();
    sys.close(fd);
  }
}
