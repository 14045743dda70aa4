// Hand-built rtnetlink requests for runtime tests (numbers from linux/rtnetlink.h, if_link.h, veth.h; no generated code).
import { AttrCursor, AttrWriter, readString, type NetlinkMessage } from '@nlgen/runtime';

/** Message types. */
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
/** Multicast groups (rtnetlink_groups). */
export const RTNLGRP_LINK = 1;
export const RTNLGRP_IPV4_ROUTE = 7;
/** Link attributes. */
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINKINFO = 18;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const VETH_INFO_PEER = 1;
/** Route attributes. */
export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_TABLE = 15;
export const AF_INET = 2;

/** Writes a struct ifinfomsg (16 bytes). */
export function ifinfomsg(w: AttrWriter, index = 0, family = 0): AttrWriter {
  return w.rawU8(family).rawU8(0).rawU16(0).rawS32(index).rawU32(0).rawU32(0);
}

/** Writes a struct rtmsg (12 bytes). */
export function rtmsg(
  w: AttrWriter,
  f: Partial<{ family: number; dstLen: number; srcLen: number; tos: number; table: number; protocol: number; scope: number; type: number; flags: number }> = {},
): AttrWriter {
  return w
    .rawU8(f.family ?? AF_INET)
    .rawU8(f.dstLen ?? 0)
    .rawU8(f.srcLen ?? 0)
    .rawU8(f.tos ?? 0)
    .rawU8(f.table ?? 0)
    .rawU8(f.protocol ?? 0)
    .rawU8(f.scope ?? 0)
    .rawU8(f.type ?? 0)
    .rawU32(f.flags ?? 0);
}

/** Payload of RTM_NEWLINK creating `name` of `kind`; `data` writes IFLA_INFO_DATA content. */
export function newLink(name: string, kind: string, data?: (w: AttrWriter) => void): Uint8Array {
  const w = ifinfomsg(new AttrWriter());
  w.string(IFLA_IFNAME, name);
  const li = w.beginNest(IFLA_LINKINFO);
  w.string(IFLA_INFO_KIND, kind);
  if (data) {
    const d = w.beginNest(IFLA_INFO_DATA);
    data(w);
    w.endNest(d);
  }
  w.endNest(li);
  return w.finish();
}

/** ifindex and name of a link message. */
export function linkOf(m: NetlinkMessage): { ifindex: number; ifname: string | undefined } {
  const ifindex = m.view.getInt32(m.start + 4, true);
  let ifname: string | undefined;
  const c = new AttrCursor().reset(m.view, m.start + 16, m.end);
  while (c.next()) if (c.type === IFLA_IFNAME) ifname = readString(m.data, c.start, c.end);
  return { ifindex, ifname };
}
