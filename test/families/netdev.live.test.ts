// netdev through the generated client against the live kernel, in a throwaway namespace with a veth pair.
// Oracles: `ip -j link` for the device set, sysfs queue directories for the queue dump, and the XDP capability
// rules of drivers/net/veth.c (veth_set_xdp_features) for the feature bits.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { Netdev, type NetdevNotification } from '../../generated/netdev.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

/** Reads notifications until `want` has matched one of each predicate, in any order. */
async function collect(events: AsyncIterator<unknown>, want: ((n: NetdevNotification) => boolean)[]): Promise<NetdevNotification[]> {
  const seen: NetdevNotification[] = [];
  const open = [...want];
  while (open.length > 0) {
    const r = await events.next();
    if (r.done) throw new Error('subscription ended early');
    const n = r.value as NetdevNotification;
    const i = open.findIndex((p) => p(n));
    if (i >= 0) {
      open.splice(i, 1);
      seen.push(n);
    }
  }
  return seen;
}

describe.skipIf(skip !== undefined)('netdev, live', () => {
  let ns: TestNetns;
  let nd: Netdev;
  beforeAll(async () => {
    ns = createNetns('nlgen-netdev');
    // Both ends of the veth pair go up later: with IPv6 off, no DAD, router solicitation or MLD packet is sent.
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv6.conf.all.disable_ipv6=1']);
    nd = await Netdev.open({ netns: ns.name });
  });
  afterAll(() => {
    nd?.close();
    ns?.dispose();
  });

  const ifindexOf = (name: string) => ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', name)[0]!.ifindex;

  test('creating a veth pair notifies dev-add for both ends; the dev-get dump lists exactly the devices `ip -j link` shows', async () => {
    const events = nd.subscribe(['mgmt'])[Symbol.asyncIterator]();
    try {
      ns.ip('link', 'add', 'nd-a', 'type', 'veth', 'peer', 'name', 'nd-b');
      const a = ifindexOf('nd-a');
      const b = ifindexOf('nd-b');
      const added = await collect(events, [
        (n) => n.name === 'dev-add-ntf' && n.msg.ifindex === a,
        (n) => n.name === 'dev-add-ntf' && n.msg.ifindex === b,
      ]);
      expect(added.map((n) => n.name)).toEqual(['dev-add-ntf', 'dev-add-ntf']);
    } finally {
      await events.return?.();
    }
    const devs = await nd.devGetDump().toArray();
    const ip = ns.ipJson<{ ifindex: number }[]>('link', 'show');
    expect(devs.map((d) => d.ifindex).sort()).toEqual(ip.map((l) => l.ifindex).sort());
    expect(ip.length).toBe(3); // lo and the pair
  });

  test('XDP capabilities decode to the names veth.c sets; loopback has none; dev-get equals the dump entry', async () => {
    const a = ifindexOf('nd-a');
    const lo = ifindexOf('lo');
    const one = await nd.devGet({ ifindex: a });
    const fromDump = (await nd.devGetDump().toArray()).find((d) => d.ifindex === a);
    expect(one).toEqual(fromDump);
    // veth_set_xdp_features: with a peer whose tx queues fit our rx queues, BASIC | REDIRECT | RX_SG;
    // NDO_XMIT(_SG) only once the peer requests GRO or runs an XDP program (neither here).
    expect(one.xdpFeatures ?? []).toEqual(['basic', 'redirect', 'rx-sg']);
    // veth_xdp_metadata_ops implements timestamp, hash and VLAN tag.
    expect(one.xdpRxMetadataFeatures ?? []).toEqual(['timestamp', 'hash', 'vlan-tag']);
    const loopback = await nd.devGet({ ifindex: lo });
    expect(loopback.xdpFeatures ?? []).toEqual([]);
  });

  test('GRO requested on one end adds ndo-xmit to the other end, with a typed dev-change notification', async () => {
    const a = ifindexOf('nd-a');
    const events = nd.subscribe(['mgmt'])[Symbol.asyncIterator]();
    try {
      // `ip` changes no offload; ethtool's -K is the independent tool that requests GRO on nd-b.
      ns.exec('ethtool', ['-K', 'nd-b', 'gro', 'on']);
      ns.ip('link', 'set', 'nd-a', 'up');
      ns.ip('link', 'set', 'nd-b', 'up');
      const [changed] = await collect(events, [
        (n) => n.name === 'dev-change-ntf' && n.msg.ifindex === a && (n.msg.xdpFeatures ?? []).includes('ndo-xmit'),
      ]);
      expect(changed!.name).toBe('dev-change-ntf');
    } finally {
      await events.return?.();
    }
    const now = await nd.devGet({ ifindex: a });
    expect(now.xdpFeatures ?? []).toEqual(['basic', 'redirect', 'ndo-xmit', 'rx-sg', 'ndo-xmit-sg']);
  });

  test('queue dump of a device equals its sysfs queue directories', async () => {
    const a = ifindexOf('nd-a');
    const queues = await nd.queueGetDump({ ifindex: a }).toArray();
    const sysfs = ns
      .exec('ls', ['/sys/class/net/nd-a/queues'])
      .split(/\s+/)
      .filter((q) => q !== '');
    expect(queues.map((q) => `${q.type}-${q.id}`).sort()).toEqual(sysfs.sort());
    expect(queues.every((q) => q.ifindex === a)).toBe(true);
  });

  test('napi: GRO gives the veth end one instance; sysfs knobs and threaded mode show in napi-get; napi-set reads back', async () => {
    const b = ifindexOf('nd-b');
    const instances = await nd.napiGetDump({ ifindex: b }).toArray();
    expect(instances).toHaveLength(1); // veth: one NAPI per receive queue, created once GRO is requested
    const napi = instances[0]!;
    expect(napi).toMatchObject({ ifindex: b, threaded: 'disabled' });
    expect(napi.pid).toBeUndefined();
    expect(napi.$unknown).toBeUndefined();
    // net-sysfs.c: the device-wide files apply to every instance of the device.
    ns.exec('sh', ['-c', 'echo 20000 > /sys/class/net/nd-b/gro_flush_timeout && echo 3 > /sys/class/net/nd-b/napi_defer_hard_irqs && echo 1 > /sys/class/net/nd-b/threaded']);
    const after = await nd.napiGet({ id: napi.id! });
    expect(after).toMatchObject({ id: napi.id, ifindex: b, groFlushTimeout: 20000n, deferHardIrqs: 3, threaded: 'enabled' });
    // The polling thread the kernel started is named after the device and the instance (napi_kthread_create).
    expect(readFileSync(`/proc/${after.pid}/comm`, 'utf8').trim()).toBe(`napi/nd-b-${napi.id}`);
    await nd.napiSet({ id: napi.id!, irqSuspendTimeout: 1_000_000n, deferHardIrqs: 5, threaded: 'disabled' });
    const set = await nd.napiGet({ id: napi.id! });
    expect(set).toMatchObject({ irqSuspendTimeout: 1_000_000n, deferHardIrqs: 5, groFlushTimeout: 20000n, threaded: 'disabled' });
    expect(set.pid).toBeUndefined();
    // threaded accepts 0..1 here (the kernel's napi-set policy); 2 is refused by the kernel, not by us.
    const err = await nd.napiSet({ id: napi.id!, threaded: 2 }).catch((e) => e);
    expect((err as NetlinkError).code).toBe('ERANGE');
    expect((err as NetlinkError & { path?: string }).path).toBe('threaded');
  });

  test('dev-get for an ifindex that does not exist: the kernel error, typed', async () => {
    const err = await nd.devGet({ ifindex: 999_999 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    // netdev_nl_dev_get_doit: netdev_get_by_index fails → -ENODEV.
    expect((err as NetlinkError).code).toBe('ENODEV');
  });

  test('deleting the pair notifies dev-del for both ends', async () => {
    const a = ifindexOf('nd-a');
    const b = ifindexOf('nd-b');
    const events = nd.subscribe(['mgmt'])[Symbol.asyncIterator]();
    try {
      ns.ip('link', 'del', 'nd-a');
      await collect(events, [
        (n) => n.name === 'dev-del-ntf' && n.msg.ifindex === a,
        (n) => n.name === 'dev-del-ntf' && n.msg.ifindex === b,
      ]);
    } finally {
      await events.return?.();
    }
    expect((await nd.devGetDump().toArray()).map((d) => d.ifindex)).toEqual([ifindexOf('lo')]);
  });
});
