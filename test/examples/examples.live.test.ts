// The three example programs, run as child processes (`node dist/examples/<name>.js --netns NAME`, from a private
// build, see buildExamples) against throwaway namespaces; their output is checked against iproute2: `ip -j link`,
// `ip -br link`, `genl ctrl list`, and, for the monitor, an `ip monitor` watching the same namespace at the same time.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildExamples } from '../support/examples.js';
import { parseGenlFamilies } from '../support/genl.js';
import { toolSkipReason } from '../support/tools.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();
const root = fileURLToPath(new URL('../../', import.meta.url));

let built = '';
/** Path of a compiled example. */
const example = (name: string) => join(built, 'dist/examples', `${name}.js`);

/** Runs an example to completion. */
function runExample(name: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [example(name), ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A long-running child whose output lines are collected; `waitFor` resolves when a matching line has arrived. */
class LineCollector {
  readonly lines: string[] = [];
  readonly errLines: string[] = [];
  private readonly waiters: { stream: 'out' | 'err'; pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    this.attach(child.stdout!, 'out');
    this.attach(child.stderr!, 'err');
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }
  private attach(s: NodeJS.ReadableStream, stream: 'out' | 'err') {
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        (stream === 'out' ? this.lines : this.errLines).push(line);
        for (const w of [...this.waiters]) {
          if (w.stream === stream && w.pred(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
  }
  waitFor(pred: (l: string) => boolean, stream: 'out' | 'err' = 'out'): Promise<string> {
    const seen = (stream === 'out' ? this.lines : this.errLines).find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ stream, pred, resolve }));
  }
}

interface IpLink {
  ifindex: number;
  ifname: string;
  link?: string;
  flags: string[];
  mtu: number;
  operstate: string;
  address: string;
  master?: string;
  linkinfo?: { info_kind?: string };
}

describe.skipIf(skip !== undefined)('examples, live', () => {
  let ns: TestNetns;
  /** For the monitor: IPv6 stays on, every device stays down (no carrier, nothing is ever sent). */
  let monNs: TestNetns;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    built = buildExamples(['links', 'monitor', 'genl-families', 'nft-list']);
    ns = createNetns('nlgen-ex');
    // One veth end goes up below; with IPv6 off nothing is ever transmitted (no DAD, RS or MLD).
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv6.conf.all.disable_ipv6=1']);
    ns.ip('link', 'add', 'ex-a', 'type', 'veth', 'peer', 'name', 'ex-b');
    ns.ip('link', 'add', 'ex-br', 'mtu', '1400', 'type', 'bridge');
    ns.ip('link', 'set', 'ex-b', 'master', 'ex-br');
    ns.ip('link', 'set', 'ex-a', 'up'); // its peer stays down: NO-CARRIER here, M-DOWN shown by ip
    monNs = createNetns('nlgen-exmon');
  }, 300_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    ns?.dispose();
    monNs?.dispose();
    if (built !== '') rmSync(built, { recursive: true, force: true });
  });

  test('links --json: every interface with the fields `ip -j -d link show` reports', () => {
    const r = runExample('links', ['--netns', ns.name, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ours = JSON.parse(r.stdout) as { ifindex: number; ifname: string; label: string; operstate: string; address?: string; flags: string[]; mtu?: number; kind?: string; master?: number }[];
    const ip = ns.ipJson<IpLink[]>('-d', 'link', 'show');
    const byIndex = new Map(ip.map((l) => [l.ifindex, l]));
    expect(ours.map((l) => l.ifindex).sort()).toEqual(ip.map((l) => l.ifindex).sort());
    for (const l of ours) {
      const o = byIndex.get(l.ifindex)!;
      expect([l.ifname, l.operstate, l.address, l.mtu, l.flags]).toEqual([o.ifname, o.operstate, o.address, o.mtu, o.flags]);
      expect(l.kind).toBe(o.linkinfo?.info_kind);
      expect(l.label).toBe(o.link === undefined ? o.ifname : `${o.ifname}@${o.link}`);
      expect(l.master === undefined ? undefined : byIndex.get(l.master)!.ifname).toBe(o.master);
    }
    // The set-up gives the comparison something to bite on.
    const exA = ours.find((l) => l.ifname === 'ex-a')!;
    expect(exA.flags).toEqual(['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN']);
    expect(ours.find((l) => l.ifname === 'ex-b')!.master).toBe(ours.find((l) => l.ifname === 'ex-br')!.ifindex);
  });

  test('links (text): name, state, MAC and flags columns equal `ip -br link`, then the kind', () => {
    const r = runExample('links', ['--netns', ns.name]);
    expect(r.status).toBe(0);
    const ours = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const brief = ns.ip('-br', 'link').trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(ours.map((c) => c.slice(0, 4))).toEqual(brief);
    const kinds = new Map(ns.ipJson<IpLink[]>('-d', 'link', 'show').map((l) => [l.ifname, l.linkinfo?.info_kind]));
    for (const c of ours) expect(c[4]).toBe(kinds.get(c[0]!.split('@')[0]!));
  });

  test('package.json runs each example from dist/examples (the files built here)', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect([scripts['example:links'], scripts['example:monitor'], scripts['example:genl']]).toEqual(
      ['links', 'monitor', 'genl-families'].map((e) => `node dist/examples/${e}.js`),
    );
  });

  test('monitor: a --count that is not a positive integer exits 2 with the usage', () => {
    const bad = runExample('monitor', ['--count', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--count wants a positive integer[\s\S]*Usage: monitor/);
  });

  test('links --help, and a bad option exits 2 with the usage', () => {
    const help = runExample('links', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: links \[--netns NAME\] \[--json\]/);
    const bad = runExample('links', ['--no-such-option']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no-such-option[\s\S]*Usage: links/);
  });

  test('genl-families --json: names, ids, versions, command counts and groups equal `genl ctrl list`', () => {
    const r = runExample('genl-families', ['--netns', ns.name, '--json']);
    expect(r.status).toBe(0);
    const ours = JSON.parse(r.stdout) as { name: string; id: number; version: number; hdrsize: number; maxattr: number; ops: number; groups: { name: string; id: number }[] }[];
    const genl = parseGenlFamilies(ns.exec('genl', ['ctrl', 'list'])).sort((a, b) => a.id - b.id);
    expect(genl.length).toBeGreaterThan(5);
    expect(ours).toEqual(
      genl.map((f) => ({ name: f.name, id: f.id, version: f.version, hdrsize: f.hdrsize, maxattr: f.maxattr, ops: f.ops.length, groups: f.groups })),
    );
  });

  test('genl-families (text): a header, then one row per family with its id', () => {
    const r = runExample('genl-families', ['--netns', ns.name]);
    expect(r.status).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header!.split(/\s+/)).toEqual(['FAMILY', 'ID', 'VERSION', 'OPS', 'GROUPS']);
    const genl = parseGenlFamilies(ns.exec('genl', ['ctrl', 'list'])).sort((a, b) => a.id - b.id);
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2))).toEqual(genl.map((f) => [f.name, String(f.id)]));
  });

  test('monitor --json: the link, address and route changes `ip monitor` sees, in the same order per kind; Ctrl-C exits 0', async () => {
    const mon = new LineCollector(spawn(process.execPath, [example('monitor'), '--netns', monNs.name, '--json']));
    const ipmon = new LineCollector(spawn('ip', ['-n', monNs.name, 'monitor', 'link', 'address', 'route']));
    children.push(mon.child, ipmon.child);
    await mon.waitFor((l) => l.startsWith('monitor: watching'), 'err');
    // ip monitor says nothing when ready: change something until both have seen it, then compare what follows.
    monNs.ip('link', 'add', 'sync0', 'type', 'bridge');
    await mon.waitFor((l) => l.includes('"ifname":"sync0"'));
    await ipmon.waitFor((l) => /^\d+: sync0:/.test(l));
    const ourStart = mon.lines.length;
    const ipStart = ipmon.lines.length;

    monNs.ip('link', 'add', 'mon-br', 'type', 'bridge');
    monNs.ip('addr', 'add', '192.0.2.1/24', 'dev', 'mon-br');
    monNs.ip('addr', 'add', '2001:db8::1/64', 'dev', 'mon-br', 'nodad');
    monNs.ip('route', 'add', 'blackhole', '203.0.113.0/24');
    monNs.ip('-6', 'route', 'add', 'blackhole', '2001:db8:1::/48');
    monNs.ip('link', 'set', 'mon-br', 'mtu', '1400');
    monNs.ip('route', 'del', 'blackhole', '203.0.113.0/24');
    monNs.ip('-6', 'route', 'del', 'blackhole', '2001:db8:1::/48');
    monNs.ip('addr', 'del', '192.0.2.1/24', 'dev', 'mon-br');
    monNs.ip('link', 'del', 'mon-br');
    monNs.ip('link', 'del', 'sync0'); // the end marker
    await mon.waitFor((l) => l.includes('"event":"del"') && l.includes('"ifname":"sync0"'));
    await ipmon.waitFor((l) => /^Deleted \d+: sync0:/.test(l));
    mon.child.kill('SIGINT');
    ipmon.child.kill('SIGTERM');
    expect(await mon.exited).toBe(0);
    // Every notification decoded (an undecodable one would be reported here and skipped).
    expect(mon.errLines.filter((l) => !l.startsWith('monitor: watching'))).toEqual([]);

    type Ev = { kind: string; event: string; ifname?: string; mtu?: number; address?: string; prefixlen?: number; type?: string; dst?: string };
    const ours = mon.lines.slice(ourStart).map((l) => JSON.parse(l) as Ev);
    // ip monitor: one event per unindented line; "Deleted " marks removals (ip/ipmonitor.c, ipaddress.c, iproute.c).
    const theirs = ipmon.lines
      .slice(ipStart)
      .filter((l) => !/^\s/.test(l))
      .map((l) => {
        const event = l.startsWith('Deleted ') ? 'del' : 'new';
        const body = l.replace(/^Deleted /, '');
        let m = /^\d+: (\S+?): <.*?> mtu (\d+)/.exec(body);
        if (m) return `link ${event} ${m[1]} mtu ${m[2]}`;
        m = /^\d+: \S+\s+inet6? (\S+)/.exec(body);
        if (m) return `addr ${event} ${m[1]}`;
        return `route ${event} ${body.split(/ dev | proto | table /)[0]!.trim()}`;
      });
    const mine = ours.map((e) => {
      if (e.kind === 'link') return `link ${e.event} ${e.ifname} mtu ${e.mtu}`;
      if (e.kind === 'addr') return `addr ${e.event} ${e.address}/${e.prefixlen}`;
      // ip prints a host route's destination without its /32 or /128 and names non-unicast types first.
      const dst = e.dst!.replace(/\/(32|128)$/, '');
      return `route ${e.event} ${e.type === 'unicast' ? dst : `${e.type} ${dst}`}`;
    });
    const perKind = (xs: string[], k: string) => xs.filter((x) => x.startsWith(`${k} `));
    for (const k of ['link', 'addr', 'route']) expect(perKind(mine, k)).toEqual(perKind(theirs, k));
    // And the changes made are all there.
    expect(mine).toEqual(
      expect.arrayContaining([
        'link new mon-br mtu 1500',
        'link new mon-br mtu 1400',
        'addr new 192.0.2.1/24',
        'route new local 192.0.2.1',
        'addr new 2001:db8::1/64',
        'route new local 2001:db8::1',
        'route new blackhole 203.0.113.0/24',
        'route new blackhole 2001:db8:1::/48',
        'route del blackhole 203.0.113.0/24',
        'route del blackhole 2001:db8:1::/48',
        'addr del 192.0.2.1/24',
        'link del mon-br mtu 1400',
        'link del sync0 mtu 1500',
      ]),
    );
  });

  test('monitor (text) --count 1: exits by itself after one change, printed as a [LINK] line', async () => {
    const mon = new LineCollector(spawn(process.execPath, [example('monitor'), '--netns', monNs.name, '--count', '1']));
    children.push(mon.child);
    await mon.waitFor((l) => l.startsWith('monitor: watching'), 'err');
    monNs.ip('link', 'add', 'mon-txt', 'type', 'bridge');
    expect(await mon.exited).toBe(0);
    const idx = monNs.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'mon-txt')[0]!.ifindex;
    expect(mon.lines).toHaveLength(1);
    expect(mon.lines[0]).toMatch(new RegExp(`^\\[LINK\\]  ${idx}: mon-txt: <BROADCAST,MULTICAST> mtu 1500 state DOWN bridge link/ether `));
    monNs.ip('link', 'del', 'mon-txt');
  });

  test.skipIf(toolSkipReason('nft', 'nftables') !== undefined)('nft-list: its text is nft input that recreates the ruleset (nft -j of both equal); --json has the same tables and rules', () => {
    const from = createNetns('nlgen-nftl');
    const to = createNetns('nlgen-nftl');
    try {
      from.exec('nft', ['-f', '-'], NFT_LIST_RULESET);
      const r = runExample('nft-list', ['--netns', from.name]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // Spot checks of the rendering; the round trip below checks all of it.
      expect(r.stdout).toContain('\t\tip6 saddr 2001:db8::/32 counter packets 0 bytes 0 drop # handle ');
      expect(r.stdout).toContain('\t\tct state established,related accept # handle ');
      to.exec('nft', ['-f', '-'], r.stdout);
      const listed = (n: TestNetns) =>
        (JSON.parse(n.exec('nft', ['-j', 'list', 'ruleset'])) as { nftables: Record<string, Record<string, unknown>>[] }).nftables
          .filter((x) => !('metainfo' in x))
          .map((x) => Object.fromEntries(Object.entries(x).map(([k, { handle: _h, ...v }]) => [k, v])));
      const original = listed(from);
      expect(original.filter((x) => 'rule' in x)).toHaveLength(14);
      expect(listed(to)).toEqual(original);
      // The handles printed are the kernel's.
      const handles = [...r.stdout.matchAll(/# handle (\d+)$/gm)].map((m) => Number(m[1]));
      const nftJson = (JSON.parse(from.exec('nft', ['-j', 'list', 'ruleset'])) as { nftables: { rule?: { handle: number } }[] }).nftables;
      expect(handles).toEqual(nftJson.flatMap((x) => (x.rule ? [x.rule.handle] : [])));
      const j = runExample('nft-list', ['--netns', from.name, '--json']);
      const tables = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { family: string; table: { name: string }; chains: { chain: { name: string }; rules: unknown[] }[] });
      expect(tables.map((t) => `${t.family} ${t.table.name}`)).toEqual(original.filter((x) => 'table' in x).map((x) => `${x.table!.family} ${x.table!.name}`));
      expect(tables.flatMap((t) => t.chains.map((c) => `${c.chain.name}:${c.rules.length}`))).toEqual(['sub:0', 'input:10', 'out:4']);
    } finally {
      from.dispose();
      to.dispose();
    }
  });
});

/** A ruleset of the parts nft-list renders in nft's syntax (no packet is sent: configuration only). */
const NFT_LIST_RULESET = `
table inet t {
  counter hits { packets 5 bytes 300 }
  quota q { over 1000 bytes }
  set blocked { type ipv4_addr; elements = { 198.51.100.1, 198.51.100.2 } }
  map ports { type inet_service : verdict; elements = { 80 : accept, 443 : jump sub } }
  chain sub { }
  chain input { type filter hook input priority 0; policy accept;
    ip saddr 192.0.2.0/24 tcp dport 22 counter accept
    meta mark 0x7 counter jump sub
    ip daddr @blocked drop
    tcp dport vmap @ports
    counter name "hits"
    ct state established,related accept
    limit rate 10/second accept
    log prefix "x"
    reject
    meta l4proto udp udp dport 53 notrack
  }
}
table ip6 t6 {
  chain out { type filter hook output priority -10; policy drop;
    ip6 saddr 2001:db8::/32 counter drop
    ip6 daddr 2001:db8::5 tcp sport 80 reject with tcp reset
    meta mark != 0x10 log prefix "m " level info accept
    ip6 daddr 2001:db8::/64 tcp dport 443 accept
  }
}
`;
