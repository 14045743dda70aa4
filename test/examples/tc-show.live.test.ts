// examples/tc-show.ts run as a child process (compiled privately, like examples.live.test.ts does for the others)
// against a throwaway namespace whose qdiscs, classes and filters `tc` made; its output is held to `tc -j qdisc show`,
// `tc class show` and `tc -j filter show`. The veth devices stay down: nothing is sent.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildExamples } from '../support/examples.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';

// tc comes with iproute2 like ip; it answers -V, not --version.
const skip = liveSkipReason() ?? toolSkipReason('tc', 'iproute2', '-V');

describe.skipIf(skip !== undefined)('examples/tc-show', () => {
  let built = '';
  let ns: TestNetns;
  const run = (...args: string[]) => spawnSync(process.execPath, [join(built, 'dist/examples/tc-show.js'), '--netns', ns.name, ...args], { encoding: 'utf8' });
  const tcJson = (...args: string[]) => JSON.parse(ns.exec('tc', ['-j', ...args])) as Record<string, unknown>[];

  beforeAll(() => {
    built = buildExamples(['tc-show']);
    ns = createNetns('nlgen-tcshow');
    ns.ip('link', 'add', 'ts0', 'type', 'veth', 'peer', 'name', 'ts1');
    const tc = (...args: string[]) => ns.exec('tc', args);
    tc('qdisc', 'add', 'dev', 'ts0', 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '7');
    tc('class', 'add', 'dev', 'ts0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit', 'ceil', '2mbit', 'prio', '3');
    tc('class', 'add', 'dev', 'ts0', 'parent', '1:10', 'classid', '1:11', 'htb', 'rate', '40gbit');
    tc('filter', 'add', 'dev', 'ts0', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '192.0.2.0/24', 'classid', '1:11');
    tc('qdisc', 'add', 'dev', 'ts0', 'egress_block', '9', 'clsact');
    tc('filter', 'add', 'dev', 'ts0', 'ingress', 'protocol', 'ip', 'prio', '3', 'bpf', 'bytecode', '1,6 0 0 0,', 'action', 'mirred', 'egress', 'redirect', 'dev', 'ts1');
    tc('qdisc', 'add', 'dev', 'ts1', 'root', 'handle', '2:', 'tbf', 'rate', '10mbit', 'burst', '12500', 'limit', '25000');
    tc('qdisc', 'add', 'dev', 'ts1', 'ingress');
  });
  afterAll(() => {
    ns?.dispose();
    if (built !== '') rmSync(built, { recursive: true, force: true });
  });

  test('--json lists the qdiscs exactly as tc -j qdisc show does', () => {
    const r = run('--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ours = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(ours).toEqual(tcJson('qdisc', 'show'));
    expect(ours.map((q) => q.kind).sort()).toEqual(['clsact', 'htb', 'ingress', 'noqueue', 'tbf']);
    expect(ours.find((q) => q.kind === 'clsact')!.egress_block).toBe(9);
    // --dev keeps one device.
    const one = JSON.parse(run('--json', '--dev', 'ts1').stdout) as Record<string, unknown>[];
    // (tc leaves the device out when it was asked for one.)
    expect(one).toEqual(tcJson('qdisc', 'show', 'dev', 'ts1').map((q) => ({ ...q, dev: 'ts1' })));
    expect(one).toHaveLength(2);
  });

  test('the text lines name what tc names', () => {
    const lines = run().stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines).toContain('qdisc noqueue 0: dev lo root refcnt 2');
    expect(lines).toContain('qdisc htb 1: dev ts0 root refcnt 3 r2q 7 default 0x10 direct_packets_stat 0 direct_qlen 1000');
    expect(lines).toContain('qdisc tbf 2: dev ts1 root refcnt 3 rate 1250000 burst 12500 lat 10000');
    expect(lines).toContain('qdisc ingress ffff: dev ts1 parent ffff:fff1');
  });

  test('--show class: handles, parents, priorities and rates of tc class show', () => {
    const ours = JSON.parse(run('--show', 'class', '--json', '--dev', 'ts0').stdout) as { kind: string; handle: string; parent: string; rate?: number; ceil?: number; prio?: number }[];
    const shown = ns
      .exec('tc', ['class', 'show', 'dev', 'ts0'])
      .trim()
      .split('\n')
      .map((l) => {
        // tc prints prio for leaf classes only.
        const m = /^class (\S+) (\S+) (?:parent (\S+)|root)(?: prio (\d+))? rate (\d+)([KMG]?)bit ceil (\d+)([KMG]?)bit/.exec(l)!;
        const unit = (u: string) => ({ '': 1, K: 1e3, M: 1e6, G: 1e9 })[u as '' | 'K' | 'M' | 'G'];
        return { kind: m[1], handle: m[2], parent: m[3] ?? 'root', prio: m[4] === undefined ? undefined : Number(m[4]), rate: Number(m[5]) * unit(m[6]!), ceil: Number(m[7]) * unit(m[8]!) };
      });
    expect(shown).toHaveLength(2);
    const byHandle = (a: { handle?: string }, b: { handle?: string }) => a.handle!.localeCompare(b.handle!);
    expect(ours.map(({ kind, handle, parent, prio, rate, ceil }) => ({ kind, handle, parent, prio: shown.find((s) => s.handle === handle)?.prio === undefined ? undefined : prio, rate, ceil })).sort(byHandle)).toEqual(
      shown.sort(byHandle),
    );
    expect(ours.find((c) => c.handle === '1:10')!.prio).toBe(3);
    expect(ours.find((c) => c.handle === '1:11')!.rate).toBe(40e9);
  });

  test('--show filter: priorities, kinds, class ids and actions of tc -j filter show', () => {
    const ours = JSON.parse(run('--show', 'filter', '--json').stdout) as { kind: string; dev: string; parent: string; pref: number; protocol: number; flowid?: string; actions?: string[] }[];
    const shownRoot = tcJson('filter', 'show', 'dev', 'ts0', 'parent', '1:') as { pref: number; kind: string; protocol: string; options?: { flowid?: string; fh?: string } }[];
    const shownIngress = tcJson('filter', 'show', 'dev', 'ts0', 'ingress') as { pref: number; kind: string; options?: { actions?: { kind: string }[] } }[];
    // tc prints each priority's head and, for u32, the hash table as entries of their own; both have options here only for real filters.
    const u32 = ours.filter((f) => f.kind === 'u32' && f.flowid !== undefined);
    expect(u32.map((f) => ({ pref: f.pref, flowid: f.flowid, protocol: f.protocol }))).toEqual(
      shownRoot.filter((f) => f.options?.flowid !== undefined).map((f) => ({ pref: f.pref, flowid: f.options!.flowid, protocol: f.protocol === 'ip' ? 0x0800 : -1 })),
    );
    const bpf = ours.filter((f) => f.kind === 'bpf');
    expect(bpf.map((f) => ({ pref: f.pref, parent: f.parent, actions: f.actions }))).toEqual(
      shownIngress.filter((f) => f.options !== undefined).map((f) => ({ pref: f.pref, parent: 'ffff:fff2', actions: f.options!.actions!.map((a) => a.kind) })),
    );
    expect(bpf).toHaveLength(1);
  });

  test('a bad --show is a usage error', () => {
    const r = run('--show', 'chains');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--show takes qdisc, class or filter');
    expect(r.stdout).toBe('');
  });
});
