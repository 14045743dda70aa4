// The JSON benchmark's node side claims to print what `ip -4 -j route show table all` prints. Held to ip's output,
// byte for byte, over routes of many shapes: gateways, metrics, other tables, local/broadcast routes the kernel
// adds for an address, blackhole/unreachable types, a foreign protocol, linkdown.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RtRoute } from '../../generated/rt-route.js';
import { printRoutesLikeIp } from '../../bench/lib/ip-route-json.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();
let ns: TestNetns | undefined;

describe.skipIf(skip)('printRoutesLikeIp', () => {
  beforeAll(() => {
    ns = createNetns('nlipjson');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    // w0 is up but its peer is down: no carrier, so its routes carry the linkdown flag.
    ns.ip('link', 'set', 'w0', 'up');
    ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'v0');
    ns.ip('route', 'add', 'default', 'via', '192.0.2.254', 'dev', 'v0', 'metric', '100');
    ns.ip('route', 'add', 'blackhole', '198.51.100.0/24');
    ns.ip('route', 'add', '203.0.113.0/24', 'via', '192.0.2.9', 'proto', 'static', 'table', '300');
    ns.ip('route', 'add', 'unreachable', '198.18.0.0/16', 'table', 'local');
    ns.ip('route', 'add', '198.19.1.0/24', 'dev', 'v0', 'proto', '99', 'scope', 'host');
    ns.ip('route', 'add', '198.19.2.0/24', 'dev', 'w0');
    for (let i = 0; i < 300; i++) ns.ip('route', 'add', `198.18.${i >> 8}.${i & 255}/32`, 'dev', 'v0', 'table', String(1000 + (i % 3)));
  });
  afterAll(() => ns?.dispose());

  test('prints the same bytes as ip -4 -j route show table all', async () => {
    await using route = await RtRoute.open({ netns: ns!.name });
    let text = '';
    const count = await printRoutesLikeIp(route, ns!.name, (t) => (text += t));
    const ip = ns!.ip('-4', '-j', 'route', 'show', 'table', 'all');
    expect(text).toBe(ip);
    // The shapes above are all there (so the comparison covered them).
    const routes = JSON.parse(ip) as { type?: string; flags: string[]; protocol?: string; metric?: number }[];
    expect(count).toBe(routes.length);
    expect(new Set(routes.map((r) => r.type ?? 'unicast'))).toEqual(new Set(['unicast', 'local', 'broadcast', 'blackhole', 'unreachable']));
    expect(routes.some((r) => r.flags.includes('linkdown'))).toBe(true);
    expect(routes.some((r) => r.metric === 100)).toBe(true);
    expect(routes.some((r) => r.protocol === 'static')).toBe(true);
  });
});
