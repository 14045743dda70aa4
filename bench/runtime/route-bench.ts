// Runtime baselines: a route dump read by a blocking count-only loop (the floor) and by the runtime (count only, and
// with a full attribute walk); request/reply round trips over a blocking socket and through the runtime.
import { AF_NETLINK, errno, SOCK_CLOEXEC, SOCK_RAW, sys } from '@nlgen/runtime/ffi';
import { AttrCursor, AttrWriter, encodeMessage, inNetns, NETLINK_ROUTE, NetlinkSocket } from '@nlgen/runtime';
import { now } from '../lib/report.js';

const RTM_GETLINK = 18;
const RTM_GETROUTE = 26;
const NLM_F_REQUEST = 1;
const NLM_F_ACK = 4;
const NLM_F_DUMP = 0x300;

/** A blocking netlink socket (no SOCK_NONBLOCK, not polled) opened in `ns`: the baseline's transport. */
export function blockingSocket(ns: string): number {
  const { value } = inNetns(ns, () => sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (value < 0) throw new Error(`socket: errno ${errno()}`);
  return value;
}

/** struct rtmsg for an IPv4 dump of every table. */
export const routeDumpPayload = (): Uint8Array => new AttrWriter().rawU8(2).rawZeros(7).rawU32(0).finish();

/** The floor: blocking recv into one buffer, counting messages by their headers only. */
export function floorDump(fd: number, seq: number): number {
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

/** The runtime's dump, counting messages per batch only. */
export async function runtimeDumpCount(sock: NetlinkSocket): Promise<number> {
  let count = 0;
  for await (const batch of sock.dumpBatches({ type: RTM_GETROUTE, payload: routeDumpPayload() })) count += batch.length;
  return count;
}

/**
 * Decodes every route message the way a generated decoder does: the rtmsg header fields, then a switch on each
 * attribute type reading its value (RTA_DST as bytes, RTA_TABLE/OIF/PRIORITY/… as u32).
 */
export async function runtimeDumpWalk(sock: NetlinkSocket): Promise<number> {
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

/** `n` RTM_GETLINK (ifindex 1) round trips over a blocking socket; µs per round trip. */
export function blockingRoundTrips(fd: number, n: number): number {
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

/** `n` RTM_GETLINK (ifindex 1) round trips through `NetlinkSocket.request`; µs per round trip. */
export async function runtimeRoundTrips(sock: NetlinkSocket, n: number): Promise<number> {
  const payload = new AttrWriter().rawU8(0).rawZeros(3).rawU32(1).rawZeros(8).finish();
  const t0 = now();
  for (let i = 0; i < n; i++) await sock.request({ type: RTM_GETLINK, payload });
  return ((now() - t0) * 1000) / n;
}
