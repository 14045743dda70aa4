// `nlgen doctor` against this kernel. Every finding for our generic netlink specs is accounted for from an oracle
// outside nlgen's own policy reading: `genl ctrl get` (iproute2) for commands and multicast groups, the uapi headers
// for attribute numbers. A copy of our netdev spec with three planted mistakes (a wrong type, a request attribute
// left out, a wrong range) gives exactly those three findings more than the unchanged copy. netlink-raw specs are
// surveyed by dumping (nothing configured: the namespace's loopback only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseDocument, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { beyondCorpus, corpusErrata } from '../support/abi-picture.js';
import { corpusSkipReason, corpusSpecsDir, repoRoot } from '../support/corpus.js';
import { toolSkipReason } from '../support/tools.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { oneOpSpec } from '../support/one-op-spec.js';

const skip = liveSkipReason();
const bin = join(repoRoot, 'generator', 'bin', 'nlgen.js');
const work = mkdtempSync(join(tmpdir(), 'nlgen-doctor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Finding {
  kind: string;
  where: string;
  message: string;
}
interface Report {
  family: string;
  present: boolean;
  findings: Finding[];
  notes: string[];
}

const doctor = (args: string[]): { code: number | null; report: Report; err: string } => {
  const r = spawnSync(process.execPath, [bin, 'doctor', ...args, '-o', 'json'], { encoding: 'utf8', env: { ...process.env, NLGEN_CACHE_DIR: join(work, 'cache') } });
  return { code: r.status, report: JSON.parse(r.stdout || 'null') as Report, err: r.stderr };
};

/** Commands and multicast groups of a family as `genl ctrl get name F` prints them. */
function genlFacts(family: string): { commands: number[]; groups: string[] } {
  const out = spawnSync('genl', ['ctrl', 'get', 'name', family], { encoding: 'utf8' }).stdout;
  const [cmds, groups] = out.split('multicast groups:');
  return {
    commands: [...(cmds ?? '').matchAll(/ID-0x([0-9a-f]+)/g)].map((m) => parseInt(m[1]!, 16)),
    groups: [...(groups ?? '').matchAll(/name: (\S+)/g)].map((m) => m[1]!),
  };
}

/** A family's policies as `genl ctrl policy name F` (iproute2) prints them: op → policy indexes, index → attr → type. */
function genlPolicy(family: string): { ops: Map<number, { do?: number; dump?: number }>; attrs: Map<number, Map<number, string>> } {
  const out = spawnSync('genl', ['ctrl', 'policy', 'name', family], { encoding: 'utf8' }).stdout;
  const ops = new Map<number, { do?: number; dump?: number }>();
  const attrs = new Map<number, Map<number, string>>();
  for (const m of out.matchAll(/op (\d+) policies:(?: do=(\d+))?(?: dump=(\d+))?/g)) {
    ops.set(Number(m[1]), { ...(m[2] !== undefined ? { do: Number(m[2]) } : {}), ...(m[3] !== undefined ? { dump: Number(m[3]) } : {}) });
  }
  for (const m of out.matchAll(/policy\[(\d+)\]:attr\[(\d+)\]: type=(\S+)/g)) {
    const t = attrs.get(Number(m[1])) ?? new Map<number, string>();
    t.set(Number(m[2]), m[3]!);
    attrs.set(Number(m[1]), t);
  }
  return { ops, attrs };
}

/** Op name → command of our spec (read with the yaml package, not with nlgen). */
function specCommands(file: string): Map<string, number> {
  const doc = parseDocument(readFileSync(file, 'utf8')).toJS() as { operations: { list: { name: string; value?: number; do?: { request?: { value?: number } }; dump?: { request?: { value?: number } } }[] } };
  const out = new Map<string, number>();
  let next = 1;
  for (const op of doc.operations.list) {
    const v = op.value ?? next;
    next = v + 1;
    if (op.do || op.dump) out.set(op.name, op.do?.request?.value ?? op.dump?.request?.value ?? v);
  }
  return out;
}

describe.skipIf(skip)('nlgen doctor, live', () => {
  let ns: TestNetns;
  beforeAll(() => {
    ns = createNetns('nldoc');
  });
  afterAll(() => ns?.dispose());

  test('nlctrl and tcp_metrics agree with the kernel: no findings, exit 0', () => {
    for (const f of ['nlctrl', 'tcp_metrics']) {
      const r = doctor(['-f', f]);
      expect({ f, code: r.code, findings: r.report.findings }).toEqual({ f, code: 0, findings: [] });
      expect(r.report.present).toBe(true);
    }
  });

  test('netdev, mptcp_pm and ethtool: each finding is what genl ctrl get / policy and the uapi headers say', () => {
    for (const f of ['netdev', 'mptcp_pm', 'ethtool']) {
      const r = doctor(['-f', f]);
      const genl = genlFacts(f);
      const spec = specCommands(join(repoRoot, 'specs', `${f}.yaml`));
      const expected: string[] = [];
      for (const [op, cmd] of spec) if (!genl.commands.includes(cmd)) expected.push(`op op ${op}: the kernel has no command ${cmd}`);
      for (const cmd of genl.commands) if (![...spec.values()].includes(cmd)) expected.push(`op command ${cmd}: the kernel has command ${cmd}; the spec has no op for it`);
      const specGroups = (parseDocument(readFileSync(join(repoRoot, 'specs', `${f}.yaml`), 'utf8')).toJS() as { 'mcast-groups'?: { list: { name: string }[] } })['mcast-groups']?.list.map((g) => g.name) ?? [];
      for (const g of specGroups) if (!genl.groups.includes(g)) expected.push(`group group ${g}: the kernel has no such multicast group`);
      for (const g of genl.groups) if (!specGroups.includes(g)) expected.push(`group group ${g}: the kernel has this multicast group; the spec does not`);
      if (f === 'mptcp_pm') {
        // linux/mptcp.h: MPTCP_PM_ATTR_TOKEN is the 4th attribute (after UNSPEC, ADDR, RCV_ADD_ADDRS); newer kernels
        // take it in get-addr (to ask a userspace path manager), whose set in our spec (endpoint) has only addr (1).
        const header = readFileSync('/usr/include/linux/mptcp.h', 'utf8');
        const attrs = /enum \{\s*MPTCP_PM_ATTR_UNSPEC,([\s\S]*?)__MPTCP_PM_ATTR_MAX/.exec(header)![1]!.match(/MPTCP_PM_ATTR_\w+/g)!;
        expect(attrs.indexOf('MPTCP_PM_ATTR_TOKEN') + 1).toBe(4);
        for (const mode of ['do', 'dump']) expected.push(`attribute op get-addr ${mode} request: #4: the kernel accepts attribute 4 (u32) in endpoint; the spec's set has no attribute 4`);
      }
      if (f === 'ethtool') {
        // iproute2 prints the policy too: pse-set's do policy takes attribute 16 (a u32), which our pse set (numbered
        // by the 6.1 uapi header this machine has) does not have.
        const policy = genlPolicy('ethtool');
        const pse = spec.get('pse-set')!;
        expect(policy.attrs.get(policy.ops.get(pse)!.do!)!.get(16)).toBe('U32');
        expect(readFileSync(join(repoRoot, 'specs', 'ethtool.yaml'), 'utf8')).not.toMatch(/value: 16\n(?:.*\n){0,3}.*# pse/);
        expected.push('attribute op pse-set do request: #16: the kernel accepts attribute 16 (u32) in pse; the spec\'s set has no attribute 16');
      }
      expect(r.report.findings.map((x) => `${x.kind} ${x.where}: ${x.message}`).sort()).toEqual(expected.sort());
      expect(r.code).toBe(expected.length > 0 ? 1 : 0);
    }
  });

  test('nlgen policy reads what iproute2 reads: every op\'s attributes and types, for every genl family we ship', () => {
    const typeName: Record<string, string> = { 'nul-string': 'NUL_STRING', 'nested-array': 'NESTED_ARRAY' };
    for (const f of ['netdev', 'ethtool', 'nlctrl', 'tcp_metrics', 'mptcp_pm']) {
      const genl = genlPolicy(f);
      for (const [op, cmd] of specCommands(join(repoRoot, 'specs', `${f}.yaml`))) {
        const idx = genl.ops.get(cmd);
        if (idx === undefined) continue;
        const r = spawnSync(process.execPath, [bin, 'policy', op, '-f', f, '-o', 'json'], { encoding: 'utf8' });
        expect(r.status, `${f} ${op}: ${r.stderr}`).toBe(0);
        const ours = JSON.parse(r.stdout) as Record<'do' | 'dump', { type: number; policy: { type: string } }[] | undefined>;
        for (const mode of ['do', 'dump'] as const) {
          const want = idx[mode] === undefined ? undefined : [...(genl.attrs.get(idx[mode]) ?? new Map<number, string>())].map(([n, t]) => `${n} ${t}`).sort();
          // iproute2 before 6.x prints NL_ATTR_TYPE_UINT/SINT as "unknown".
          const theirs = idx[mode] === undefined ? undefined : genl.attrs.get(idx[mode]);
          const got = ours[mode]
            ?.map((a) => {
              const t = typeName[a.policy.type] ?? a.policy.type.toUpperCase();
              return `${a.type} ${theirs?.get(a.type) === 'unknown' && (t === 'UINT' || t === 'SINT') ? 'unknown' : t}`;
            })
            .sort();
          expect({ f, op, mode, got }).toEqual({ f, op, mode, got: want });
        }
      }
    }
  });

  test('the corpus specs: with the @upstream overlays, the findings of our specs; without, only what the errata explain', () => {
    for (const f of ['nlctrl', 'tcp_metrics', 'netdev', 'mptcp_pm', 'ethtool']) {
      const key = (x: Finding) => `${x.kind} ${x.where}: ${x.message}`;
      const ours = doctor(['-f', f]).report.findings.map(key).sort();
      const patched = doctor(['--spec', join(corpusSpecsDir, `${f}.yaml`), '--overlay', '@upstream']);
      // Beyond ours, only commands our spec describes and the corpus does not (its beyond-the-corpus table says so).
      const cmds = specCommands(join(repoRoot, 'specs', `${f}.yaml`));
      const beyond = (beyondCorpus[f] ?? []).flatMap((e) => e.lines);
      const onlyCorpus = patched.report.findings.filter((x) => !ours.includes(key(x)));
      for (const x of onlyCorpus) {
        const cmd = /^command (\d+)$/.exec(x.where)?.[1];
        const op = [...cmds].find(([, c]) => String(c) === cmd)?.[0];
        expect({ f, finding: key(x), beyond: op !== undefined && beyond.includes(`${f}.operations.list.${op}: only in ours`) }).toEqual({ f, finding: key(x), beyond: true });
      }
      expect({ f, missing: ours.filter((k) => !patched.report.findings.map(key).includes(k)) }).toEqual({ f, missing: [] });
      // The bare corpus spec: every finding ours lacks is one the errata table records (the attribute, or the op's
      // request list, or the group, appears in one of its lines).
      const bare = doctor(['--spec', join(corpusSpecsDir, `${f}.yaml`)]).report.findings.filter((x) => !ours.includes(key(x)) && !onlyCorpus.some((y) => key(y) === key(x)));
      const errata = (corpusErrata[f] ?? []).flatMap((e) => e.lines);
      const model = parseDocument(readFileSync(join(corpusSpecsDir, `${f}.yaml`), 'utf8')).toJS() as { operations: { list: { name: string; 'attribute-set'?: string }[] } };
      for (const x of bare) {
        const m = /^(?:op (\S+) \S+ request: (\S+)|set (\S+): (\S+)|group (\S+))$/.exec(x.where);
        expect(m, x.where).not.toBeNull();
        const [, op, opAttr, set, setAttr, group] = m!;
        const attr = opAttr ?? setAttr;
        const setName = set ?? model.operations.list.find((o) => o.name === op)?.['attribute-set'];
        const explained = errata.some(
          (l) =>
            (group !== undefined && l.includes(`mcast-groups.${group}`)) ||
            (setName !== undefined && l.includes(`attribute-sets.${setName}.${attr}.`)) ||
            (op !== undefined && l.includes(`operations.list.${op}.`) && l.includes(`"${attr}"`)),
        );
        expect({ f, finding: key(x), explained }).toEqual({ f, finding: key(x), explained: true });
      }
    }
  });

  test('a copy of our netdev spec with a wrong type, a missing attribute and a wrong range: exactly those three findings more', () => {
    const original = readFileSync(join(repoRoot, 'specs', 'netdev.yaml'), 'utf8');
    writeFileSync(join(work, 'netdev-copy.yaml'), original);
    const doc = parseDocument(original);
    const set = (name: string) => (doc.getIn(['attribute-sets']) as YAMLSeq<YAMLMap>).items.find((s) => s.get('name') === name)!;
    const attr = (s: string, a: string) => (set(s).get('attributes') as YAMLSeq<YAMLMap>).items.find((x) => x.get('name') === a)!;
    // 1. dev ifindex is a u32 (NETDEV_A_DEV_IFINDEX: NLA_POLICY_MIN(NLA_U32, 1)); say u16.
    attr('dev', 'ifindex').set('type', 'u16');
    // 2. napi-get's do request takes the NAPI id; leave it out of the request.
    const op = (doc.getIn(['operations', 'list']) as YAMLSeq<YAMLMap>).items.find((o) => o.get('name') === 'napi-get')!;
    const req = op.getIn(['do', 'request', 'attributes']) as YAMLSeq;
    expect(isSeq(req)).toBe(true);
    req.items = req.items.filter((x) => String((x as { value?: unknown }).value ?? x) !== 'id');
    // 3. a page pool id is 1..u32-max; say at most 1000.
    const checks = attr('page-pool', 'id').get('checks') as YAMLMap;
    expect(isMap(checks)).toBe(true);
    checks.set('max', 1000);
    writeFileSync(join(work, 'netdev-broken.yaml'), doc.toString());

    const before = doctor(['--spec', join(work, 'netdev-copy.yaml')]);
    const after = doctor(['--spec', join(work, 'netdev-broken.yaml')]);
    expect(after.err).toBe('');
    expect(after.code).toBe(1);
    const key = (x: Finding) => `${x.kind} ${x.where}: ${x.message}`;
    const added = after.report.findings.map(key).filter((k) => !before.report.findings.map(key).includes(k));
    expect(added.sort()).toEqual([
      'attribute op napi-get do request: id: the kernel accepts id (u32) here; the spec does not list it',
      'range op page-pool-get do request: id: the kernel accepts 1..4294967295; the spec checks 1..1000',
      'type op dev-get do request: ifindex: the kernel\'s policy type is u32; the spec says u16',
    ]);
    expect(after.report.findings.length).toBe(before.report.findings.length + 3);
  });

  test('a generic netlink family the kernel lacks is reported as absent, not as disagreeing', () => {
    const spec = oneOpSpec({ name: 'nlgen-no-such-family', protocol: 'genetlink', doc: 'A family no kernel registers.', op: 'get' });
    writeFileSync(join(work, 'absent.yaml'), spec);
    const r = doctor(['--spec', join(work, 'absent.yaml'), '--netns', ns.name]);
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ family: 'nlgen-no-such-family', present: false, findings: [] });
    expect(r.report.notes[0]).toMatch(/has no generic netlink family "nlgen-no-such-family"/);
  });

  test('netlink-raw: the survey dumps and reports what the spec does not describe', () => {
    // Our rt-addr spec describes all the kernel sends for loopback's addresses.
    ns.ip('link', 'set', 'lo', 'up');
    const ok = doctor(['-f', 'rt-addr', '--netns', ns.name]);
    expect(ok.code).toBe(0);
    expect(ok.report.findings).toEqual([]);
    expect(ok.report.notes).toContain('getaddr: 2 replies surveyed');
    // A copy without IFA_FLAGS (8, linux/if_addr.h) and IFA_CACHEINFO (6): the kernel sends both for every address.
    const header = readFileSync('/usr/include/linux/if_addr.h', 'utf8');
    const ifa = /enum \{\s*IFA_UNSPEC,([\s\S]*?)__IFA_MAX/.exec(header)![1]!.match(/IFA_\w+/g)!;
    expect([ifa.indexOf('IFA_CACHEINFO') + 1, ifa.indexOf('IFA_FLAGS') + 1]).toEqual([6, 8]);
    const doc = parseDocument(readFileSync(join(repoRoot, 'specs', 'rt-addr.yaml'), 'utf8'));
    const sets = doc.getIn(['attribute-sets']) as YAMLSeq<YAMLMap>;
    const addrAttrs = sets.items.find((s) => s.get('name') === 'addr-attrs')!.get('attributes') as YAMLSeq<YAMLMap>;
    // Turned into unused slots, so the numbering of the rest stays.
    for (const a of addrAttrs.items) if (a.get('name') === 'flags' || a.get('name') === 'cacheinfo') a.set('type', 'unused');
    writeFileSync(join(work, 'rt-addr-short.yaml'), doc.toString());
    const short = doctor(['--spec', join(work, 'rt-addr-short.yaml'), '--netns', ns.name]);
    expect(short.code).toBe(1);
    expect(short.report.findings.map((x) => `${x.where}: ${x.message}`).sort()).toEqual([
      'op getaddr dump reply (top level): the kernel sent attribute 6 (16 bytes) that the spec does not describe',
      'op getaddr dump reply (top level): the kernel sent attribute 8 (4 bytes) that the spec does not describe',
    ]);
    // A copy that types IFA_FLAGS (a u32 in the kernel: linux/if_addr.h says __u32 ifa_flags) as a u16: the decoder
    // would read two of its four bytes; the survey checks the sizes on the wire.
    const narrow = parseDocument(readFileSync(join(repoRoot, 'specs', 'rt-addr.yaml'), 'utf8'));
    const narrowAttrs = (narrow.getIn(['attribute-sets']) as YAMLSeq<YAMLMap>).items.find((s) => s.get('name') === 'addr-attrs')!.get('attributes') as YAMLSeq<YAMLMap>;
    narrowAttrs.items.find((a) => a.get('name') === 'flags')!.set('type', 'u16');
    writeFileSync(join(work, 'rt-addr-narrow.yaml'), narrow.toString());
    const sized = doctor(['--spec', join(work, 'rt-addr-narrow.yaml'), '--netns', ns.name]);
    expect(sized.report.findings.map((x) => `${x.kind} ${x.where}: ${x.message}`)).toEqual(['size op getaddr dump reply flags: the kernel sent 4 bytes; the spec\'s u16 takes 2']);
  });

  test('netlink-raw: our rt-* specs describe everything a namespace with veth, bridge, vxlan, addresses, a neighbour and a rule sends', () => {
    // Configured only; nothing is brought up, so no packet leaves.
    ns.ip('link', 'add', 'dv0', 'type', 'veth', 'peer', 'name', 'dv1');
    ns.ip('link', 'add', 'dbr0', 'type', 'bridge');
    ns.ip('link', 'set', 'dv0', 'master', 'dbr0');
    ns.ip('link', 'add', 'dvx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', '192.0.2.1');
    ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'dv1');
    ns.ip('-6', 'addr', 'add', '2001:db8::1/64', 'dev', 'dv1', 'nodad');
    ns.ip('neigh', 'add', '192.0.2.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'dv1');
    ns.ip('rule', 'add', 'from', '203.0.113.0/24', 'table', '100');
    for (const f of ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule']) {
      const r = doctor(['-f', f, '--netns', ns.name]);
      expect({ f, code: r.code, findings: r.report.findings }).toEqual({ f, code: 0, findings: [] });
      expect(r.report.notes.some((n) => /[1-9]\d* replies surveyed/.test(n)), f).toBe(true);
    }
  });

  test('netlink-raw: tc classes, filters and chains, which the kernel lists per device and parent, are surveyed so', () => {
    // An htb qdisc with a class and a u32 filter on one device, clsact with a u32 filter on each hook on another;
    // configured only (nothing brought up).
    ns.ip('link', 'add', 'dtc0', 'type', 'veth', 'peer', 'name', 'dtc1');
    const tc = (...args: string[]) => ns.exec('tc', args);
    tc('qdisc', 'add', 'dev', 'dtc0', 'root', 'handle', '1:', 'htb', 'default', '10');
    tc('class', 'add', 'dev', 'dtc0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit');
    tc('filter', 'add', 'dev', 'dtc0', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '198.51.100.1/32', 'flowid', '1:10');
    tc('qdisc', 'add', 'dev', 'dtc1', 'clsact');
    tc('filter', 'add', 'dev', 'dtc1', 'ingress', 'protocol', 'ip', 'prio', '3', 'u32', 'match', 'ip', 'src', '198.51.100.2/32');
    tc('filter', 'add', 'dev', 'dtc1', 'egress', 'protocol', 'ip', 'prio', '4', 'u32', 'match', 'ip', 'dst', '198.51.100.3/32');
    // What tc lists: every class of dtc0, the filters of dtc0's root and of dtc1's two hooks.
    const classes = tc('class', 'show', 'dev', 'dtc0').split('\n').filter((l) => l.startsWith('class ')).length;
    const filters = [['dev', 'dtc0'], ['dev', 'dtc1', 'ingress'], ['dev', 'dtc1', 'egress']].reduce((n, where) => n + (JSON.parse(tc('-j', 'filter', 'show', ...where)) as unknown[]).length, 0);
    expect([classes, filters]).toEqual([1, 9]);
    const r = doctor(['-f', 'tc', '--netns', ns.name]);
    expect({ code: r.code, findings: r.report.findings }).toEqual({ code: 0, findings: [] });
    const note = (op: string) => r.report.notes.find((n) => n.startsWith(`${op}: `));
    expect(note('gettclass')).toMatch(new RegExp(`^gettclass: ${classes} replies surveyed \\(\\d+ requests, one per device and parent`));
    expect(note('gettfilter')).toMatch(new RegExp(`^gettfilter: ${filters} replies surveyed \\(\\d+ requests, one per device and parent`));
    expect(note('getchain')).toMatch(/^getchain: [1-9]\d* replies surveyed \(\d+ requests/);
    // A copy of our tc spec without u32's selector (TCA_U32_SEL, 5 in linux/pkt_cls.h): the kernel sends it with every
    // u32 key, so the survey of the filters must find it.
    const u32 = /enum \{\s*TCA_U32_UNSPEC,([\s\S]*?)__TCA_U32_MAX/.exec(readFileSync('/usr/include/linux/pkt_cls.h', 'utf8'))![1]!.match(/TCA_U32_\w+/g)!;
    expect(u32.indexOf('TCA_U32_SEL') + 1).toBe(5);
    const doc = parseDocument(readFileSync(join(repoRoot, 'specs', 'tc.yaml'), 'utf8'));
    const u32Attrs = (doc.getIn(['attribute-sets']) as YAMLSeq<YAMLMap>).items.find((x) => x.get('name') === 'u32-attrs')!.get('attributes') as YAMLSeq<YAMLMap>;
    u32Attrs.items.find((a) => a.get('name') === 'sel')!.set('type', 'unused');
    writeFileSync(join(work, 'tc-no-sel.yaml'), doc.toString());
    const planted = doctor(['--spec', join(work, 'tc-no-sel.yaml'), '--netns', ns.name]);
    expect(planted.code).toBe(1);
    expect(planted.report.findings).toHaveLength(1);
    expect(planted.report.findings[0]).toMatchObject({ kind: 'unknown-attribute', where: expect.stringMatching(/^op gettfilter dump reply options/) });
    expect(planted.report.findings[0]!.message).toMatch(/^the kernel sent attribute 5 \(\d+ bytes\) that the spec does not describe$/);
  });

  test.skipIf(toolSkipReason('nft', 'nftables') !== undefined)('netlink-raw: our nftables spec describes a ruleset nft wrote; the survey leaves counters as they were', () => {
    ns.exec('nft', ['-f', '-'], 'table inet dr { counter c { packets 5 bytes 300 }\n set s { type ipv4_addr; elements = { 192.0.2.5 } }\n chain ch { type filter hook input priority 0; counter accept; ct state established accept; meta l4proto udp notrack; }\n }\n');
    const listed = () => ns.exec('nft', ['-j', 'list', 'counters']);
    const before = listed();
    const r = doctor(['-f', 'nftables', '--netns', ns.name]);
    expect({ code: r.code, findings: r.report.findings }).toEqual({ code: 0, findings: [] });
    expect(r.report.notes).toEqual(expect.arrayContaining(['gettable: 1 replies surveyed', 'getrule: 3 replies surveyed', 'getobj-reset: not run (reading it resets counters)', 'getrule-reset: not run (reading it resets counters)']));
    expect(listed()).toBe(before);
    expect(before).toMatch(/"packets": 5, "bytes": 300/);
  });
});
