// Runtime benchmark: a 100k-route dump read by a blocking count-only loop (the floor), by the runtime (count only and
// with a full attribute walk), and by `ip -j route show table all`; plus request/reply round trips vs blocking recv.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AF_NETLINK, errno, SOCK_CLOEXEC, SOCK_RAW, sys } from '../../runtime/ffi.js';
import { AttrCursor, AttrWriter, encodeMessage, inNetns, NETLINK_ROUTE, NetlinkSocket } from '../../runtime/index.js';

const RTM_GETLINK = 18;
const RTM_GETROUTE = 26;
const NLM_F_REQUEST = 1;
const NLM_F_ACK = 4;
const NLM_F_DUMP = 0x300;

/** One row of the result table. */
export interface BenchRow {
  name: string;
  /** Median milliseconds (or microseconds per op for round trips). */
  value: number;
  unit: 'ms' | 'µs/op';
  /** Median over runs of value / baseline measured in the same run (ip -j: median / floor median). */
  ratio: number;
  baseline: string;
  target?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A blocking netlink socket (no SOCK_NONBLOCK, not polled) opened in `ns`: the baseline's transport. */
function blockingSocket(ns: string): number {
  const { value } = inNetns(ns, () => sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (value < 0) throw new Error(`socket: errno ${errno()}`);
  return value;
}

const routeDumpPayload = () => new AttrWriter().rawU8(2).rawZeros(7).rawU32(0).finish();

/** The floor: blocking recv into one buffer, counting messages by their headers only. */
function floorDump(fd: number, seq: number): number {
  const req = encodeMessage(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, routeDumpPayload());
  if (sys.send(fd, req, req.length, 0) < 0) throw new Error(`send: errno ${errno()}`);
  const buf = new Uint8Array(64 * 1024);
  const view = new DataView(buf.buffer);
  let count = 0;
  for (;;) {
    const n = sys.recv(fd, buf, buf.length, 0);
    if (n < 0) throw new Error(`recv: errno ${errno()}`);
    let off = 0;
    while (off + 16 <= n) {
      const len = view.getUint32(off, true);
      const type = view.getUint16(off + 4, true);
      if (type === 3) return count; // NLMSG_DONE
      if (type === 2) throw new Error('dump failed');
      count++;
      off += (len + 3) & ~3;
    }
  }
}

async function runtimeDumpCount(sock: NetlinkSocket): Promise<number> {
  let count = 0;
  for await (const batch of sock.dumpBatches({ type: RTM_GETROUTE, payload: routeDumpPayload() })) count += batch.length;
  return count;
}

/**
 * Decodes every route message the way a generated decoder does: the rtmsg header fields, then a switch on each
 * attribute type reading its value (RTA_DST as bytes, RTA_TABLE/OIF/PRIORITY/… as u32).
 */
async function runtimeDumpWalk(sock: NetlinkSocket): Promise<number> {
  let count = 0;
  let sink = 0;
  const c = new AttrCursor();
  for await (const batch of sock.dumpBatches({ type: RTM_GETROUTE, payload: routeDumpPayload() })) {
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i];
      const v = m.view;
      const d = m.data;
      const s = m.start;
      // family, dst_len, src_len, tos, table, protocol, scope, type, flags
      sink += d[s] + d[s + 1] + d[s + 2] + d[s + 3] + d[s + 4] + d[s + 5] + d[s + 6] + d[s + 7] + v.getUint32(s + 8, true);
      c.reset(v, s + 12, m.end);
      while (c.next()) {
        switch (c.type) {
          case 1: // RTA_DST
          case 7: // RTA_PREFSRC
          case 5: // RTA_GATEWAY
            sink += d[c.start] + d[c.end - 1];
            break;
          case 4: // RTA_OIF
          case 6: // RTA_PRIORITY
          case 15: // RTA_TABLE
            if (c.end - c.start !== 4) throw new Error('bad u32');
            sink += v.getUint32(c.start, true);
            break;
          default:
            sink += c.end - c.start;
        }
      }
      count++;
    }
  }
  if (sink === -1) console.log(sink);
  return count;
}

function blockingRoundTrips(fd: number, n: number): number {
  const buf = new Uint8Array(64 * 1024);
  const view = new DataView(buf.buffer);
  const payload = new AttrWriter().rawU8(0).rawZeros(3).rawU32(1).rawZeros(8).finish();
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const req = encodeMessage(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, i + 1, 0, payload);
    sys.send(fd, req, req.length, 0);
    // reply, then the ACK (they may share a datagram)
    let acked = false;
    while (!acked) {
      const got = sys.recv(fd, buf, buf.length, 0);
      let off = 0;
      while (off + 16 <= got) {
        if (view.getUint16(off + 4, true) === 2) acked = true;
        off += (view.getUint32(off, true) + 3) & ~3;
      }
    }
  }
  return ((now() - t0) * 1000) / n;
}

async function runtimeRoundTrips(sock: NetlinkSocket, n: number): Promise<number> {
  const payload = new AttrWriter().rawU8(0).rawZeros(3).rawU32(1).rawZeros(8).finish();
  const t0 = now();
  for (let i = 0; i < n; i++) await sock.request({ type: RTM_GETLINK, payload });
  return ((now() - t0) * 1000) / n;
}

/** Runs the benchmark (needs root); returns the rows. */
export async function runRouteBench(opts: { routes?: number; runs?: number; log?: (s: string) => void } = {}): Promise<BenchRow[]> {
  const routes = opts.routes ?? 100_000;
  const runs = opts.runs ?? 11;
  const log = opts.log ?? ((s: string) => console.log(s));
  const ns = `nlgen-bench-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  const file = join(tmpdir(), `${ns}.batch`);
  try {
    execFileSync('ip', ['-n', ns, 'link', 'add', 'rt0', 'type', 'veth', 'peer', 'name', 'rt1']);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'rt0', 'up']);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'rt1', 'up']);
    const lines: string[] = [];
    for (let i = 0; i < routes; i++) lines.push(`route add 198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 dev rt0`);
    writeFileSync(file, lines.join('\n') + '\n');
    log(`netns ${ns}: adding ${routes} routes…`);
    execFileSync('ip', ['-n', ns, '-batch', file]);

    const fd = blockingSocket(ns);
    const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns });
    const floor: number[] = [];
    const count: number[] = [];
    const walk: number[] = [];
    const ipj: number[] = [];
    let expected = -1;
    const check = (n: number, what: string) => {
      if (expected < 0) expected = n;
      if (n !== expected) throw new Error(`${what} saw ${n} messages, expected ${expected}`);
    };
    // warm-up, then interleaved runs so that machine noise hits every variant alike
    for (let w = 0; w < 2; w++) {
      floorDump(fd, 100 + w);
      await runtimeDumpCount(sock);
      await runtimeDumpWalk(sock);
    }
    // Ratios are taken per interleaved run (each variant measured back to back) and then the median of those,
    // which cancels most of the load other processes put on a shared machine.
    const rCount: number[] = [];
    const rWalk: number[] = [];
    for (let r = 0; r < runs; r++) {
      (globalThis as { gc?: () => void }).gc?.();
      let t = now();
      check(floorDump(fd, r + 2), 'floor');
      floor.push(now() - t);
      t = now();
      check(await runtimeDumpCount(sock), 'runtime count');
      count.push(now() - t);
      t = now();
      check(await runtimeDumpWalk(sock), 'runtime walk');
      walk.push(now() - t);
      rCount.push(count[r] / floor[r]);
      rWalk.push(walk[r] / floor[r]);
    }
    for (let r = 0; r < Math.max(3, runs >> 1); r++) {
      const t = now();
      const p = spawnSync('ip', ['-n', ns, '-j', 'route', 'show', 'table', 'all'], { maxBuffer: 1 << 30 });
      if (p.status !== 0) throw new Error('ip -j route show failed');
      ipj.push(now() - t);
    }
    const rtN = 5000;
    blockingRoundTrips(fd, 500);
    await runtimeRoundTrips(sock, 500);
    const rtBlock: number[] = [];
    const rtRuntime: number[] = [];
    const rRt: number[] = [];
    for (let r = 0; r < runs; r++) {
      rtBlock.push(blockingRoundTrips(fd, rtN));
      rtRuntime.push(await runtimeRoundTrips(sock, rtN));
      rRt.push(rtRuntime[r] / rtBlock[r]);
    }
    sock.close();
    sys.close(fd);
    const f = median(floor);
    const b = median(rtBlock);
    log(`route messages per dump: ${expected}`);
    return [
      { name: 'blocking recv loop, count only (floor)', value: f, unit: 'ms', ratio: 1, baseline: 'floor' },
      { name: 'runtime dump, count only', value: median(count), unit: 'ms', ratio: median(rCount), baseline: 'floor' },
      { name: 'runtime dump, full attribute walk', value: median(walk), unit: 'ms', ratio: median(rWalk), baseline: 'floor', target: 1.3 },
      { name: 'ip -j route show table all (process)', value: median(ipj), unit: 'ms', ratio: median(ipj) / f, baseline: 'floor' },
      { name: 'round trip, blocking recv (baseline)', value: b, unit: 'µs/op', ratio: 1, baseline: 'blocking' },
      { name: 'round trip, runtime request()', value: median(rtRuntime), unit: 'µs/op', ratio: median(rRt), baseline: 'blocking', target: 1.5 },
    ];
  } finally {
    rmSync(file, { force: true });
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

/** Formats rows as a Markdown table. */
export function formatRows(rows: BenchRow[]): string {
  const out = ['| measurement | median | ratio | target |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    const v = r.unit === 'ms' ? `${r.value.toFixed(1)} ms` : `${r.value.toFixed(2)} µs/op`;
    const target = r.target === undefined ? '' : `≤ ${r.target}× ${r.ratio <= r.target ? '✓' : '✗'}`;
    out.push(`| ${r.name} | ${v} | ${r.ratio.toFixed(2)}× ${r.baseline} | ${target} |`);
  }
  return out.join('\n');
}
