// What `ip -4 -j route show table all` prints, made from the generated rt-route client's typed dump: the JSON
// benchmark's like-for-like node side (its output is compared with ip's byte for byte).
import { RtLink } from '@nlgen/families/rt-link';
import type { GetrouteDumpReply, RtRoute } from '@nlgen/families/rt-route';

// iproute2's names for numbers (ip/iproute.c, lib/rt_names.c); the default of each field is left out as ip does.
const TABLE_NAMES: Record<number, string> = { 253: 'default', 255: 'local' };
const PROTOCOL_NAMES: Record<number, string> = { 0: 'unspec', 1: 'redirect', 2: 'kernel', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra', 12: 'bird', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 42: 'babel', 99: 'openr', 186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp' };
const SCOPE_NAMES: Record<number, string> = { 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };
// rtm_flags bits in the order ip prints them (RTNH_F_* then RTM_F_*).
const RTM_F_FLAGS: [number, string][] = [
  [0x1, 'dead'],
  [0x4, 'onlink'],
  [0x2, 'pervasive'],
  [0x8, 'offload'],
  [0x40, 'trap'],
  [0x100, 'notify'],
  [0x10, 'linkdown'],
  [0x20, 'unresolved'],
  [0x4000, 'rt_offload'],
  [0x8000, 'rt_trap'],
  [0x20000000, 'rt_offload_failed'],
];

/**
 * Writes the IPv4 routes of every table as `ip -4 -j route show table all` does — same fields in the same order,
 * same bytes — from the typed dump: type (unless unicast), dst (`/len` unless a host route; `default`), gateway,
 * dev (names from a link dump), table (unless main), protocol (unless boot), scope (unless global), prefsrc, metric,
 * flags. Routes with fields outside that set make the bench's byte comparison fail rather than print wrongly.
 * Returns the number of routes.
 * Output is built as text per batch (what ip does with printf); strings that could need escaping go through
 * JSON.stringify.
 */
export async function printRoutesLikeIp(route: RtRoute, netns: string | undefined, write: (text: string) => void): Promise<number> {
  const dev = new Map<number, string>();
  {
    await using link = await RtLink.open(netns ? { netns } : {});
    for await (const l of link.getlinkDump({})) if (l.ifname !== undefined) dev.set(l.ifiIndex, JSON.stringify(l.ifname));
  }
  let count = 0;
  let first = true;
  const one = (r: GetrouteDumpReply): string => {
    let s = '{';
    if (r.rtmType !== 'unicast') s += `"type":${JSON.stringify(String(r.rtmType))},`;
    const host = r.dst !== undefined && r.rtmDstLen === 32;
    s += `"dst":${r.dst === undefined ? '"default"' : host ? `"${r.dst}"` : `"${r.dst}/${r.rtmDstLen}"`}`;
    if (r.gateway !== undefined) s += `,"gateway":"${r.gateway}"`;
    if (r.oif !== undefined) s += `,"dev":${dev.get(r.oif) ?? `"if${r.oif}"`}`;
    const table = r.table ?? r.rtmTable;
    if (table !== 254) s += `,"table":"${TABLE_NAMES[table] ?? table}"`;
    if (r.rtmProtocol !== 3) s += `,"protocol":"${PROTOCOL_NAMES[r.rtmProtocol] ?? r.rtmProtocol}"`;
    if (r.rtmScope !== 0) s += `,"scope":"${SCOPE_NAMES[r.rtmScope] ?? r.rtmScope}"`;
    if (r.prefsrc !== undefined) s += `,"prefsrc":"${r.prefsrc}"`;
    if (r.priority !== undefined) s += `,"metric":${r.priority}`;
    s += ',"flags":[';
    let sep = '';
    for (const [bit, name] of RTM_F_FLAGS) {
      if (r.rtmFlags & bit) {
        s += `${sep}"${name}"`;
        sep = ',';
      }
    }
    return s + ']}';
  };
  for await (const batch of route.getrouteDump({ rtmFamily: 2 }).batches()) {
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      text += (first ? '[' : ',') + one(batch[i]!);
      first = false;
    }
    count += batch.length;
    if (text.length > 0) write(text);
  }
  write(first ? '[]\n' : ']\n');
  return count;
}
