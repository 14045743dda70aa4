// Generic netlink: resolving families through the nlctrl controller (encoded and decoded here, by hand, so that the
// runtime depends on no generated code), a per-namespace family cache, and subscriptions by multicast group name.
import { AttrCursor, AttrWriter, readString } from '../wire/attrs.js';
import { DecodeError, FamilyNotFoundError, NetlinkError, NlgenError } from '../wire/errors.js';
import { GENL_HDRLEN, GENL_ID_CTRL, type NetlinkMessage } from '../wire/message.js';
import type { NetlinkSocket, RequestOptions } from '../socket/socket.js';
import type { SubscribeOptions, Subscription } from '../socket/subscription.js';

/** nlctrl commands. */
export const CTRL_CMD_NEWFAMILY = 1;
/** Get one family (do) or all (dump). */
export const CTRL_CMD_GETFAMILY = 3;
/** nlctrl attributes. */
export const CTRL_ATTR_FAMILY_ID = 1;
/** Family name (string). */
export const CTRL_ATTR_FAMILY_NAME = 2;
/** Family version (u32). */
export const CTRL_ATTR_VERSION = 3;
/** Size of the family's fixed header after genlmsghdr (u32). */
export const CTRL_ATTR_HDRSIZE = 4;
/** Highest attribute number (u32). */
export const CTRL_ATTR_MAXATTR = 5;
/** Operations (array of nests). */
export const CTRL_ATTR_OPS = 6;
/** Multicast groups (array of nests). */
export const CTRL_ATTR_MCAST_GROUPS = 7;
/** Operation id inside an ops entry. */
export const CTRL_ATTR_OP_ID = 1;
/** Operation flags inside an ops entry. */
export const CTRL_ATTR_OP_FLAGS = 2;
/** Group name inside a multicast group entry. */
export const CTRL_ATTR_MCAST_GRP_NAME = 1;
/** Group id inside a multicast group entry. */
export const CTRL_ATTR_MCAST_GRP_ID = 2;

/** Operation flag bits reported by nlctrl. */
export const GENL_ADMIN_PERM = 0x01;
/** The operation has a do handler. */
export const GENL_CMD_CAP_DO = 0x02;
/** The operation has a dump handler. */
export const GENL_CMD_CAP_DUMP = 0x04;
/** The operation validates attributes with a policy. */
export const GENL_CMD_CAP_HASPOL = 0x08;
/** The operation needs CAP_NET_ADMIN in the user namespace owning the network namespace. */
export const GENL_UNS_ADMIN_PERM = 0x10;

/** One operation of a family. */
export interface GenlOp {
  /** Command number. */
  id: number;
  /** GENL_* flag bits (ADMIN_PERM, CMD_CAP_DO, CMD_CAP_DUMP, …). */
  flags: number;
}

/** A generic netlink family as the kernel describes it. */
export interface GenlFamily {
  /** Dynamic family id: the nlmsg_type of its messages. */
  id: number;
  name: string;
  version: number;
  /** Bytes of fixed header after the genlmsghdr. */
  hdrSize: number;
  maxAttr: number;
  ops: GenlOp[];
  /** Multicast group name → group id. */
  mcastGroups: Map<string, number>;
}

const cursor = new AttrCursor();
const entry = new AttrCursor();
const field = new AttrCursor();

function u32(msg: NetlinkMessage, start: number, end: number, what: string): number {
  if (end - start !== 4) throw new DecodeError(`${what} has ${end - start} byte(s), expected 4`, start);
  return msg.view.getUint32(start, true);
}

/** Decodes a CTRL_CMD_NEWFAMILY message (the reply to GETFAMILY). Throws DecodeError on malformed input. */
export function parseFamily(msg: NetlinkMessage): GenlFamily {
  const { view, start, end } = msg;
  if (end - start < GENL_HDRLEN) throw new DecodeError('genlmsghdr is truncated', start);
  const fam: GenlFamily = { id: 0, name: '', version: 0, hdrSize: 0, maxAttr: 0, ops: [], mcastGroups: new Map() };
  let sawId = false;
  const c = cursor.reset(view, start + GENL_HDRLEN, end);
  while (c.next()) {
    const s = c.start;
    const e = c.end;
    switch (c.type) {
      case CTRL_ATTR_FAMILY_ID:
        if (e - s !== 2) throw new DecodeError(`family id has ${e - s} byte(s), expected 2`, s);
        fam.id = view.getUint16(s, true);
        sawId = true;
        break;
      case CTRL_ATTR_FAMILY_NAME:
        fam.name = readString(msg.data, s, e);
        break;
      case CTRL_ATTR_VERSION:
        fam.version = u32(msg, s, e, 'family version');
        break;
      case CTRL_ATTR_HDRSIZE:
        fam.hdrSize = u32(msg, s, e, 'header size');
        break;
      case CTRL_ATTR_MAXATTR:
        fam.maxAttr = u32(msg, s, e, 'max attribute');
        break;
      case CTRL_ATTR_OPS: {
        const en = entry.reset(view, s, e);
        while (en.next()) {
          const op: GenlOp = { id: 0, flags: 0 };
          const f = field.reset(view, en.start, en.end);
          while (f.next()) {
            if (f.type === CTRL_ATTR_OP_ID) op.id = u32(msg, f.start, f.end, 'op id');
            else if (f.type === CTRL_ATTR_OP_FLAGS) op.flags = u32(msg, f.start, f.end, 'op flags');
          }
          fam.ops.push(op);
        }
        break;
      }
      case CTRL_ATTR_MCAST_GROUPS: {
        const en = entry.reset(view, s, e);
        while (en.next()) {
          let name: string | undefined;
          let id: number | undefined;
          const f = field.reset(view, en.start, en.end);
          while (f.next()) {
            if (f.type === CTRL_ATTR_MCAST_GRP_NAME) name = readString(msg.data, f.start, f.end);
            else if (f.type === CTRL_ATTR_MCAST_GRP_ID) id = u32(msg, f.start, f.end, 'group id');
          }
          if (name !== undefined && id !== undefined) fam.mcastGroups.set(name, id);
        }
        break;
      }
      default: // policies and newer attributes are not needed here
    }
  }
  if (!sawId) throw new DecodeError('family reply has no family id', start);
  return fam;
}

/** The payload of a CTRL_CMD_GETFAMILY request (for one family by name, or all when name is omitted). */
export function getFamilyPayload(name?: string): Uint8Array {
  const w = new AttrWriter(64).rawU8(CTRL_CMD_GETFAMILY).rawU8(1).rawU16(0);
  if (name !== undefined) w.string(CTRL_ATTR_FAMILY_NAME, name);
  return w.finish();
}

// netns id → family name → resolved family (promises, so concurrent lookups share one request)
const cache = new Map<string, Map<string, Promise<GenlFamily>>>();

/**
 * Resolves a generic netlink family by name through nlctrl (id, version, header size, max attribute, ops,
 * multicast groups). Results are cached per network namespace; a missing family raises FamilyNotFoundError
 * ("family 'x' is not available in this kernel") and is not cached (a module may load later).
 */
export function resolveFamily(sock: NetlinkSocket, name: string, opts?: RequestOptions): Promise<GenlFamily> {
  let byName = cache.get(sock.netnsId);
  if (!byName) cache.set(sock.netnsId, (byName = new Map()));
  const hit = byName.get(name);
  if (hit) return hit;
  const p = fetchFamily(sock, name, opts);
  byName.set(name, p);
  p.catch(() => {
    if (byName.get(name) === p) byName.delete(name);
  });
  return p;
}

async function fetchFamily(sock: NetlinkSocket, name: string, opts?: RequestOptions): Promise<GenlFamily> {
  if (sock.protocol !== 16) throw new NlgenError('generic netlink families are resolved on a NETLINK_GENERIC socket');
  try {
    const r = await sock.request({ type: GENL_ID_CTRL, payload: getFamilyPayload(name) }, opts);
    const reply = r.messages.find((m) => m.type === GENL_ID_CTRL);
    if (!reply) throw new NlgenError(`nlctrl sent no reply for family '${name}'`);
    return parseFamily(reply);
  } catch (err) {
    if (err instanceof NetlinkError && err.code === 'ENOENT') throw new FamilyNotFoundError(name);
    throw err;
  }
}

/** Lists every family the kernel offers (a dump of nlctrl); not cached. */
export async function listFamilies(sock: NetlinkSocket, opts?: RequestOptions): Promise<GenlFamily[]> {
  const msgs = await sock.dumpAll({ type: GENL_ID_CTRL, payload: getFamilyPayload() }, opts);
  return msgs.filter((m) => m.type === GENL_ID_CTRL).map(parseFamily);
}

/** Forgets cached families (all namespaces, or one `netnsId`). */
export function clearFamilyCache(netnsId?: string): void {
  if (netnsId === undefined) cache.clear();
  else cache.delete(netnsId);
}

/**
 * Subscribes to multicast groups of a generic netlink family by group name (or id). Unknown names raise an error
 * that lists the family's groups.
 */
export async function subscribeGenl(
  sock: NetlinkSocket,
  family: string | GenlFamily,
  groups: readonly (string | number)[],
  opts?: SubscribeOptions,
): Promise<Subscription> {
  const fam = typeof family === 'string' ? await resolveFamily(sock, family) : family;
  const ids = groups.map((g) => {
    if (typeof g === 'number') return g;
    const id = fam.mcastGroups.get(g);
    if (id === undefined) {
      const known = [...fam.mcastGroups.keys()].join(', ') || 'none';
      throw new NlgenError(`family '${fam.name}' has no multicast group '${g}' (groups: ${known})`);
    }
    return id;
  });
  return sock.subscribe(ids, opts);
}
