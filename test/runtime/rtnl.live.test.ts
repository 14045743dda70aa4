// Requests, dumps and errors against the real kernel, each test in its own network namespace.
import koffi from 'koffi';
import { afterEach, describe, expect, test } from 'vitest';
import {
  AttrWriter,
  attrPathAt,
  inNetns,
  NETLINK_ROUTE,
  NetlinkError,
  NetlinkSocket,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLMSG_HDRLEN,
} from '@nlgen/runtime';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import {
  ifinfomsg,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MTU,
  linkOf,
  newLink,
  RTA_DST,
  RTA_OIF,
  RTM_GETLINK,
  RTM_GETROUTE,
  RTM_NEWLINK,
  RTM_NEWROUTE,
  RTNLGRP_LINK,
  rtmsg,
  VETH_INFO_PEER,
} from './support/rtnl.js';

const skip = liveSkipReason();
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function setup(): Promise<{ ns: TestNetns; sock: NetlinkSocket }> {
  const ns = createNetns('nlrt');
  cleanups.push(() => ns.dispose());
  const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
  cleanups.push(() => sock.close());
  return { ns, sock };
}

describe.skipIf(skip)('rtnetlink over the runtime', () => {
  test('link dump returns the same interfaces as ip -j link show', async () => {
    const { ns, sock } = await setup();
    // (This kernel has no dummy driver: veth pairs and a bridge stand in.)
    for (let i = 0; i < 2; i++) ns.ip('link', 'add', `va${i}`, 'type', 'veth', 'peer', 'name', `vb${i}`);
    ns.ip('link', 'add', 'ifb0', 'type', 'ifb');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    const got = [];
    for await (const m of sock.dump({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter()).finish() })) {
      expect(m.type).toBe(RTM_NEWLINK);
      got.push(linkOf(m));
    }
    const want = ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => ({ ifindex: l.ifindex, ifname: l.ifname }));
    const byIndex = (a: { ifindex: number }, b: { ifindex: number }) => a.ifindex - b.ifindex;
    expect(got.sort(byIndex)).toEqual(want.sort(byIndex));
    expect(got.length).toBe(7);
  });

  test('RTM_NEWLINK creates a veth pair and a bridge', async () => {
    const { ns, sock } = await setup();
    const veth = await sock.request({
      type: RTM_NEWLINK,
      flags: NLM_F_CREATE | NLM_F_EXCL,
      payload: newLink('va', 'veth', (w) => {
        const peer = w.beginNest(VETH_INFO_PEER);
        ifinfomsg(w);
        w.string(IFLA_IFNAME, 'vb');
        w.endNest(peer);
      }),
    });
    expect(veth.messages).toEqual([]);
    expect(veth.ack).toEqual({ extack: {} }); // a plain ACK: no TLVs, no warning
    await sock.request({ type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, payload: newLink('brx', 'bridge') });
    const links = ns.ipJson<{ ifname: string; link_type: string; linkinfo?: { info_kind: string } }[]>('-d', 'link', 'show');
    const kinds = Object.fromEntries(links.map((l) => [l.ifname, l.linkinfo?.info_kind]));
    expect(kinds).toMatchObject({ va: 'veth', vb: 'veth', brx: 'bridge' });
    // Creating it again fails with EEXIST.
    const again = sock.request({ type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, payload: newLink('brx', 'bridge') });
    await expect(again).rejects.toMatchObject({ code: 'EEXIST', errno: 17 });
  });

  test('an unknown link kind fails with EOPNOTSUPP and the extack text', async () => {
    const { sock } = await setup();
    const req = { type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, payload: newLink('x0', 'no-such-kind') };
    const err = await sock.request(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    const ne = err as NetlinkError;
    expect(ne.code).toBe('EOPNOTSUPP');
    expect(ne.errno).toBe(95);
    expect(ne.extack.message).toBe('Unknown device type');
    expect(ne.message).toContain('Unknown device type');
    expect(ne.origin).toBe('NLMSG_ERROR');
    // The error carries the request it answers (header included).
    expect(ne.request!.length).toBe(NLMSG_HDRLEN + req.payload.length);
    expect(new DataView(ne.request!.buffer).getUint16(4, true)).toBe(RTM_NEWLINK);
  });

  test('a malformed attribute fails with ERANGE; the walk hook names it (top level and nested)', async () => {
    const { ns, sock } = await setup();
    // RTM_NEWROUTE with a 2-byte RTA_OIF (the policy wants 4).
    const w = rtmsg(new AttrWriter(), { dstLen: 24, table: 254, protocol: 4, scope: 253, type: 1 });
    w.binary(RTA_DST, Uint8Array.of(198, 18, 0, 0));
    const oifAt = NLMSG_HDRLEN + w.length;
    w.binary(RTA_OIF, Uint8Array.of(1, 0));
    const err = (await sock.request({ type: RTM_NEWROUTE, flags: NLM_F_CREATE, payload: w.finish() }).catch((e) => e)) as NetlinkError;
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err.code).toBe('ERANGE');
    expect(err.extack.badAttrOffset).toBe(oifAt);
    expect(err.extack.policy?.type).toBe('u32');
    const routeNames: Record<number, string> = { [RTA_DST]: 'dst', [RTA_OIF]: 'oif' };
    const path = attrPathAt(err.request!, NLMSG_HDRLEN + 12, err.extack.badAttrOffset!, (_ctx, type) =>
      routeNames[type] ? { name: routeNames[type] } : undefined,
    );
    expect(path).toBe('oif');
    expect(err.setPath(path).message).toContain('(attribute oif)');

    // Nested: veth peer (an ifinfomsg then link attributes) with a 2-byte IFLA_MTU.
    const payload = newLink('vx', 'veth', (vw) => {
      const peer = vw.beginNest(VETH_INFO_PEER);
      ifinfomsg(vw);
      vw.string(IFLA_IFNAME, 'vy');
      vw.binary(IFLA_MTU, Uint8Array.of(0xdc, 0x05));
      vw.endNest(peer);
    });
    const e2 = (await sock.request({ type: RTM_NEWLINK, flags: NLM_F_CREATE | NLM_F_EXCL, payload }).catch((e) => e)) as NetlinkError;
    expect(e2.code).toBe('ERANGE');
    type Ctx = 'link' | 'linkinfo' | 'veth' | 'peer';
    const names: Record<Ctx, Record<number, { name: string; child?: Ctx; skip?: number }>> = {
      link: { [IFLA_IFNAME]: { name: 'ifname' }, [IFLA_MTU]: { name: 'mtu' }, [IFLA_LINKINFO]: { name: 'linkinfo', child: 'linkinfo' } },
      linkinfo: { [IFLA_INFO_KIND]: { name: 'kind' }, [IFLA_INFO_DATA]: { name: 'data', child: 'veth' } },
      veth: { [VETH_INFO_PEER]: { name: 'peer', child: 'peer', skip: 16 } },
      peer: { [IFLA_IFNAME]: { name: 'ifname' }, [IFLA_MTU]: { name: 'mtu' } },
    };
    const nested = attrPathAt<Ctx>(e2.request!, NLMSG_HDRLEN + 16, e2.extack.badAttrOffset!, (ctx, type, p) => {
      const d = names[ctx][type];
      return d && { name: d.name, child: d.child, childStart: d.skip ? p.start + d.skip : undefined };
    }, 'link');
    expect(nested).toBe('linkinfo.data.peer.mtu');
  });

  test('a strict-check dump error arrives from NLMSG_DONE as a NetlinkError', async () => {
    const { sock } = await setup();
    // Strict checking rejects header fields a route dump cannot filter on (here: a non-zero tos).
    const payload = rtmsg(new AttrWriter(), { tos: 8 }).finish();
    const it = sock.dump({ type: RTM_GETROUTE, payload });
    const err = (await (async () => {
      for await (const _ of it) void _;
    })().catch((e) => e)) as NetlinkError;
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err.code).toBe('EINVAL');
    expect(err.origin).toBe('NLMSG_DONE');
    expect(err.extack.message).toMatch(/header/i);
    // The socket stays usable.
    const ok = await sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
    expect(ok.messages.length).toBe(1);
  });

  test('without strict checking the same dump succeeds (the option reaches the kernel)', async () => {
    const ns = createNetns('nlrt');
    cleanups.push(() => ns.dispose());
    const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name, strict: false });
    cleanups.push(() => sock.close());
    const all = await sock.dumpAll({ type: RTM_GETROUTE, payload: rtmsg(new AttrWriter(), { tos: 8 }).finish() });
    expect(Array.isArray(all)).toBe(true);
  });

  test('other processes cannot unicast to a socket: the kernel refuses them, before and after it joins a group', async () => {
    const { ns, sock } = await setup();
    const libc = koffi.load('libc.so.6');
    const socket = libc.func('int socket(int, int, int)');
    const sendto = libc.func('long sendto(int, const void *, size_t, int, const void *, uint32_t)');
    const close = libc.func('int close(int)');
    const AF_NETLINK = 16;
    const SOCK_RAW = 3;
    const ECONNREFUSED = 111;
    // Another process's socket in the same namespace (root, so the kernel lets it address other ports at all).
    const { value: fd } = inNetns(ns.name, () => socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) as number);
    expect(fd).toBeGreaterThanOrEqual(0);
    cleanups.push(() => close(fd));
    // A well-formed RTM_NEWLINK for ifindex 1 that claims to be the kernel's: seq 0, port 0.
    const forged = new AttrWriter().rawU32(32).rawU16(RTM_NEWLINK).rawU16(0).rawU32(0).rawU32(0);
    const fake = ifinfomsg(forged, 1).finish();
    const to = new Uint8Array(12);
    to[0] = AF_NETLINK;
    new DataView(to.buffer).setUint32(4, sock.portid, true);
    const sendForged = (): [number, number] => [sendto(fd, fake, fake.length, 0, to, 12) as number, koffi.errno()];
    expect(sendForged()).toEqual([-1, ECONNREFUSED]);
    // The kernel's own replies still arrive.
    const res = await sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
    expect(res.messages.map(linkOf)).toEqual([{ ifindex: 1, ifname: 'lo' }]);
    // Joined to a group (the socket then reads sender and group of each datagram), unicast is refused all the same.
    const sub = sock.subscribe([RTNLGRP_LINK]);
    cleanups.push(() => void sub.close());
    expect(sendForged()).toEqual([-1, ECONNREFUSED]);
    const again = await sock.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
    expect(again.messages.map(linkOf)).toEqual([{ ifindex: 1, ifname: 'lo' }]);
  });
});
