// mptcp_pm (the in-kernel MPTCP path manager) through the generated client, in a throwaway namespace.
// Oracle: `ip mptcp endpoint` / `ip mptcp limits` (iproute2 speaks the same family). Endpoints are configuration
// only: nothing is sent until an MPTCP connection exists, and these tests open none.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { MptcpPm, type AddressAttrs } from '../../generated/mptcp_pm.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

// uapi linux/socket.h: the address family each endpoint carries.
const AF_INET = 2;
const AF_INET6 = 10;

/** One endpoint the way `ip -j mptcp endpoint show` prints it (iproute2 ip/ipmptcp.c print_addr). */
interface IpEndpoint {
  address: string;
  id: number;
  port?: number;
  dev?: string;
  signal?: boolean;
  subflow?: boolean;
  backup?: boolean;
  fullmesh?: boolean;
  implicit?: boolean;
}

describe.skipIf(skip !== undefined)('mptcp_pm, live', () => {
  let ns: TestNetns;
  let pm: MptcpPm;
  let vethIndex: number;
  beforeAll(async () => {
    ns = createNetns('nlgen-mptcp');
    ns.ip('link', 'add', 'mp-a', 'type', 'veth', 'peer', 'name', 'mp-b');
    vethIndex = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'mp-a')[0]!.ifindex;
    pm = await MptcpPm.open({ netns: ns.name });
  });
  afterAll(() => {
    pm?.close();
    ns?.dispose();
  });

  /** Our decoded endpoint in ip's JSON shape. */
  function asIp(a: AddressAttrs): IpEndpoint {
    const out: IpEndpoint = { address: (a.family === AF_INET ? a.addr4 : a.addr6)!, id: a.id! };
    if (a.port) out.port = a.port;
    for (const f of a.flags ?? []) out[f as 'signal' | 'subflow' | 'backup' | 'fullmesh' | 'implicit'] = true;
    if (a.ifIdx) out.dev = ns.ipJson<{ ifname: string; ifindex: number }[]>('link', 'show').find((l) => l.ifindex === a.ifIdx)!.ifname;
    return out;
  }
  const sortById = (xs: IpEndpoint[]) => [...xs].sort((a, b) => a.id - b.id);
  const ipEndpoints = () => sortById(ns.ipJson<IpEndpoint[]>('mptcp', 'endpoint', 'show'));

  test('endpoints added through the client (IPv4 signal with id, IPv6 on a device subflow+backup, IPv4 with a port) equal `ip -j mptcp endpoint show`', async () => {
    await pm.addAddr({ addr: { family: AF_INET, addr4: '192.0.2.1', id: 5, flags: ['signal'] } });
    await pm.addAddr({ addr: { family: AF_INET6, addr6: '2001:db8::5', ifIdx: vethIndex, flags: ['subflow', 'backup'] } });
    // A signal endpoint with a port gets a listening socket, which binds: the address must be local.
    ns.ip('addr', 'add', '198.51.100.2/24', 'dev', 'mp-a');
    await pm.addAddr({ addr: { family: AF_INET, addr4: '198.51.100.2', port: 4000, flags: ['signal'] } });
    const shown = ipEndpoints();
    expect(shown).toHaveLength(3);
    expect(shown[0]).toEqual({ address: '192.0.2.1', id: 5, signal: true });
    const ours = (await pm.getAddrDump().toArray()).map((e) => asIp(e.addr!));
    expect(sortById(ours)).toEqual(shown);
  });

  test('an endpoint added by ip is read back by id through get-addr', async () => {
    ns.ip('mptcp', 'endpoint', 'add', '203.0.113.9', 'id', '20', 'subflow', 'fullmesh');
    const got = await pm.getAddr({ addr: { id: 20 } });
    expect(asIp(got.addr!)).toEqual(ipEndpoints().find((e) => e.id === 20));
    expect(got.addr).toMatchObject({ family: AF_INET, addr4: '203.0.113.9', flags: ['subflow', 'fullmesh'] });
  });

  test('set-flags marks an endpoint backup, as ip then shows', async () => {
    await pm.setFlags({ addr: { id: 5, flags: ['backup'] } });
    expect(ipEndpoints().find((e) => e.id === 5)).toEqual({ address: '192.0.2.1', id: 5, signal: true, backup: true });
  });

  test('an absent id: the kernel error and its extack message, the same text ip prints', async () => {
    const err = await pm.getAddr({ addr: { id: 99 } }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EINVAL');
    const ip = spawnSync('ip', ['-n', ns.name, 'mptcp', 'endpoint', 'show', 'id', '99'], { encoding: 'utf8' });
    expect(ip.status).not.toBe(0);
    expect(ip.stderr).toContain(`Error: ${(err as NetlinkError).extack!.message}`);
  });

  test('del-addr removes one endpoint; flush-addrs removes the rest', async () => {
    await pm.delAddr({ addr: { id: 20 } });
    expect(ipEndpoints().map((e) => e.id)).not.toContain(20);
    expect(ipEndpoints()).toHaveLength(3);
    await pm.flushAddrs({});
    expect(ipEndpoints()).toEqual([]);
    expect(await pm.getAddrDump().toArray()).toEqual([]);
  });

  test('limits: get equals `ip mptcp limits`, set through the client shows in ip, over the maximum is ip\'s error', async () => {
    // iproute2 6.1 prints limits as text even with -j.
    const ipLimits = () => {
      const t = ns.ip('mptcp', 'limits', 'show');
      return { rcvAddAddrs: Number(/add_addr_accepted (\d+)/.exec(t)![1]), subflows: Number(/subflows (\d+)/.exec(t)![1]) };
    };
    expect(await pm.getLimits({})).toEqual(ipLimits());
    await pm.setLimits({ rcvAddAddrs: 3, subflows: 4 });
    expect(ipLimits()).toEqual({ rcvAddAddrs: 3, subflows: 4 });
    expect(await pm.getLimits({})).toEqual({ rcvAddAddrs: 3, subflows: 4 });
    const err = await pm.setLimits({ subflows: 9 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EINVAL');
    const ip = spawnSync('ip', ['-n', ns.name, 'mptcp', 'limits', 'set', 'subflows', '9'], { encoding: 'utf8' });
    expect(ip.status).not.toBe(0);
    expect(ip.stderr).toContain(`Error: ${(err as NetlinkError).extack!.message}`);
    expect((err as NetlinkError).extack!.message).toMatch(/maximum/);
  });
});
