// A dump's `json()` (the generated JSON writers: wire bytes → JSON text, no reply objects) against the decoders, on
// the live kernel: every datagram the dump received is recorded, its replies decoded again with the family's codecs,
// and each line `json()` gave must equal `jsonText` of the decoded reply, byte for byte. The namespace holds links
// of several kinds (linkinfo sub-messages, bridge and vxlan data), IPv4/IPv6 addresses, routes with metrics,
// multipath and blackhole routes, neighbours, rules, tc qdiscs and classes, and an nftables ruleset; nlctrl is global.
// A few fields are also checked against `ip -j`, an oracle of its own. Nothing is sent to any address.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jsonText } from '@nlgen/runtime';
import { Nftables, NftablesCodecs } from '../../generated/nftables.js';
import { Nlctrl, NlctrlCodecs } from '../../generated/nlctrl.js';
import { RtAddr, RtAddrCodecs } from '../../generated/rt-addr.js';
import { RtLink, RtLinkCodecs } from '../../generated/rt-link.js';
import { RtNeigh, RtNeighCodecs } from '../../generated/rt-neigh.js';
import { RtRoute, RtRouteCodecs } from '../../generated/rt-route.js';
import { RtRule, RtRuleCodecs } from '../../generated/rt-rule.js';
import { Tc, TcCodecs } from '../../generated/tc.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';

const skip = liveSkipReason();
const nftSkip = skip ?? toolSkipReason('nft', 'nftables', '--version');
const tcSkip = skip ?? toolSkipReason('tc', 'iproute2', '-V');

interface Recorder {
  datagrams: Uint8Array[];
  record: { sent(d: Uint8Array): void; received(d: Uint8Array, group: number): void };
}
const recorder = (): Recorder => {
  const datagrams: Uint8Array[] = [];
  return { datagrams, record: { sent() {}, received: (d) => void datagrams.push(Uint8Array.from(d)) } };
};

/** The payloads (after the nlmsghdr) of every reply message in the recorded datagrams (not DONE, ERROR or NOOP). */
function replyPayloads(datagrams: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const d of datagrams) {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    for (let p = 0; p + 16 <= d.length; ) {
      const len = v.getUint32(p, true);
      const type = v.getUint16(p + 4, true);
      if (type > 3) out.push(d.subarray(p + 16, p + len));
      p += (len + 3) & ~3;
    }
  }
  return out;
}

type Codec = { replyToJson(b: Uint8Array): string; decodeReply(b: Uint8Array): unknown };
type Client = Record<string, unknown> & { close(): void };
type Dump = { json(): { toArray(): Promise<string[]> } };

/** Runs `method` as `json()` on a recorded client; returns its lines and the decoder's text of the same bytes. */
async function both(open: (o: object) => Promise<object>, netns: string | undefined, method: string, codec: Codec, request: object = {}) {
  const r = recorder();
  const client = (await open({ ...(netns ? { netns } : {}), record: r.record })) as Client;
  // What open() received (a genetlink family's id lookup) is not part of the dump.
  r.datagrams.length = 0;
  try {
    const lines = await ((client[method] as (q: object) => Dump).call(client, request)).json().toArray();
    const payloads = replyPayloads(r.datagrams);
    return { lines, decoded: payloads.map((b) => jsonText(codec.decodeReply(b))), direct: payloads.map((b) => codec.replyToJson(b)) };
  } finally {
    client.close();
  }
}

/**
 * Runs `method` as `jsonLines()` (the same writers into one reused byte buffer) on a recorded client: the text of
 * every chunk, copied before the next is asked for, and the decoder's lines of the bytes received.
 */
async function bytesAndDecoded(open: (o: object) => Promise<object>, netns: string | undefined, method: string, codec: Codec, request: object = {}) {
  const r = recorder();
  const client = (await open({ ...(netns ? { netns } : {}), record: r.record })) as Client;
  r.datagrams.length = 0;
  try {
    const dump = (client[method] as (q: object) => { jsonLines(): AsyncIterable<Uint8Array> }).call(client, request);
    let text = '';
    let chunks = 0;
    for await (const chunk of dump.jsonLines()) {
      chunks++;
      // Whole lines only: a chunk ends where a line does.
      expect(chunk[chunk.length - 1]).toBe(10);
      text += Buffer.from(chunk).toString('utf8');
    }
    const payloads = replyPayloads(r.datagrams);
    return { chunks, lines: text.split('\n').slice(0, -1), decoded: payloads.map((b) => jsonText(codec.decodeReply(b))) };
  } finally {
    client.close();
  }
}

describe.skipIf(skip)('json(): generated JSON writers equal the decoders on live dumps', () => {
  let ns: TestNetns;
  beforeAll(() => {
    ns = createNetns('nlgen-json');
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.default.disable_ipv6=0']);
    ns.ip('link', 'add', 'j0', 'type', 'veth', 'peer', 'name', 'j1');
    ns.ip('link', 'add', 'jbr', 'type', 'bridge');
    ns.ip('link', 'add', 'jvx', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', '192.0.2.1', 'nolearning');
    ns.ip('link', 'set', 'j1', 'master', 'jbr');
    for (const l of ['j0', 'j1', 'jbr']) ns.ip('link', 'set', l, 'up');
    ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'j0');
    ns.ip('-6', 'addr', 'add', '2001:db8::1/64', 'dev', 'j0', 'nodad');
    ns.ip('route', 'add', '198.51.100.0/24', 'via', '192.0.2.2', 'dev', 'j0', 'mtu', '1400', 'advmss', '1360', 'congctl', 'cubic', 'proto', 'static');
    ns.ip('route', 'add', '203.0.113.0/24', 'nexthop', 'via', '192.0.2.2', 'dev', 'j0', 'nexthop', 'via', '192.0.2.3', 'dev', 'j0');
    ns.ip('route', 'add', 'blackhole', '198.18.0.0/16', 'table', '1000');
    ns.ip('-6', 'route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2', 'dev', 'j0', 'metric', '7');
    ns.ip('neigh', 'add', '192.0.2.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'j0', 'nud', 'permanent');
    ns.ip('rule', 'add', 'from', '192.0.2.0/24', 'table', '1000', 'priority', '100');
  });
  afterAll(() => ns?.dispose());

  const cases: [string, (o: object) => Promise<object>, string, Codec][] = [
    ['rt-link getlink', (o) => RtLink.open(o), 'getlinkDump', RtLinkCodecs.operations.getlink.dump],
    ['rt-addr getaddr', (o) => RtAddr.open(o), 'getaddrDump', RtAddrCodecs.operations.getaddr.dump],
    ['rt-route getroute', (o) => RtRoute.open(o), 'getrouteDump', RtRouteCodecs.operations.getroute.dump],
    ['rt-neigh getneigh', (o) => RtNeigh.open(o), 'getneighDump', RtNeighCodecs.operations.getneigh.dump],
    ['rt-rule getrule', (o) => RtRule.open(o), 'getruleDump', RtRuleCodecs.operations.getrule.dump],
  ];
  for (const [name, open, method, codec] of cases) {
    test(name, async () => {
      const { lines, decoded, direct } = await both(open, ns.name, method, codec);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines).toEqual(decoded);
      expect(direct).toEqual(decoded);
      const bytes = await bytesAndDecoded(open, ns.name, method, codec);
      expect(bytes.chunks).toBeGreaterThan(0);
      expect(bytes.lines).toEqual(bytes.decoded);
    });
  }

  test('nlctrl getfamily (genetlink, global)', async () => {
    const { lines, decoded } = await both((o) => Nlctrl.open(o), undefined, 'getfamilyDump', NlctrlCodecs.operations.getfamily.dump);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines).toEqual(decoded);
    expect(lines.map((l) => (JSON.parse(l) as { familyName: string }).familyName)).toContain('nlctrl');
  });

  test('routes and links as JSON agree with ip -j', async () => {
    const { lines } = await both((o) => RtRoute.open(o), ns.name, 'getrouteDump', RtRouteCodecs.operations.getroute.dump);
    const routes = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const viaOne = routes.find((r) => r.dst === '198.51.100.0')!;
    const ip = ns.ipJson<{ dst: string; gateway: string; metrics?: { mtu?: number; advmss?: number }[]; protocol: string }[]>('route', 'show', '198.51.100.0/24')[0]!;
    expect(viaOne.gateway).toBe(ip.gateway);
    expect(viaOne.metrics).toEqual({ mtu: ip.metrics?.[0]?.mtu, advmss: ip.metrics?.[0]?.advmss, ccAlgo: 'cubic' });
    // Multipath is bytes in our spec: the hex of two rtnexthop entries with their gateways (192.0.2.2 = c0000202).
    const multi = routes.find((r) => r.dst === '203.0.113.0')!;
    expect(multi.multipath).toMatch(/^[0-9a-f]+$/);
    expect(String(multi.multipath)).toContain('c0000202');
    expect(String(multi.multipath)).toContain('c0000203');
    const v6 = routes.find((r) => r.dst === '2001:db8:1::')!;
    expect(v6.priority).toBe(7);
    expect(v6.gateway).toBe('2001:db8::2');
    const links = (await both((o) => RtLink.open(o), ns.name, 'getlinkDump', RtLinkCodecs.operations.getlink.dump)).lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ipLinks = ns.ipJson<{ ifname: string; mtu: number; address: string; ifindex: number }[]>('link', 'show');
    for (const l of ipLinks) {
      const ours = links.find((x) => x.ifname === l.ifname)!;
      expect(ours.ifiIndex).toBe(l.ifindex);
      expect(ours.mtu).toBe(l.mtu);
      expect(ours.address).toBe(l.address);
    }
  });

  test.skipIf(tcSkip)('tc qdiscs and classes', async () => {
    ns.exec('tc', ['qdisc', 'add', 'dev', 'j0', 'root', 'handle', '1:', 'htb', 'default', '10']);
    ns.exec('tc', ['class', 'add', 'dev', 'j0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10mbit', 'ceil', '20mbit']);
    ns.exec('tc', ['qdisc', 'add', 'dev', 'jbr', 'root', 'tbf', 'rate', '1mbit', 'burst', '32kbit', 'latency', '400ms']);
    const q = await both((o) => Tc.open(o), ns.name, 'getqdiscDump', TcCodecs.operations.getqdisc.dump);
    expect(q.lines.length).toBeGreaterThan(1);
    expect(q.lines).toEqual(q.decoded);
    const qb = await bytesAndDecoded((o) => Tc.open(o), ns.name, 'getqdiscDump', TcCodecs.operations.getqdisc.dump);
    expect(qb.lines).toEqual(qb.decoded);
    const ifindex = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'j0')[0]!.ifindex;
    const c = await both((o) => Tc.open(o), ns.name, 'gettclassDump', TcCodecs.operations.gettclass.dump, { ifindex });
    expect(c.lines.length).toBe(1);
    expect(c.lines).toEqual(c.decoded);
  });

  test.skipIf(nftSkip)('nftables tables, chains, sets and rules', async () => {
    ns.exec('nft', ['-f', '-'], `table inet jt {
  set allow { type ipv4_addr; flags interval; elements = { 192.0.2.0/28, 198.51.100.7 } }
  counter hits { }
  chain input { type filter hook input priority 0; policy accept;
    ip saddr @allow counter accept
    tcp dport { 22, 80 } ct state new limit rate 10/second log prefix "in " accept
    ip daddr 203.0.113.9 counter name hits drop
  }
}
`);
    for (const [method, codec] of [
      ['gettableDump', NftablesCodecs.operations.gettable.dump],
      ['getchainDump', NftablesCodecs.operations.getchain.dump],
      ['getsetDump', NftablesCodecs.operations.getset.dump],
      ['getruleDump', NftablesCodecs.operations.getrule.dump],
      ['getobjDump', NftablesCodecs.operations.getobj.dump],
    ] as const) {
      const r = await both((o) => Nftables.open(o), ns.name, method, codec as Codec);
      expect(r.lines.length, method).toBeGreaterThan(0);
      expect(r.lines, method).toEqual(r.decoded);
      const b = await bytesAndDecoded((o) => Nftables.open(o), ns.name, method, codec as Codec);
      expect(b.lines, method).toEqual(b.decoded);
    }
  });
});
