// Our rtnetlink specs against what the running kernel actually sends: links of several kinds (bridge, its
// ports, veth, vxlan), statistics, addresses, routes, neighbours, neighbour tables and rules are dumped in
// a throwaway namespace, and every attribute is walked with nothing but our resolved specs as the guide.
// Each attribute must be known to its set and its payload must have the size its declared type implies
// (the oracle is the kernel itself; the specs are not consulted for expected values).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AttrCursor, AttrWriter, NETLINK_ROUTE, NetlinkSocket, readString, type NetlinkMessage } from '@nlgen/runtime';
import { formatSpecError, readFamilies, type Attr, type AttrSet, type Family, type StructDef } from '../../generator/index.js';
import { repoRoot } from '../support/corpus.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

const scalarSize: Record<string, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8, flag: 0 };

/** Walks attributes by a family's model and reports what does not fit it. */
class ShapeChecker {
  readonly findings = new Set<string>();
  /** Attribute sets entered at least once, and attributes checked. */
  readonly visited = new Set<string>();
  checked = 0;
  readonly #sets = new Map<string, AttrSet>();
  readonly #structs = new Map<string, StructDef>();

  constructor(readonly family: Family) {
    for (const s of family.attributeSets) this.#sets.set(s.name, s);
    for (const d of family.definitions) if (d.kind === 'struct') this.#structs.set(d.name, d);
  }

  structSize(name: string): number {
    const s = this.#structs.get(name);
    if (!s) throw new Error(`${this.family.name}: no struct ${name}`);
    return s.size;
  }

  /** Checks the attributes in [start, end) as members of `setName`; `outer` holds selector values of enclosing levels. */
  walk(view: DataView, data: Uint8Array, start: number, end: number, setName: string, outer: Map<string, string>[] = []): void {
    const set = this.#sets.get(setName);
    if (!set) {
      this.findings.add(`${this.family.name}: set ${setName} is not defined`);
      return;
    }
    this.visited.add(setName);
    const scope = new Map<string, string>();
    const scopes = [scope, ...outer];
    const c = new AttrCursor().reset(view, start, end);
    while (c.next()) {
      const a = set.attributes.find((x) => x.value === c.type);
      if (!a) {
        this.findings.add(`${setName}: the kernel sent attribute #${c.type} (${c.end - c.start} bytes), which the set lacks`);
        continue;
      }
      this.checked++;
      if (a.type === 'string') scope.set(a.name, readString(data, c.start, c.end));
      this.#check(view, data, c.start, c.end, setName, a, scopes);
    }
  }

  #check(view: DataView, data: Uint8Array, start: number, end: number, setName: string, a: Attr, scopes: Map<string, string>[]): void {
    const len = end - start;
    const where = `${setName}.${a.name} (#${a.value}, ${a.type})`;
    const bad = (why: string) => this.findings.add(`${where}: ${why}`);
    const fixed = scalarSize[a.type];
    if (fixed !== undefined) {
      if (len !== fixed) bad(`${len} bytes on the wire, type implies ${fixed}`);
    } else if (a.type === 'string') {
      // nla_put_string: the text, then exactly one NUL.
      const nul = data.subarray(start, end).indexOf(0);
      if (nul !== len - 1) bad(`${len} bytes with the first NUL at ${nul}: not a NUL-terminated string`);
    } else if (a.type === 'uint' || a.type === 'sint') {
      if (len !== 4 && len !== 8) bad(`${len} bytes on the wire, must be 4 or 8`);
    } else if (a.type === 'binary') {
      if (a.struct !== undefined) {
        const size = this.structSize(a.struct);
        if (len !== size) bad(`${len} bytes on the wire, struct ${a.struct} is ${size}`);
      } else if (a.subType !== undefined && a.subType in scalarSize) {
        if (len % scalarSize[a.subType] !== 0) bad(`${len} bytes is not a whole number of ${a.subType}`);
      }
    } else if (a.type === 'nest') {
      this.walk(view, data, start, end, a.nestedAttributes!, scopes);
    } else if (a.type === 'indexed-array') {
      const c = new AttrCursor().reset(view, start, end);
      while (c.next()) {
        if (a.subType === 'nest') this.walk(view, data, c.start, c.end, a.nestedAttributes!, scopes);
        else if (a.subType !== undefined && a.subType in scalarSize && c.end - c.start !== scalarSize[a.subType]) {
          bad(`element of ${c.end - c.start} bytes, sub-type ${a.subType} implies ${scalarSize[a.subType]}`);
        }
      }
    } else if (a.type === 'sub-message') {
      const key = scopes.map((s) => s.get(a.selector!)).find((v) => v !== undefined);
      const table = this.family.subMessages.find((m) => m.name === a.subMessage);
      const format = table?.formats.find((f) => f.value === key);
      if (!format) {
        bad(`no format for ${a.selector} = ${JSON.stringify(key)} in ${a.subMessage}`);
        return;
      }
      const header = format.fixedHeader === undefined ? 0 : this.structSize(format.fixedHeader);
      if (format.attributeSet !== undefined) this.walk(view, data, start + header, end, format.attributeSet, scopes);
    }
  }
}

function family(name: string): Family {
  const { families, errors } = readFamilies([join(repoRoot, 'specs', `${name}.yaml`)]);
  expect(errors.map(formatSpecError)).toEqual([]);
  return families[0];
}

/** A zero-filled fixed header of `size` bytes with a few fields set (offset → u8/u32 little-endian). */
function header(size: number, u32s: Record<number, number> = {}): Uint8Array {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  for (const [off, val] of Object.entries(u32s)) v.setUint32(Number(off), val, true);
  return b;
}

describe.skipIf(skip)('our rt-* specs describe what the kernel sends', () => {
  let ns: TestNetns;
  let sock: NetlinkSocket;

  beforeAll(async () => {
    ns = createNetns('nlspec');
    // This kernel has veth, bridge and vxlan built in (no dummy, bond or tunnel drivers).
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    ns.ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
    ns.ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', '192.0.2.2', 'ttl', 'inherit');
    ns.ip('link', 'set', 'va', 'master', 'br0');
    ns.ip('link', 'set', 'vx0', 'master', 'br0');
    ns.ip('link', 'set', 'vx0', 'protodown_reason', '3', 'on');
    for (const l of ['br0', 'va', 'vb']) ns.ip('link', 'set', l, 'up');
    ns.ip('addr', 'add', '192.0.2.5/24', 'dev', 'vb');
    ns.ip('addr', 'add', '2001:db8::5/64', 'dev', 'vb', 'nodad');
    ns.ip('route', 'add', '198.51.100.0/24', 'via', '192.0.2.1', 'mtu', '1400', 'advmss', '1300', 'congctl', 'reno');
    ns.ip('-6', 'route', 'add', '2001:db8:1::/64', 'via', '2001:db8::1', 'expires', '100');
    ns.ip('neigh', 'add', '192.0.2.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'vb', 'nud', 'permanent');
    ns.ip('-6', 'neigh', 'add', '2001:db8::9', 'lladdr', '02:00:00:00:00:0a', 'dev', 'vb', 'nud', 'permanent');
    ns.ip('rule', 'add', 'from', '192.0.2.0/24', 'table', '100', 'priority', '100', 'sport', '1-2', 'dport', '3-4', 'ipproto', 'tcp', 'uidrange', '1-2', 'fwmark', '0x5/0xff');
    ns.ip('-6', 'rule', 'add', 'from', '2001:db8::/32', 'table', '100', 'priority', '101', 'iif', 'vb', 'oif', 'va');
    sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name });
  });

  afterAll(() => {
    sock?.close();
    ns?.dispose();
  });

  async function check(name: string, type: number, hdr: Uint8Array, setName: string, expectSets: string[]): Promise<ShapeChecker> {
    const checker = new ShapeChecker(family(name));
    let messages = 0;
    for await (const m of sock.dump({ type, payload: hdr })) {
      messages++;
      checker.walk(m.view, m.data, m.start + hdr.length, m.end, setName);
    }
    expect(messages).toBeGreaterThan(0);
    expect([...checker.findings]).toEqual([]);
    expect([...checker.visited]).toEqual(expect.arrayContaining(expectSets));
    return checker;
  }

  test('rt-link: link dump (bridge, bridge ports, veth, vxlan) and statistics dump', async () => {
    const link = await check('rt-link', 18, header(16), 'link-attrs', [
      'link-attrs',
      'linkinfo-attrs',
      'linkinfo-bridge-attrs',
      'linkinfo-brport-attrs',
      'linkinfo-vxlan-attrs',
      'af-spec-attrs',
      'ifla-attrs',
      'ifla6-attrs',
      'xdp-attrs',
    ]);
    expect(link.checked).toBeGreaterThan(300);
    // if_stats_msg: every statistics group requested (filter mask bits 0-4).
    await check('rt-link', 94, header(12, { 8: 0x1f }), 'stats-attrs', ['stats-attrs']);
  });

  test('rt-addr: address dump', async () => {
    await check('rt-addr', 22, header(8), 'addr-attrs', ['addr-attrs']);
  });

  test('rt-route: route dump with metrics, IPv4 and IPv6', async () => {
    await check('rt-route', 26, header(12), 'route-attrs', ['route-attrs', 'metrics']);
  });

  test('rt-neigh: neighbour and neighbour table dumps', async () => {
    await check('rt-neigh', 30, header(12), 'neighbour-attrs', ['neighbour-attrs']);
    await check('rt-neigh', 66, header(4), 'ndt-attrs', ['ndt-attrs', 'ndtpa-attrs']);
  });

  test('rt-rule: rule dump, IPv4 and IPv6', async () => {
    await check('rt-rule', 34, header(12), 'fib-rule-attrs', ['fib-rule-attrs']);
  });

  test('notifications arrive with the message ids and on the groups our specs give them', async () => {
    const fams = ['rt-link', 'rt-addr', 'rt-route'].map(family);
    const groups = fams.flatMap((f) => f.mcastGroups.map((g) => g.value!));
    // Every notification op of these families, by the id it arrives with, and how to walk its attributes.
    const wanted = new Map<number, { f: Family; op: string; set: string; headerSize: number }>();
    for (const f of fams) {
      for (const op of f.operations.list) {
        if (!op.notification) continue;
        const headerSize = new ShapeChecker(f).structSize(op.fixedHeader!);
        wanted.set(op.notification.value, { f, op: op.name, set: op.attributeSet!, headerSize });
      }
    }
    expect([...wanted.values()].map((w) => w.op).sort()).toEqual(
      ['deladdr-ntf', 'dellink-ntf', 'delroute-ntf', 'newaddr-ntf', 'newlink-ntf', 'newroute-ntf'],
    );
    const ctl = new AbortController();
    const sub = sock.subscribe(groups, { signal: ctl.signal });
    const seen = new Map<number, NetlinkMessage>();
    const done = (async () => {
      for await (const ev of sub) {
        if (ev.kind !== 'message') continue;
        if (wanted.has(ev.type) && !seen.has(ev.type)) seen.set(ev.type, ev);
        if (seen.size === wanted.size) break;
      }
    })();
    ns.ip('link', 'add', 'nt0', 'type', 'veth', 'peer', 'name', 'nt1');
    ns.ip('link', 'set', 'nt0', 'up');
    ns.ip('addr', 'add', '203.0.113.1/24', 'dev', 'nt0');
    ns.ip('route', 'add', '198.18.0.0/16', 'via', '203.0.113.2', 'dev', 'nt0', 'onlink');
    ns.ip('route', 'del', '198.18.0.0/16');
    ns.ip('addr', 'del', '203.0.113.1/24', 'dev', 'nt0');
    ns.ip('link', 'del', 'nt0');
    const timer = setTimeout(() => ctl.abort(), 10_000);
    await done;
    clearTimeout(timer);
    sub.close();
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([...wanted.keys()].sort((a, b) => a - b));
    for (const [type, m] of seen) {
      const w = wanted.get(type)!;
      const checker = new ShapeChecker(w.f);
      checker.walk(m.view, m.data, m.start + w.headerSize, m.end, w.set);
      expect([...checker.findings], w.op).toEqual([]);
      expect(checker.checked, w.op).toBeGreaterThan(0);
    }
  });

  test('rt-link newlinkprop / dellinkprop add and remove an alternative name', async () => {
    const f = family('rt-link');
    const op = (n: string) => f.operations.list.find((o) => o.name === n)!.do!.request!.value;
    const attr = (n: string) => f.attributeSets.find((s) => s.name === 'link-attrs')!.attributes.find((a) => a.name === n)!.value;
    const index = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'vb')[0].ifindex;
    const payload = () => {
      const w = new AttrWriter().rawU8(0).rawU8(0).rawU16(0).rawS32(index).rawU32(0).rawU32(0);
      const nest = w.beginNest(attr('prop-list'));
      w.string(attr('alt-ifname'), 'nlgen-alt-name');
      w.endNest(nest);
      return w.finish();
    };
    const altnames = () => ns.ipJson<{ altnames?: string[] }[]>('link', 'show', 'dev', 'vb')[0].altnames ?? [];
    await sock.request({ type: op('newlinkprop'), flags: 0x400 | 0x200, payload: payload() });
    expect(altnames()).toEqual(['nlgen-alt-name']);
    await sock.request({ type: op('dellinkprop'), payload: payload() });
    expect(altnames()).toEqual([]);
  });

  test('values whose byte order matters read back as iproute2 set them (by our specs\' byte-order)', async () => {
    /** Attribute `name` of `setName` in family `f`: its number and a reader honouring the spec's byte order. */
    const field = (f: Family, setName: string, name: string) => {
      const a = f.attributeSets.find((s) => s.name === setName)!.attributes.find((x) => x.name === name)!;
      const le = a.byteOrder !== 'big-endian';
      const read = (v: DataView, at: number) => (a.type === 'u16' ? v.getUint16(at, le) : v.getUint32(at, le));
      return { type: a.value, read };
    };
    const find = (m: NetlinkMessage, hdr: number, type: number): number | undefined => {
      const c = new AttrCursor().reset(m.view, m.start + hdr, m.end);
      while (c.next()) if (c.type === type) return c.start;
      return undefined;
    };
    const ipv4 = (n: number) => [24, 16, 8, 0].map((b) => (n >>> b) & 0xff).join('.');

    // rt-addr broadcast (IFA_BROADCAST): an IPv4 address given to the kernel in network order.
    ns.ip('addr', 'add', '192.0.2.6/24', 'brd', '192.0.2.255', 'dev', 'vb');
    const addr = family('rt-addr');
    const local = field(addr, 'addr-attrs', 'local');
    const brd = field(addr, 'addr-attrs', 'broadcast');
    const broadcasts: string[] = [];
    for await (const m of sock.dump({ type: 22, payload: header(8) })) {
      const at = find(m, 8, local.type);
      if (at !== undefined && m.end - at >= 4 && ipv4(m.view.getUint32(at, false)) === '192.0.2.6') {
        const b = find(m, 8, brd.type);
        if (b !== undefined) broadcasts.push(ipv4(brd.read(m.view, b)));
      }
    }
    expect(broadcasts).toEqual(['192.0.2.255']);

    // rt-neigh port (NDA_PORT) of a VXLAN forwarding entry, as `bridge fdb` set it.
    ns.exec('bridge', ['fdb', 'append', '00:00:00:00:00:00', 'dev', 'vx0', 'dst', '192.0.2.9', 'port', '1234']);
    const port = field(family('rt-neigh'), 'neighbour-attrs', 'port');
    const ports: number[] = [];
    for await (const m of sock.dump({ type: 30, payload: header(12, { 0: 7 }) })) {
      const at = find(m, 12, port.type);
      if (at !== undefined) ports.push(port.read(m.view, at));
    }
    expect(ports).toContain(1234);

    // rt-route sport (RTA_SPORT) in a route lookup: a rule matching source port 1234 sends the lookup to table
    // 100, so the answer comes from table 100 only if the port went out in the byte order the kernel expects.
    ns.ip('route', 'add', '198.51.100.0/24', 'dev', 'vb', 'table', '100');
    ns.ip('rule', 'add', 'sport', '1234', 'ipproto', 'tcp', 'table', '100', 'priority', '50');
    const route = family('rt-route');
    const num = (n: string) => route.attributeSets.find((s) => s.name === 'route-attrs')!.attributes.find((a) => a.name === n)!;
    const sport = num('sport');
    // rtmsg for AF_INET, /32, flags RTM_F_LOOKUP_TABLE (0x1000: report the table the lookup used).
    const w = new AttrWriter().rawU8(2).rawU8(32).rawU8(0).rawU8(0).rawU8(0).rawU8(0).rawU8(0).rawU8(0).rawU32(0x1000);
    w.binary(num('dst').value, new Uint8Array([198, 51, 100, 7]));
    w.u8(num('ip-proto').value, 6);
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, 1234, sport.byteOrder !== 'big-endian');
    w.binary(sport.value, b);
    const got = await sock.request({ type: 26, payload: w.finish() });
    const table = got.messages.map((m) => {
      const at = find(m, 12, num('table').value);
      return at === undefined ? undefined : m.view.getUint32(at, true);
    });
    expect(table).toEqual([100]);
  });

  test('rt-link newlink: a veth pair (peer as a sub-message with its own header) created straight into a bridge', async () => {
    const f = family('rt-link');
    const op = f.operations.list.find((o) => o.name === 'newlink')!;
    expect(op.do!.request!.attributes).toEqual(expect.arrayContaining(['ifname', 'master', 'linkinfo']));
    const num = (set: string, n: string) => f.attributeSets.find((s) => s.name === set)!.attributes.find((a) => a.name === n)!.value;
    const peerFormat = f.subMessages.find((m) => m.name === 'linkinfo-veth-peer-msg')!.formats.find((x) => x.value === 'veth')!;
    expect(new ShapeChecker(f).structSize(peerFormat.fixedHeader!)).toBe(16);
    const bridge = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'br0')[0].ifindex;
    const ifinfomsg = (w: AttrWriter) => w.rawU8(0).rawU8(0).rawU16(0).rawS32(0).rawU32(0).rawU32(0);
    const w = ifinfomsg(new AttrWriter());
    w.string(num('link-attrs', 'ifname'), 'nv0');
    w.u32(num('link-attrs', 'master'), bridge);
    const li = w.beginNest(num('link-attrs', 'linkinfo'));
    w.string(num('linkinfo-attrs', 'kind'), 'veth');
    const data = w.beginNest(num('linkinfo-attrs', 'data'));
    const peer = w.beginNest(num('linkinfo-veth-attrs', 'peer'));
    ifinfomsg(w);
    w.string(num('link-attrs', 'ifname'), 'nv1');
    w.endNest(peer);
    w.endNest(data);
    w.endNest(li);
    await sock.request({ type: op.do!.request!.value, flags: 0x400 | 0x200, payload: w.finish() });
    const links = ns.ipJson<{ ifname: string; master?: string; link?: string }[]>('link', 'show');
    expect(links.find((l) => l.ifname === 'nv0')).toMatchObject({ master: 'br0', link: 'nv1' });
    expect(links.find((l) => l.ifname === 'nv1')).toMatchObject({ link: 'nv0' });
    expect(links.find((l) => l.ifname === 'nv1')?.master).toBeUndefined();
  });
});
