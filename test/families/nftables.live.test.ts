// nf_tables through the generated client, in a throwaway namespace, with Debian's nft as the oracle both ways:
// a ruleset written by the client in one transaction (tables, base and regular chains, rules of typed expressions,
// a set, a verdict map, stateful objects) reads back in `nft -j list ruleset` as the same high-level
// ruleset; a ruleset written by nft decodes, expression by expression, as libnftnl prints it (`nft --debug=netlink`).
// Also: all-or-nothing with the failing request named, typed notifications of each change, getgen, resets, deletes.
// No packet is sent: everything here is configuration.
import { readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Nftables,
  type ExprAttrs,
  type GetruleDumpReply,
  type NewchainRequest,
  type NewobjRequest,
  type NewsetRequest,
  type SetelemAttrs,
  type MetaKeys,
  type NftablesNotification,
  type PayloadBases,
  type Registers,
  type VerdictCode,
} from '../../generated/nftables.js';
import { NetlinkError, TransactionError, type OverrunNotice } from '../../runtime/index.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';

const skip = liveSkipReason() ?? toolSkipReason('nft', 'nftables');

const NFPROTO_INET = 1;
const NFPROTO_NETDEV = 5;
const NF_INET_LOCAL_IN = 1;
const NF_INET_LOCAL_OUT = 3;
/** nft's data type numbers, kept by the kernel as the set's key/data type (nftables' datatype.h). */
const TYPE_IPADDR = 7;
const TYPE_INET_SERVICE = 13;
const NFT_DATA_VERDICT = 0xffffff00;

// Expression builders: what nft itself would send for the matches used below.
const meta = (key: MetaKeys): ExprAttrs => ({ name: 'meta', data: { key, dreg: 'reg-1' } });
const cmpEq = (...bytes: number[]): ExprAttrs => ({ name: 'cmp', data: { sreg: 'reg-1', op: 'eq', data: { value: Uint8Array.from(bytes) } } });
const payload = (base: PayloadBases, offset: number, len: number): ExprAttrs => ({ name: 'payload', data: { dreg: 'reg-1', base, offset, len } });
const verdict = (code: VerdictCode, chain?: string): ExprAttrs => ({ name: 'immediate', data: { dreg: 'verdict', data: { verdict: chain === undefined ? { code } : { code, chain } } } });
const counter: ExprAttrs = { name: 'counter', data: { bytes: 0n, packets: 0n } };

/** The rules the client writes into chain `input`, and what `nft -j` must print for each. */
const rules: { exprs: ExprAttrs[]; nft: unknown[] }[] = [
  {
    exprs: [meta('nfproto'), cmpEq(2), payload('network-header', 12, 3), cmpEq(192, 0, 2), meta('l4-proto'), cmpEq(6), payload('transport-header', 2, 2), cmpEq(0, 22), counter, verdict('accept')],
    nft: [
      { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: '192.0.2.0', len: 24 } } } },
      { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } },
      { counter: { packets: 0, bytes: 0 } },
      { accept: null },
    ],
  },
  {
    // The mark is a host-order u32 in the register.
    exprs: [meta('mark'), cmpEq(...new Uint8Array(new Uint32Array([7]).buffer)), counter, verdict('jump', 'sub')],
    nft: [{ match: { op: '==', left: { meta: { key: 'mark' } }, right: 7 } }, { counter: { packets: 0, bytes: 0 } }, { jump: { target: 'sub' } }],
  },
  {
    exprs: [meta('nfproto'), cmpEq(2), payload('network-header', 16, 4), { name: 'lookup', data: { set: 'blocked', sreg: 'reg-1', flags: [] } }, verdict('drop')],
    nft: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: '@blocked' } }, { drop: null }],
  },
  {
    exprs: [meta('l4-proto'), cmpEq(6), payload('transport-header', 2, 2), { name: 'lookup', data: { set: 'ports', sreg: 'reg-1', dreg: 'verdict', flags: [] } }],
    nft: [{ vmap: { key: { payload: { protocol: 'tcp', field: 'dport' } }, data: '@ports' } }],
  },
  { exprs: [{ name: 'objref', data: { immType: 'counter', immName: 'hits' } }], nft: [{ counter: 'hits' }] },
  {
    exprs: [{ name: 'limit', data: { rate: 10n, unit: 1n, burst: 5, type: 'pkts', flags: [] } }, verdict('accept')],
    nft: [{ limit: { rate: 10, burst: 5, per: 'second' } }, { accept: null }],
  },
  { exprs: [{ name: 'log', data: { prefix: 'nlgen: ', level: 'warning' } }], nft: [{ log: { prefix: 'nlgen: ' } }] },
];

type NftObject = Record<string, Record<string, unknown>>;

/** A ruleset written by nft, using expression kinds whose libnftnl debug form `debugLine` reproduces. */
const nftRuleset = `
table inet w {
  counter c1 { packets 3 bytes 180 }
  set s4 { type ipv4_addr; elements = { 203.0.113.7 } }
  chain sub { }
  chain fw { type filter hook forward priority -5; policy drop;
    ip saddr 198.51.100.0/24 tcp dport 443 counter accept
    ct state established,related accept
    meta mark 0x2a counter jump sub
    ip daddr @s4 drop
    counter name "c1"
    limit rate 10/second accept
    log prefix "w " level info
    reject
  }
}
`;

const regNumber = (r: Registers | number | undefined): number => {
  if (typeof r === 'number' || r === undefined) return r ?? -1;
  if (r === 'verdict') return 0;
  if (r.startsWith('reg32-')) return 8 + Number(r.slice(6));
  return Number(r.slice(4));
};
/** libnftnl prints data as host-order 32-bit words. */
const words = (b: Uint8Array | undefined): string => {
  const bytes = b ?? new Uint8Array();
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const v = new DataView(padded.buffer);
  return Array.from({ length: padded.length / 4 }, (_, i) => `0x${v.getUint32(i * 4, true).toString(16).padStart(8, '0')}`).join(' ');
};
const verdictText = (v: { code?: VerdictCode | number; chain?: string } | undefined): string => (v?.chain ? `${v.code} -> ${v.chain}` : String(v?.code));
const payloadBase: Record<string, string> = { 'll-header': 'link', 'network-header': 'network', 'transport-header': 'transport', 'inner-header': 'inner' };
const objTypes: Record<string, number> = { counter: 1, quota: 2, limit: 4 };
const limitUnits: Record<string, string> = { '1': 'second', '60': 'minute', '3600': 'hour', '86400': 'day', '604800': 'week' };

/** One decoded expression in libnftnl's debug form (only the kinds this test's rulesets use). */
function debugLine(e: ExprAttrs): string {
  const d = e.data as Record<string, any>;
  switch (e.name) {
    case 'meta':
      return `[ meta load ${d.key === 'l4-proto' ? 'l4proto' : d.key} => reg ${regNumber(d.dreg)} ]`;
    case 'cmp':
      return `[ cmp ${d.op} reg ${regNumber(d.sreg)} ${words(d.data?.value)} ]`;
    case 'payload':
      return `[ payload load ${d.len}b @ ${payloadBase[d.base]} header + ${d.offset} => reg ${regNumber(d.dreg)} ]`;
    case 'counter':
      return `[ counter pkts ${d.packets} bytes ${d.bytes} ]`;
    case 'immediate':
      return d.data?.verdict ? `[ immediate reg ${regNumber(d.dreg)} ${verdictText(d.data.verdict)} ]` : `[ immediate reg ${regNumber(d.dreg)} ${words(d.data?.value)} ]`;
    case 'lookup':
      return `[ lookup reg ${regNumber(d.sreg)} set ${d.set}${d.dreg !== undefined ? ` dreg ${regNumber(d.dreg)}` : ''} 0x${(d.flags?.length ?? 0).toString(16)} ]`;
    case 'objref':
      return `[ objref type ${objTypes[d.immType]} name ${d.immName} ]`;
    case 'ct':
      return `[ ct load ${d.key} => reg ${regNumber(d.dreg)} ]`;
    case 'bitwise':
      return `[ bitwise reg ${regNumber(d.dreg)} = ( reg ${regNumber(d.sreg)} & ${words(d.mask?.value)} ) ^ ${words(d.xor?.value)} ]`;
    case 'limit':
      return `[ limit rate ${d.rate}/${limitUnits[String(d.unit)]} burst ${d.burst} type ${d.type === 'pkts' ? 'packets' : 'bytes'} flags 0x${(d.flags?.length ?? 0).toString(16)} ]`;
    case 'log':
      return `[ log prefix ${d.prefix} level ${['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'audit'].indexOf(d.level)} ]`;
    case 'reject':
      return `[ reject type ${['icmp-unreach', 'tcp-rst', 'icmpx-unreach'].indexOf(d.type)} code ${d.icmpCode} ]`;
    default:
      return `[ ${e.name} (not formatted by this test) ]`;
  }
}

/** `nft --debug=netlink list chain …`: each rule's handle and expression lines. */
function nftDebugRules(ns: TestNetns, family: string, table: string, chain: string): Map<number, string[]> {
  const out = ns.exec('nft', ['--debug=netlink', 'list', 'chain', family, table, chain]);
  const rulesByHandle = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    const head = new RegExp(`^${family} ${table} ${chain} (\\d+)`).exec(line);
    if (head) rulesByHandle.set(Number(head[1]), (current = []));
    else if (/^\s+\[ /.test(line) && current) current.push(line.trim());
    else if (!line.trim()) current = undefined;
  }
  return rulesByHandle;
}

describe.skipIf(skip !== undefined)('nftables, live against nft', () => {
  let ns: TestNetns;
  let nft: Nftables;
  const ruleset = (): NftObject[] => (JSON.parse(ns.exec('nft', ['-j', 'list', 'ruleset'])) as { nftables: NftObject[] }).nftables.filter((x) => !('metainfo' in x));
  const ofKind = (kind: string) => ruleset().filter((x) => kind in x).map((x) => x[kind]!);

  beforeAll(async () => {
    ns = createNetns('nlgnft');
    ns.exec('ip', ['link', 'add', 'nft0', 'type', 'veth', 'peer', 'name', 'nft1']);
    nft = await Nftables.open({ netns: ns.name });
  });
  afterAll(() => {
    nft?.close();
    ns?.dispose();
  });

  test('one transaction builds tables, chains, rules, a set, a verdict map, and objects; nft -j reads them back', async () => {
    const f = { nfgenFamily: NFPROTO_INET };
    await nft.transaction((tx) => {
      tx.newtable({ ...f, name: 'nlg', userdata: Uint8Array.of(1, 2, 3) }, { create: true });
      tx.newchain({ ...f, table: 'nlg', name: 'sub' }, { create: true });
      tx.newchain({ ...f, table: 'nlg', name: 'input', hook: { num: NF_INET_LOCAL_IN, priority: 0 }, type: 'filter', policy: 'accept' }, { create: true });
      tx.newchain({ ...f, table: 'nlg', name: 'out', hook: { num: NF_INET_LOCAL_OUT, priority: -10 }, type: 'filter', policy: 'drop' }, { create: true });
      tx.newset({ ...f, table: 'nlg', name: 'blocked', keyType: TYPE_IPADDR, keyLen: 4, id: 1 }, { create: true });
      tx.newsetelem({ ...f, table: 'nlg', set: 'blocked', elements: { elem: [{ key: { value: Uint8Array.of(198, 51, 100, 1) } }, { key: { value: Uint8Array.of(198, 51, 100, 2) } }] } }, { create: true });
      tx.newset({ ...f, table: 'nlg', name: 'ports', flags: ['map'], keyType: TYPE_INET_SERVICE, keyLen: 2, dataType: NFT_DATA_VERDICT, dataLen: 0, id: 2 }, { create: true });
      tx.newsetelem(
        {
          ...f,
          table: 'nlg',
          set: 'ports',
          elements: { elem: [{ key: { value: Uint8Array.of(0, 80) }, data: { verdict: { code: 'accept' } } }, { key: { value: Uint8Array.of(1, 187) }, data: { verdict: { code: 'jump', chain: 'sub' } } }] },
        },
        { create: true },
      );
      tx.newobj({ ...f, table: 'nlg', name: 'hits', type: 'counter', data: { packets: 5n, bytes: 300n } }, { create: true });
      tx.newobj({ ...f, table: 'nlg', name: 'q', type: 'quota', data: { bytes: 1000n, flags: ['invert'] } }, { create: true });
      for (const r of rules) tx.newrule({ ...f, table: 'nlg', chain: 'input', expressions: { elem: r.exprs } }, { create: true, append: true });
    });

    const [table] = ofKind('table');
    expect(table).toMatchObject({ family: 'inet', name: 'nlg' });
    const chains = ofKind('chain');
    expect(chains.map(({ handle: _h, ...c }) => c)).toEqual([
      { family: 'inet', table: 'nlg', name: 'sub' },
      { family: 'inet', table: 'nlg', name: 'input', type: 'filter', hook: 'input', prio: 0, policy: 'accept' },
      { family: 'inet', table: 'nlg', name: 'out', type: 'filter', hook: 'output', prio: -10, policy: 'drop' },
    ]);
    expect(ofKind('set').map(({ handle: _h, ...s }) => s)).toEqual([{ family: 'inet', name: 'blocked', table: 'nlg', type: 'ipv4_addr', elem: ['198.51.100.1', '198.51.100.2'] }]);
    expect(ofKind('map').map(({ handle: _h, ...s }) => s)).toEqual([
      { family: 'inet', name: 'ports', table: 'nlg', type: 'inet_service', map: 'verdict', elem: [[80, { accept: null }], [443, { jump: { target: 'sub' } }]] },
    ]);
    expect(ofKind('counter').map(({ handle: _h, ...o }) => o)).toEqual([{ family: 'inet', name: 'hits', table: 'nlg', packets: 5, bytes: 300 }]);
    expect(ofKind('quota').map(({ handle: _h, ...o }) => o)).toEqual([{ family: 'inet', name: 'q', table: 'nlg', bytes: 1000, used: 0, inv: true }]);
    const nftRules = ofKind('rule');
    expect(nftRules.map((r) => r.expr)).toEqual(rules.map((r) => r.nft));

    // The client's own dumps agree with nft on every handle and field.
    const tables = await nft.gettableDump({ nfgenFamily: NFPROTO_INET }).toArray();
    // A table's use counts what it holds: 3 chains, 2 sets, 2 objects.
    expect(tables.map((t) => [t.name, Number(t.handle), t.use, [...(t.userdata ?? [])]])).toEqual([['nlg', table!.handle, 7, [1, 2, 3]]]);
    const ourChains = await nft.getchainDump({ nfgenFamily: NFPROTO_INET }).toArray();
    expect(ourChains.map((c) => [c.name, Number(c.handle), c.type, c.hook?.num, c.hook?.priority, c.policy, c.flags])).toEqual([
      ['sub', chains[0]!.handle, undefined, undefined, undefined, undefined, undefined],
      ['input', chains[1]!.handle, 'filter', NF_INET_LOCAL_IN, 0, 'accept', ['base']],
      ['out', chains[2]!.handle, 'filter', NF_INET_LOCAL_OUT, -10, 'drop', ['base']],
    ]);
    const ourRules: GetruleDumpReply[] = await nft.getruleDump({ nfgenFamily: NFPROTO_INET, table: 'nlg', chain: 'input' }).toArray();
    expect(ourRules.map((r) => Number(r.handle))).toEqual(nftRules.map((r) => r.handle));
    // Round trip: every expression decodes as it was written (registers, enums, verdicts, bytes, bigints).
    expect(ourRules.map((r) => r.expressions?.elem)).toEqual(rules.map((r) => r.exprs));
    const sets = await nft.getsetDump({ nfgenFamily: NFPROTO_INET, table: 'nlg' }).toArray();
    expect(sets.map((s) => [s.name, s.flags, s.keyType, s.keyLen, s.dataType, s.dataLen])).toEqual([
      // No flags attribute when there are none; a verdict map's data length is the kernel's struct nft_verdict (16).
      ['blocked', undefined, TYPE_IPADDR, 4, undefined, undefined],
      ['ports', ['map'], TYPE_INET_SERVICE, 2, NFT_DATA_VERDICT, 16],
    ]);
    const elems = await nft.getsetelemDump({ nfgenFamily: NFPROTO_INET, table: 'nlg', set: 'ports' }).toArray();
    const portElems = elems.flatMap((m) => m.elements?.elem ?? []).map((e) => [[...(e.key?.value ?? [])], e.data?.verdict]);
    expect(portElems.sort()).toEqual([
      [[0, 80], { code: 'accept' }],
      [[1, 187], { code: 'jump', chain: 'sub' }],
    ]);
    const objs = await nft.getobjDump({ nfgenFamily: NFPROTO_INET, table: 'nlg' }).toArray();
    expect(objs.map((o) => [o.name, o.type, o.data])).toEqual([
      ['hits', 'counter', { packets: 5n, bytes: 300n }],
      ['q', 'quota', { bytes: 1000n, flags: ['invert'], consumed: 0n }],
    ]);
  });

  test('a ruleset written by nft decodes expression by expression as libnftnl prints it', async () => {
    ns.exec('nft', ['-f', '-'], nftRuleset);
    try {
      const printed = nftDebugRules(ns, 'inet', 'w', 'fw');
      const ours = await nft.getruleDump({ nfgenFamily: NFPROTO_INET, table: 'w', chain: 'fw' }).toArray();
      expect(ours).toHaveLength(8);
      expect(new Map(ours.map((r) => [Number(r.handle), (r.expressions?.elem ?? []).map(debugLine)]))).toEqual(printed);
      // The kinds nft chose are all typed (no raw payload left): ct, bitwise, reject among them.
      expect(new Set(ours.flatMap((r) => (r.expressions?.elem ?? []).map((e) => e.name)))).toEqual(
        new Set(['meta', 'cmp', 'payload', 'counter', 'immediate', 'ct', 'bitwise', 'lookup', 'objref', 'limit', 'log', 'reject']),
      );
      expect(ours.every((r) => (r.expressions?.elem ?? []).every((e) => !('dataRaw' in e)))).toBe(true);
      const [chain] = await nft.getchainDump({ nfgenFamily: NFPROTO_INET }).toArray().then((cs) => cs.filter((c) => c.table === 'w' && c.name === 'fw'));
      expect([chain?.hook?.priority, chain?.policy]).toEqual([-5, 'drop']);
      // One rule by handle (a do request), and the element of the set written by nft.
      const one = await nft.getrule({ nfgenFamily: NFPROTO_INET, table: 'w', chain: 'fw', handle: ours[4]!.handle });
      expect(one.expressions?.elem).toEqual([{ name: 'objref', data: { immType: 'counter', immName: 'c1' } }]);
      const [s4] = await nft.getsetelemDump({ nfgenFamily: NFPROTO_INET, table: 'w', set: 's4' }).toArray();
      expect(s4?.elements?.elem?.map((e) => [...(e.key?.value ?? [])])).toEqual([[203, 0, 113, 7]]);
    } finally {
      ns.exec('nft', ['delete', 'table', 'inet', 'w']);
    }
  });

  test('a transaction with a failing request in the middle applies nothing and names that request', async () => {
    const before = ruleset();
    const f = { nfgenFamily: NFPROTO_INET };
    const err = await nft
      .transaction((tx) => {
        tx.newchain({ ...f, table: 'nlg', name: 'extra' }, { create: true });
        tx.newrule({ ...f, table: 'nlg', chain: 'extra', expressions: { elem: [counter] } }, { create: true, append: true });
        tx.newrule({ ...f, table: 'nlg', chain: 'extra', expressions: { elem: [verdict('jump', 'no-such-chain')] } }, { create: true, append: true });
        tx.newsetelem({ ...f, table: 'nlg', set: 'blocked', elements: { elem: [{ key: { value: Uint8Array.of(198, 51, 100, 3) } }] } }, { create: true });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    const t = err as TransactionError;
    expect([t.index, t.op, t.size]).toEqual([2, 'newrule', 4]);
    expect((t.error as NetlinkError).code).toBe('ENOENT');
    expect(ruleset()).toEqual(before);
  });

  test('notifications: each change of a batch, typed, then the new generation', async () => {
    const events = nft.subscribe(['mgmt']);
    const seen: (NftablesNotification | OverrunNotice)[] = [];
    // Read with next() (a for-await loop's break would close the subscription).
    const it = events[Symbol.asyncIterator]();
    const untilNewGen = async () => {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        seen.push(r.value);
        if (r.value.name === 'newgen-ntf') return;
      }
    };
    try {
      const f = { nfgenFamily: NFPROTO_INET };
      const before = await nft.getgen({ nfgenFamily: 0 });
      await nft.transaction(
        (tx) => {
          tx.newtable({ ...f, name: 'ev' }, { create: true });
          tx.newchain({ ...f, table: 'ev', name: 'c' }, { create: true });
          tx.newrule({ ...f, table: 'ev', chain: 'c', expressions: { elem: [meta('mark'), cmpEq(1, 0, 0, 0), verdict('accept')] } }, { create: true, append: true });
          tx.newset({ ...f, table: 'ev', name: 's', keyType: TYPE_IPADDR, keyLen: 4, id: 9 }, { create: true });
          tx.newsetelem({ ...f, table: 'ev', set: 's', elements: { elem: [{ key: { value: Uint8Array.of(192, 0, 2, 9) } }] } }, { create: true });
        },
        { begin: { genid: before.id } },
      );
      await untilNewGen();
      expect(seen.map((n) => n.name)).toEqual(['newtable-ntf', 'newchain-ntf', 'newrule-ntf', 'newset-ntf', 'newsetelem-ntf', 'newgen-ntf']);
      const [tbl, chn, rule, , elem, gen] = seen;
      expect(tbl?.name === 'newtable-ntf' && tbl.msg.name).toBe('ev');
      expect(chn?.name === 'newchain-ntf' && [chn.msg.table, chn.msg.name]).toEqual(['ev', 'c']);
      expect(rule?.name === 'newrule-ntf' && rule.msg.expressions?.elem?.map((e) => e.name)).toEqual(['meta', 'cmp', 'immediate']);
      expect(elem?.name === 'newsetelem-ntf' && elem.msg.elements?.elem?.map((e) => [...(e.key?.value ?? [])])).toEqual([[192, 0, 2, 9]]);
      expect(gen?.name === 'newgen-ntf' && gen.msg.id).toBe(before.id! + 1);
      // The committing task: the thread that sent the batch (this one; vitest may run tests in a worker thread).
      const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
      expect(gen?.name === 'newgen-ntf' && [gen.msg.procPid, gen.msg.procName]).toEqual([tid, readFileSync('/proc/thread-self/comm', 'utf8').trim()]);
      expect((await nft.getgen({ nfgenFamily: 0 })).id).toBe(before.id! + 1);

      seen.length = 0;
      await nft.transaction((tx) => tx.deltable({ ...f, name: 'ev' }));
      await untilNewGen();
      // Deleting a table announces the deletion of what it held, innermost first (a set's elements go with the set).
      expect(seen.map((n) => n.name)).toEqual(['delrule-ntf', 'delset-ntf', 'delchain-ntf', 'deltable-ntf', 'newgen-ntf']);
      const delset = seen[1];
      // A deletion names the object (table, name, handle) and says nothing more.
      expect(delset?.name === 'delset-ntf' && [delset.msg.table, delset.msg.name, typeof delset.msg.handle, delset.msg.keyLen]).toEqual(['ev', 's', 'bigint', undefined]);
      expect(ofKind('table').map((t) => t.name)).toEqual(['nlg']);
    } finally {
      events.close();
    }
  });

  test('getobj-reset reads a named counter and zeroes it; getrule-reset does the same for rule counters', async () => {
    const f = { nfgenFamily: NFPROTO_INET };
    const read = await nft.getobjReset({ ...f, table: 'nlg', name: 'hits', type: 'counter' });
    expect(read.data).toEqual({ packets: 5n, bytes: 300n });
    expect(ofKind('counter')[0]).toMatchObject({ name: 'hits', packets: 0, bytes: 0 });
    const reset = await nft.getruleResetDump({ ...f, table: 'nlg', chain: 'input' }).toArray();
    expect(reset).toHaveLength(rules.length);
  });

  test('lookups of what is not there fail with ENOENT; deleting the table removes everything', async () => {
    const f = { nfgenFamily: NFPROTO_INET };
    const missing = await nft.getchain({ ...f, table: 'nlg', name: 'nope' }).catch((e: unknown) => e);
    expect((missing as NetlinkError).code).toBe('ENOENT');
    // destroy* tolerates absence; del* does not.
    await nft.transaction((tx) => tx.destroytable({ ...f, name: 'never-was' }));
    const del = await nft.transaction((tx) => tx.deltable({ ...f, name: 'never-was' })).catch((e: unknown) => e);
    expect(((del as TransactionError).error as NetlinkError).code).toBe('ENOENT');
    const { handle } = await nft.gettable({ ...f, name: 'nlg' });
    await nft.transaction((tx) => tx.deltable({ ...f, handle }));
    expect(ruleset()).toEqual([]);
    expect(await nft.gettableDump({ nfgenFamily: 0 }).toArray()).toEqual([]);
  });

  test('every expression nft writes decodes to typed data and encodes back: a copy of its table made by the client lists the same', async () => {
    ns.exec('nft', ['-f', '-'], RICH_RULESET);
    const f = { nfgenFamily: NFPROTO_INET };
    try {
      const sets = await nft.getsetDump({ ...f, table: 'a' }).toArray();
      const objects = await nft.getobjDump({ ...f, table: 'a' }).toArray();
      const chains = (await nft.getchainDump(f).toArray()).filter((c) => c.table === 'a');
      const rules = await nft.getruleDump({ ...f, table: 'a' }).toArray();
      const elements = new Map<string, SetelemAttrs[]>();
      for (const set of sets) elements.set(set.name!, (await nft.getsetelemDump({ ...f, table: 'a', set: set.name! }).toArray()).flatMap((m) => m.elements?.elem ?? []));
      // Everything was typed: no expression kind or attribute the spec lacks.
      const exprs = rules.flatMap((r) => r.expressions?.elem ?? []);
      expect(exprs.filter((e) => 'dataRaw' in e || '$unknown' in e || '$unknown' in (e.data ?? {}))).toEqual([]);
      expect(new Set(exprs.map((e) => e.name))).toEqual(
        new Set(['meta', 'cmp', 'payload', 'lookup', 'counter', 'immediate', 'dynset', 'ct', 'numgen', 'hash', 'bitwise', 'exthdr', 'quota', 'range', 'limit']),
      );
      let id = 1;
      await nft.transaction((tx) => {
        tx.newtable({ ...f, name: 'b' }, { create: true });
        for (const o of objects) tx.newobj({ ...f, table: 'b', ...pick(o, ['name', 'type', 'data', 'userdata']) } as NewobjRequest, { create: true });
        for (const set of sets) {
          const copy = pick(set, ['name', 'flags', 'keyType', 'keyLen', 'dataType', 'dataLen', 'policy', 'desc', 'timeout', 'gcInterval', 'userdata', 'objType', 'expr', 'expressions']);
          tx.newset({ ...f, table: 'b', ...copy, id: id++ } as NewsetRequest, { create: true });
          const elems = elements.get(set.name!)!.map((e) => pick(e, ['key', 'keyEnd', 'data', 'flags', 'timeout', 'userdata', 'objref', 'expr', 'expressions']));
          if (elems.length > 0) tx.newsetelem({ ...f, table: 'b', set: set.name!, elements: { elem: elems } }, { create: true });
        }
        for (const c of chains) tx.newchain({ ...f, table: 'b', ...pick(c, ['name', 'hook', 'policy', 'type', 'userdata']) } as NewchainRequest, { create: true });
        // The kernel dumps an exthdr write's flags (0) but refuses them in a request (nft_exthdr_tcp_set_init).
        const sendable = (e: ExprAttrs): ExprAttrs => (e.name === 'exthdr' && e.data?.sreg !== undefined ? { name: 'exthdr', data: { ...e.data, flags: undefined } } : e);
        for (const r of rules) tx.newrule({ ...f, table: 'b', chain: r.chain!, expressions: { elem: r.expressions!.elem!.map(sendable) }, ...pick(r, ['userdata']) }, { create: true, append: true });
      });
      // libnftnl's form of both tables, expression by expression, with the table's name and the handles left out.
      const listing = (table: string) =>
        ns
          .exec('nft', ['--debug=netlink', 'list', 'table', 'inet', table])
          .split('\n')
          .map((l) => l.replace(new RegExp(`^inet ${table} (\\S+)( \\d+)*$`), 'inet T $1').replace(/^(inet \S+ )\S+ (@\S+)$/, '$1$2'))
          .filter((l) => !/^table inet|^\s+# handle/.test(l));
      const original = listing('a');
      expect(original.filter((l) => l.startsWith('  [ ')).length).toBeGreaterThan(60);
      expect(listing('b')).toEqual(original);
      // And nft's own reading of them agrees (its JSON, without names and handles).
      const json = (table: string) =>
        (JSON.parse(ns.exec('nft', ['-j', 'list', 'table', 'inet', table])) as { nftables: Record<string, Record<string, unknown>>[] }).nftables
          .filter((x) => !('metainfo' in x) && !('table' in x))
          .map((x) => Object.fromEntries(Object.entries(x).map(([k, { handle: _h, table: _t, ...v }]) => [k, v])));
      expect(json('b')).toEqual(json('a'));
    } finally {
      await nft.transaction((tx) => {
        tx.destroytable({ ...f, name: 'a' });
        tx.destroytable({ ...f, name: 'b' });
      });
    }
  });

  test('a netdev table: a base chain on one device', async () => {
    const f = { nfgenFamily: NFPROTO_NETDEV };
    await nft.transaction((tx) => {
      tx.newtable({ ...f, name: 'nd' }, { create: true });
      tx.newchain({ ...f, table: 'nd', name: 'in', hook: { num: 0, priority: 0, dev: 'nft0' }, type: 'filter', policy: 'accept' }, { create: true });
    });
    try {
      expect(ofKind('chain').map(({ handle: _h, ...c }) => c)).toEqual([{ family: 'netdev', table: 'nd', name: 'in', type: 'filter', hook: 'ingress', prio: 0, policy: 'accept' }]);
      const [c] = await nft.getchainDump({ nfgenFamily: NFPROTO_NETDEV }).toArray();
      expect(c?.hook?.dev ?? c?.hook?.devs?.name).toEqual(c?.hook?.dev !== undefined ? 'nft0' : ['nft0']);
    } finally {
      await nft.transaction((tx) => tx.deltable({ ...f, name: 'nd' }));
    }
  });
});

/** Only `keys` of `o` (those present): a reply's fields a request takes back. */
function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** A ruleset of many expression kinds, as nft writes it (what this kernel has: no nat, rt, socket or connlimit). */
const RICH_RULESET = `
table inet a {
  set s4 { type ipv4_addr; flags interval; elements = { 192.0.2.0/28, 198.51.100.1 } }
  set dyn { type ipv4_addr; flags dynamic,timeout; timeout 60s; }
  set cc { type ipv4_addr . inet_service; elements = { 192.0.2.1 . 80 } }
  map mk { type ipv4_addr : mark; elements = { 192.0.2.2 : 0x10 } }
  counter c1 { }
  quota q1 { over 10 mbytes }
  chain in { type filter hook input priority 0; policy accept;
    ip saddr @s4 counter accept
    ip saddr . tcp dport @cc accept
    update @dyn { ip saddr } accept
    meta mark set ip saddr map @mk
    ip dscp set cs1
    ct mark set 0x5
    meta mark set numgen inc mod 4
    meta mark set jhash ip saddr mod 8
    tcp flags syn tcp option maxseg size set 1360
    quota over 100 mbytes drop
    ip6 nexthdr tcp counter
    meta l4proto { tcp, udp } th dport 53 accept
    ip ttl != 1-10 drop
    ct state new limit rate over 100/minute burst 10 packets drop
    meta mark 0x1 drop
  }
}
`;
