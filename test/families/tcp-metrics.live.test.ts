// tcp_metrics through the generated client against the live kernel, in a throwaway namespace.
// The cache only fills from TCP connections, and these tests send no packets, so the namespace's cache stays
// empty: what is compared with iproute2 (`ip tcp_metrics`, which speaks the same family) is the empty dump and
// the kernel's answers about specific addresses (IPv4, IPv6, with a source address), which encode each request.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { TcpMetrics } from '../../generated/tcp_metrics.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

describe.skipIf(skip !== undefined)('tcp_metrics, live', () => {
  let ns: TestNetns;
  let tm: TcpMetrics;
  beforeAll(async () => {
    ns = createNetns('nlgen-tcpm');
    tm = await TcpMetrics.open({ netns: ns.name });
  });
  afterAll(() => {
    tm?.close();
    ns?.dispose();
  });

  /** Runs `ip tcp_metrics ...` in the namespace and returns its exit status and stderr. */
  const ipTcpMetrics = (...args: string[]) => spawnSync('ip', ['-n', ns.name, 'tcp_metrics', ...args], { encoding: 'utf8' });

  test('the dump of a fresh namespace equals `ip -j tcp_metrics show`: no entries', async () => {
    const ours = await tm.getDump().toArray();
    expect(ns.ipJson<unknown[]>('tcp_metrics', 'show')).toEqual([]);
    expect(ours).toEqual([]);
  });

  test.each([
    [{ addrIpv4: '192.0.2.1' }, ['show', '192.0.2.1']],
    [{ addrIpv6: '2001:db8::1' }, ['show', '2001:db8::1']],
  ] as const)('get %o: ESRCH, the error `ip tcp_metrics %j` reports', async (request, args) => {
    const err = await tm.get(request).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ESRCH');
    const ip = ipTcpMetrics(...args);
    expect(ip.status).not.toBe(0);
    expect(ip.stderr).toMatch(/No such process/); // strerror(ESRCH)
  });

  test('del of an address not in the cache: ESRCH, like `ip tcp_metrics delete`', async () => {
    const err = await tm.del({ addrIpv4: '192.0.2.1' }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ESRCH');
    const ip = ipTcpMetrics('delete', '192.0.2.1');
    expect(ip.status).not.toBe(0);
    expect(ip.stderr).toMatch(/No such process/);
  });

  test('del without an address flushes the whole cache and succeeds; the dump stays equal to ip\'s', async () => {
    await expect(tm.del({})).resolves.toBeUndefined();
    expect(await tm.getDump().toArray()).toEqual(ns.ipJson<unknown[]>('tcp_metrics', 'show'));
  });

  test('get without an address: EAFNOSUPPORT (net/ipv4/tcp_metrics.c parse_nl_addr when no address is given)', async () => {
    const err = await tm.get({}).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EAFNOSUPPORT');
  });

  test('an address that is not one is refused before anything is sent', async () => {
    await expect(tm.get({ addrIpv4: '192.0.2.300' })).rejects.toThrow(/addrIpv4/);
    await expect(tm.get({ addrIpv6: 'not-an-address' })).rejects.toThrow(/addrIpv6/);
  });
});
