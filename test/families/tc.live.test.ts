// tc (rtnetlink traffic control) through the generated client, against iproute2's `tc` in throwaway namespaces:
// qdiscs (htb, tbf, pfifo, ingress, clsact), htb classes with 32- and 64-bit rates, u32 and classic-BPF filters with a
// mirred action, standalone actions, filter chains, a refused request's extack, and the RTNLGRP_TC notifications of
// every change. The devices are veth pairs that stay down: nothing is ever sent.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Tc, type GettclassDumpReply, type TcNotification, type TcRatespec } from '../../generated/tc.js';
import { NetlinkError } from '../../runtime/index.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';
import { logNotifications, type NotificationLog } from './notifications.js';

// tc comes with iproute2 like ip; it answers -V, not --version.
const skip = liveSkipReason() ?? toolSkipReason('tc', 'iproute2', '-V');

const TC_H_ROOT = 0xffffffff;
const TC_H_INGRESS = 0xfffffff1;
const TC_H_CLSACT = TC_H_INGRESS;
const ETH_P_IP = 0x0800;
const TC_ACT_STOLEN = 4;
const TC_U32_TERMINAL = 1;
const handle = (major: number, minor = 0) => ((major << 16) | minor) >>> 0;
/** tcmsg.info of a filter: priority in the upper half, the ethertype in network order in the lower. */
const filterInfo = (prio: number, proto: number) => ((prio << 16) | (((proto & 0xff) << 8) | (proto >> 8))) >>> 0;

/** Scheduler ticks per microsecond, as tc computes them from /proc/net/psched (15.625 on current kernels). */
function ticksPerUsec(ns: TestNetns): number {
  const [t2us, us2t, clockRes] = ns.exec('cat', ['/proc/net/psched']).trim().split(/\s+/).map((x) => parseInt(x, 16));
  return (t2us! / us2t!) * (clockRes! / 1e6);
}

/** A rate that needs no rate table: link layer ethernet (TC_LINKLAYER_ETHERNET), bytes per second capped at 32 bits. */
const ratespec = (bytesPerSec: number): TcRatespec => ({ cellLog: 0, linklayer: 1, overhead: 0, cellAlign: 0, mpu: 0, rate: Math.min(bytesPerSec, 0xffffffff) });

/** tc's rate text (1000-based: 1Mbit, 40Gbit) in bits per second. */
function parseRate(s: string): number {
  const m = /^([\d.]+)(|K|M|G|T)bit$/.exec(s);
  if (!m) throw new Error(`not a tc rate: ${s}`);
  return Number(m[1]) * { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
}
/** tc's size text (1024-based: 1600b, 16Kb) in bytes. */
function parseSize(s: string): number {
  const m = /^([\d.]+)(b|Kb|Mb|Gb)$/.exec(s);
  if (!m) throw new Error(`not a tc size: ${s}`);
  return Number(m[1]) * { b: 1, Kb: 1024, Mb: 1024 ** 2, Gb: 1024 ** 3 }[m[2] as 'b' | 'Kb' | 'Mb' | 'Gb'];
}

/** One class of `tc -s class show` (iproute2 prints htb classes only as text). */
interface ShownClass {
  kind: string;
  handle: string;
  parent: string;
  prio: number;
  rate: number;
  ceil: number;
  burst: number;
  cburst: number;
  sent: { bytes: number; packets: number; dropped: number; overlimits: number; requeues: number };
  backlog: { bytes: number; packets: number };
  lended: number;
  borrowed: number;
  giants: number;
  tokens: number;
  ctokens: number;
}

function tcClasses(ns: TestNetns, dev: string): ShownClass[] {
  const out = ns.exec('tc', ['-s', 'class', 'show', 'dev', dev]);
  return out
    .split(/\n(?=class )/)
    .filter((b) => b.startsWith('class '))
    .map((b) => {
      const num = (re: RegExp) => Number(re.exec(b)![1]);
      const head = /^class (\S+) (\S+) (?:parent (\S+)|(root))/.exec(b)!;
      return {
        kind: head[1]!,
        handle: head[2]!,
        parent: head[3] ?? 'root',
        prio: num(/ prio (\d+)/),
        rate: parseRate(/ rate (\S+)/.exec(b)![1]!),
        ceil: parseRate(/ ceil (\S+)/.exec(b)![1]!),
        burst: parseSize(/ burst (\S+)/.exec(b)![1]!),
        cburst: parseSize(/ cburst (\S+)/.exec(b)![1]!),
        sent: {
          bytes: num(/Sent (\d+) bytes/),
          packets: num(/ (\d+) pkt/),
          dropped: num(/dropped (\d+)/),
          overlimits: num(/overlimits (\d+)/),
          requeues: num(/requeues (\d+)/),
        },
        backlog: { bytes: num(/backlog (\d+)b/), packets: num(/backlog \d+b (\d+)p/) },
        lended: num(/lended: (\d+)/),
        borrowed: num(/borrowed: (\d+)/),
        giants: num(/giants: (\d+)/),
        tokens: num(/ tokens: (-?\d+)/),
        ctokens: num(/ctokens: (-?\d+)/),
      };
    });
}

/** `tc -j -s qdisc show` entries (the fields compared here). */
interface ShownQdisc {
  kind: string;
  handle: string;
  dev: string;
  root?: boolean;
  parent?: string;
  options?: Record<string, unknown>;
  bytes: number;
  packets: number;
  drops: number;
  overlimits: number;
  requeues: number;
  backlog: number;
  qlen: number;
}

const hex = (n: number) => n.toString(16);
/** tc's text of a handle: `1:` for a qdisc, `1:10` for a class (both parts hex). */
const shownHandle = (h: number, qdisc = false) => `${hex(h >>> 16)}:${qdisc && (h & 0xffff) === 0 ? '' : hex(h & 0xffff)}`;

describe.skipIf(skip !== undefined)('tc through the generated client, live', () => {
  let ns: TestNetns;
  let tc: Tc;
  let watcher: Tc;
  let log: NotificationLog<TcNotification>;
  let ticks: number;
  const ifindex: Record<string, number> = {};
  /** The first notification named `name` (at or after log position `from`) whose message `more` accepts, typed by its name. */
  const ntf = async <K extends TcNotification['name']>(name: K, more: (m: Extract<TcNotification, { name: K }>['msg']) => boolean, from = 0) =>
    (await log.waitFor((n) => n.name === name && (more as (m: unknown) => boolean)(n.msg), from)) as Extract<TcNotification, { name: K }>;

  beforeAll(async () => {
    ns = createNetns('nlgen-tc');
    for (const [a, b] of [
      ['tc0', 'tc1'],
      ['tc2', 'tc3'],
    ]) {
      ns.ip('link', 'add', a!, 'type', 'veth', 'peer', 'name', b!);
    }
    for (const l of ns.ipJson<{ ifname: string; ifindex: number }[]>('link', 'show')) ifindex[l.ifname] = l.ifindex;
    ticks = ticksPerUsec(ns);
    tc = await Tc.open({ netns: ns.name });
    watcher = await Tc.open({ netns: ns.name });
    log = logNotifications((signal) => watcher.subscribe(['rtnlgrp-tc'], { signal }));
  });
  afterAll(async () => {
    await log?.close();
    watcher?.close();
    tc?.close();
    ns?.dispose();
  });

  /** Scheduler ticks of `bytes` at `bytesPerSec`, as tc computes a burst into htb's and tbf's buffer fields. */
  const burstTicks = (bytes: number, bytesPerSec: number) => Math.round((bytes * 1e6 * ticks) / bytesPerSec);

  test('an htb root qdisc with classes: 32- and 64-bit rates, compared with tc -s and notified', async () => {
    const tc0 = ifindex.tc0!;
    await tc.newqdisc(
      { ifindex: tc0, parent: TC_H_ROOT, handle: handle(1), kind: 'htb', options: { init: { version: 3, rate2quantum: 10, defcls: 0x10, debug: 0, directPkts: 0 }, directQlen: 500 } },
      { create: true, excl: true },
    );
    const created = await ntf('newqdisc-ntf', (m) => m.ifindex === tc0 && m.handle === handle(1));
    expect(created.msg.kind).toBe('htb');

    // 1:10 at 1 Mbit/s (ceil 2 Mbit/s, burst 16 KiB, cburst 1600 B); 1:20 at 40 Gbit/s, past 32 bits of bytes/s, with
    // 80000-byte bursts (16 us: tc converts ticks to whole microseconds, so shorter bursts print as 0).
    const slow = { rate: 125_000, ceil: 250_000, burst: 16_384, cburst: 1600 };
    const fast = 5_000_000_000;
    await tc.newtclass(
      {
        ifindex: tc0,
        parent: handle(1),
        handle: handle(1, 0x10),
        kind: 'htb',
        options: {
          parms: { rate: ratespec(slow.rate), ceil: ratespec(slow.ceil), buffer: burstTicks(slow.burst, slow.rate), cbuffer: burstTicks(slow.cburst, slow.ceil), quantum: 0, level: 0, prio: 2 },
        },
      },
      { create: true, excl: true },
    );
    await tc.newtclass(
      {
        ifindex: tc0,
        parent: handle(1),
        handle: handle(1, 0x20),
        kind: 'htb',
        options: {
          parms: { rate: ratespec(fast), ceil: ratespec(fast), buffer: burstTicks(80_000, fast), cbuffer: burstTicks(80_000, fast), quantum: 200_000, level: 0, prio: 0 },
          rate64: BigInt(fast),
          ceil64: BigInt(fast),
        },
      },
      { create: true, excl: true },
    );
    await ntf('newtclass-ntf', (m) => m.handle === handle(1, 0x20) && m.kind === 'htb');

    // The qdisc, against tc -j -s.
    const [shownQ] = JSON.parse(ns.exec('tc', ['-j', '-s', 'qdisc', 'show', 'dev', 'tc0'])) as ShownQdisc[];
    const qdiscs = (await tc.getqdiscDump({ ifindex: tc0 }).toArray()).filter((q) => q.ifindex === tc0);
    expect(qdiscs).toHaveLength(1);
    const q = qdiscs[0]!;
    expect(q.kind).toBe(shownQ!.kind);
    expect(shownHandle(q.handle, true)).toBe(shownQ!.handle);
    expect(q.parent).toBe(TC_H_ROOT);
    expect(shownQ!.root).toBe(true);
    if (q.kind !== 'htb') throw new Error('not htb');
    expect(shownQ!.options).toEqual({ r2q: q.options!.init!.rate2quantum, default: `0x${hex(q.options!.init!.defcls)}`, direct_packets_stat: q.options!.init!.directPkts, direct_qlen: q.options!.directQlen });
    expect(q.options!.init!.rate2quantum).toBe(10);
    expect(q.options!.directQlen).toBe(500);
    const s2 = q.stats2!;
    expect({
      bytes: Number(s2.basic!.bytes),
      packets: s2.basic!.packets,
      drops: s2.queue!.drops,
      overlimits: s2.queue!.overlimits,
      requeues: s2.queue!.requeues,
      backlog: s2.queue!.backlog,
      qlen: s2.queue!.qlen,
    }).toEqual({ bytes: shownQ!.bytes, packets: shownQ!.packets, drops: shownQ!.drops, overlimits: shownQ!.overlimits, requeues: shownQ!.requeues, backlog: shownQ!.backlog, qlen: shownQ!.qlen });
    // The old fixed-layout counters agree with the nested ones.
    expect(q.stats!.drops).toBe(s2.queue!.drops);
    expect(Number(q.stats!.bytes)).toBe(Number(s2.basic!.bytes));

    // The classes, against tc -s class show, field by field.
    const shown = new Map(tcClasses(ns, 'tc0').map((c) => [c.handle, c]));
    const classes: GettclassDumpReply[] = (await tc.gettclassDump({ ifindex: tc0 }).toArray()).filter((c) => c.ifindex === tc0);
    expect(classes.map((c) => shownHandle(c.handle)).sort()).toEqual([...shown.keys()].sort());
    expect(classes).toHaveLength(2);
    for (const c of classes) {
      const t = shown.get(shownHandle(c.handle))!;
      if (c.kind !== 'htb' || c.xstats === undefined || c.stats2?.app === undefined) throw new Error(`class ${shownHandle(c.handle)}: no htb options or counters`);
      const o = c.options!;
      const rate = o.rate64 !== undefined ? Number(o.rate64) : o.parms!.rate.rate;
      const ceil = o.ceil64 !== undefined ? Number(o.ceil64) : o.parms!.ceil.rate;
      // Classes right under the qdisc have TC_H_ROOT as parent; tc prints `root`.
      expect({ kind: c.kind, parent: c.parent === TC_H_ROOT ? 'root' : shownHandle(c.parent), prio: o.parms!.prio, rate: rate * 8, ceil: ceil * 8 }).toEqual({
        kind: t.kind,
        parent: t.parent,
        prio: t.prio,
        rate: t.rate,
        ceil: t.ceil,
      });
      // tc turns the buffers (ticks) back into bytes at the class's rates.
      expect(Math.round((rate * o.parms!.buffer) / ticks / 1e6)).toBe(t.burst);
      expect(Math.round((ceil * o.parms!.cbuffer) / ticks / 1e6)).toBe(t.cburst);
      const x = c.xstats as { lends: number; borrows: number; giants: number; tokens: number; ctokens: number };
      expect({ lended: x.lends, borrowed: x.borrows, giants: x.giants, tokens: x.tokens, ctokens: x.ctokens }).toEqual({
        lended: t.lended,
        borrowed: t.borrowed,
        giants: t.giants,
        tokens: t.tokens,
        ctokens: t.ctokens,
      });
      // The same counters once more inside TCA_STATS2 (TCA_STATS_APP).
      expect(c.stats2.app).toEqual(c.xstats);
      expect({ bytes: Number(c.stats2.basic!.bytes), packets: c.stats2.basic!.packets, dropped: c.stats2.queue!.drops, overlimits: c.stats2.queue!.overlimits, requeues: c.stats2.queue!.requeues }).toEqual(t.sent);
      expect({ bytes: c.stats2.queue!.backlog, packets: c.stats2.queue!.qlen }).toEqual(t.backlog);
    }
    const slowClass = classes.find((c) => c.handle === handle(1, 0x10))!;
    const fastClass = classes.find((c) => c.handle === handle(1, 0x20))!;
    if (slowClass.kind !== 'htb' || fastClass.kind !== 'htb') throw new Error('not htb');
    // 1:10 fits 32 bits: no 64-bit attributes; 1:20 does not: the 32-bit field saturates and rate64 carries it.
    expect(slowClass.options!.rate64).toBeUndefined();
    expect(slowClass.options!.parms!.rate.rate).toBe(slow.rate);
    expect(slowClass.options!.parms!.buffer).toBe(burstTicks(slow.burst, slow.rate));
    expect(fastClass.options!.parms!.rate.rate).toBe(0xffffffff);
    expect(fastClass.options!.rate64).toBe(BigInt(fast));
    expect(fastClass.options!.ceil64).toBe(BigInt(fast));
    expect(shown.get('1:20')!.rate).toBe(40e9);

    // One class by handle: like RTM_GETQDISC, the kernel answers it to the requester only with NLM_F_ECHO and
    // otherwise to RTNLGRP_TC, where the listener hears it.
    const from = log.seen.length;
    await expect(tc.gettclass({ ifindex: tc0, handle: handle(1, 0x10) })).rejects.toThrow(/sent no reply/);
    const heard = await ntf('newtclass-ntf', (m) => m.handle === handle(1, 0x10), from);
    expect(heard.msg).toEqual(slowClass);
    // With NLM_F_ECHO the requester gets the same answer.
    const echoed = await tc.gettclass({ ifindex: tc0, handle: handle(1, 0x10) }, { echo: true });
    expect(echoed).toEqual(slowClass);
  });

  test('changes an htb class rate and deletes the class; both are notified', async () => {
    const tc0 = ifindex.tc0!;
    const from = log.seen.length;
    const rate = 375_000; // 3 Mbit/s
    await tc.newtclass({
      ifindex: tc0,
      parent: handle(1),
      handle: handle(1, 0x10),
      kind: 'htb',
      options: { parms: { rate: ratespec(rate), ceil: ratespec(rate), buffer: burstTicks(3000, rate), cbuffer: burstTicks(3000, rate), quantum: 0, level: 0, prio: 1 } },
    });
    const changed = await ntf('newtclass-ntf', (m) => m.handle === handle(1, 0x10) && m.kind === 'htb' && m.options?.parms?.rate.rate === rate, from);
    if (changed.msg.kind !== 'htb') throw new Error('not htb');
    expect(changed.msg.options?.parms?.prio).toBe(1);
    const t = tcClasses(ns, 'tc0').find((c) => c.handle === '1:10')!;
    expect({ rate: t.rate, ceil: t.ceil, prio: t.prio }).toEqual({ rate: 3e6, ceil: 3e6, prio: 1 });

    await tc.deltclass({ ifindex: tc0, handle: handle(1, 0x20) });
    await ntf('deltclass-ntf', (m) => m.handle === handle(1, 0x20), from);
    expect(tcClasses(ns, 'tc0').map((c) => c.handle)).toEqual(['1:10']);
    const left = (await tc.gettclassDump({ ifindex: tc0 }).toArray()).filter((c) => c.ifindex === tc0);
    expect(left.map((c) => c.handle)).toEqual([handle(1, 0x10)]);
    // The class is gone for a lookup too.
    await expect(tc.gettclass({ ifindex: tc0, handle: handle(1, 0x20) })).rejects.toMatchObject({ errno: 2 });
  });

  test('a u32 filter with a key, both ways: ours read by tc, tc\'s read by ours', async () => {
    const tc0 = ifindex.tc0!;
    // match ip dst 192.0.2.0/24 (the IPv4 destination is the 32-bit word at offset 16): one struct tc_u32_key.
    const key = new Uint8Array(16);
    const kv = new DataView(key.buffer);
    kv.setUint32(0, 0xffffff00, false);
    kv.setUint32(4, 0xc0000200, false);
    kv.setInt32(8, 16, true);
    await tc.newtfilter(
      {
        ifindex: tc0,
        parent: handle(1),
        handle: 0,
        info: filterInfo(1, ETH_P_IP),
        kind: 'u32',
        options: { classid: handle(1, 0x10), sel: { flags: TC_U32_TERMINAL, offshift: 0, nkeys: 1, offmask: 0, off: 0, offoff: 0, hoff: 0, hmask: 0, $extra: key } },
      },
      { create: true, excl: true },
    );
    await ntf('newtfilter-ntf', (m) => m.ifindex === tc0 && m.kind === 'u32');
    // tc adds the same match at another priority.
    ns.exec('tc', ['filter', 'add', 'dev', 'tc0', 'parent', '1:', 'protocol', 'ip', 'prio', '2', 'u32', 'match', 'ip', 'src', '198.51.100.0/24', 'classid', '1:10']);

    type ShownFilter = { pref: number; kind: string; protocol: string; options?: { fh: string; flowid?: string; match?: { value: string; mask: string; off: number } } };
    const shown = (JSON.parse(ns.exec('tc', ['-j', 'filter', 'show', 'dev', 'tc0', 'parent', '1:'])) as ShownFilter[]).filter((f) => f.options?.flowid);
    const ours = (await tc.gettfilterDump({ ifindex: tc0, parent: handle(1) }).toArray()).filter((f) => f.kind === 'u32');
    // Each priority has the hash table node (divisor 1) and the key node.
    const keyed = ours.filter((f) => f.kind === 'u32' && f.options?.sel !== undefined);
    expect(keyed).toHaveLength(2);
    expect(ours.filter((f) => f.kind === 'u32' && f.options?.divisor === 1)).toHaveLength(2);
    expect(shown).toHaveLength(2);
    for (const f of keyed) {
      if (f.kind !== 'u32') throw new Error('not u32');
      const prio = f.info >>> 16;
      const t = shown.find((s) => s.pref === prio)!;
      expect(t.protocol).toBe('ip');
      expect(f.info & 0xffff).toBe(filterInfo(0, ETH_P_IP));
      expect(shownHandle(f.options!.classid!)).toBe(t.options!.flowid);
      expect(`${hex(f.handle >>> 20)}::${hex(f.handle & 0xfff)}`).toBe(t.options!.fh);
      const sel = f.options!.sel!;
      expect(sel.nkeys).toBe(1);
      expect(sel.flags & TC_U32_TERMINAL).toBe(TC_U32_TERMINAL);
      const k = new DataView(sel.$extra!.buffer, sel.$extra!.byteOffset, sel.$extra!.byteLength);
      expect({ mask: hex(k.getUint32(0, false)).padStart(8, '0'), value: hex(k.getUint32(4, false)).padStart(8, '0'), off: k.getInt32(8, true) }).toEqual({
        mask: t.options!.match!.mask,
        value: t.options!.match!.value,
        off: t.options!.match!.off,
      });
    }
    expect(shown.find((s) => s.pref === 1)!.options!.match).toMatchObject({ value: 'c0000200', mask: 'ffffff00', off: 16 });
    expect(shown.find((s) => s.pref === 2)!.options!.match).toMatchObject({ value: 'c6336400', mask: 'ffffff00', off: 12 });

    // Deleting priority 2 (kind and protocol given) leaves ours.
    await tc.deltfilter({ ifindex: tc0, parent: handle(1), info: filterInfo(2, ETH_P_IP), kind: 'u32' });
    await ntf('deltfilter-ntf', (m) => m.ifindex === tc0 && m.info >>> 16 === 2);
    const after = JSON.parse(ns.exec('tc', ['-j', 'filter', 'show', 'dev', 'tc0', 'parent', '1:'])) as ShownFilter[];
    expect([...new Set(after.map((f) => f.pref))]).toEqual([1]);
  });

  test('a classic BPF filter with a mirred redirect action, against tc -j -s', async () => {
    const tc0 = ifindex.tc0!;
    // One instruction: BPF_RET | BPF_K 0 (tc's `bytecode '1,6 0 0 0,'`).
    const ops = new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0]);
    await tc.newtfilter(
      {
        ifindex: tc0,
        parent: handle(1),
        handle: 1,
        info: filterInfo(3, ETH_P_IP),
        kind: 'bpf',
        options: {
          classid: handle(1, 0x10),
          opsLen: 1,
          ops,
          act: [{ kind: 'mirred', options: { parms: { index: 0, capab: 0, action: TC_ACT_STOLEN, refcnt: 0, bindcnt: 0, eaction: 'egress-redir', ifindex: ifindex.tc1! } } }],
        },
      },
      { create: true, excl: true },
    );
    const n = await ntf('newtfilter-ntf', (m) => m.ifindex === tc0 && m.kind === 'bpf');
    expect(n.msg.info >>> 16).toBe(3);

    const [shown] = (JSON.parse(ns.exec('tc', ['-j', '-s', 'filter', 'show', 'dev', 'tc0', 'parent', '1:', 'prio', '3'])) as {
      kind: string;
      options?: {
        handle: string;
        flowid: string;
        bytecode: { length: number; insns: { code: number; jt: number; jf: number; k: number }[] };
        actions: { order: number; kind: string; mirred_action: string; direction: string; to_dev: string; control_action: { type: string }; index: number; ref: number; bind: number; stats: Record<string, number> }[];
      };
    }[]).filter((f) => f.options);
    const [f] = (await tc.gettfilterDump({ ifindex: tc0, parent: handle(1) }).toArray()).filter((x) => x.kind === 'bpf' && x.options !== undefined);
    if (f?.kind !== 'bpf') throw new Error('no bpf filter in the dump');
    const o = f.options!;
    expect(`0x${hex(f.handle)}`).toBe(shown!.options!.handle);
    expect(shownHandle(o.classid!)).toBe(shown!.options!.flowid);
    expect(o.opsLen).toBe(shown!.options!.bytecode.length);
    const insn = new DataView(o.ops!.buffer, o.ops!.byteOffset, o.ops!.byteLength);
    expect({ code: insn.getUint16(0, true), jt: o.ops![2], jf: o.ops![3], k: insn.getUint32(4, true) }).toEqual(shown!.options!.bytecode.insns[0]);

    expect(o.act).toHaveLength(1);
    const a = o.act![0]!;
    const ta = shown!.options!.actions[0]!;
    if (a.kind !== 'mirred') throw new Error('not mirred');
    const p = a.options!.parms!;
    expect({ kind: a.kind, eaction: p.eaction, to: p.ifindex, action: p.action, index: p.index, ref: p.refcnt, bind: p.bindcnt }).toEqual({
      kind: ta.kind,
      eaction: `${ta.direction}-${ta.mirred_action === 'redirect' ? 'redir' : 'mirror'}`,
      to: ifindex[ta.to_dev],
      action: ta.control_action.type === 'stolen' ? TC_ACT_STOLEN : -1,
      index: ta.index,
      ref: ta.ref,
      bind: ta.bind,
    });
    expect(a.options!.tm).toBeDefined();
    const st = a.stats!;
    expect({ bytes: Number(st.basic!.bytes), packets: st.basic!.packets, drops: st.queue!.drops, overlimits: st.queue!.overlimits, requeues: st.queue!.requeues, backlog: st.queue!.backlog, qlen: st.queue!.qlen }).toEqual(
      { bytes: ta.stats.bytes, packets: ta.stats.packets, drops: ta.stats.drops, overlimits: ta.stats.overlimits, requeues: ta.stats.requeues, backlog: ta.stats.backlog, qlen: ta.stats.qlen },
    );

    // One filter by its priority, protocol, kind and handle.
    const got = await tc.gettfilter({ ifindex: tc0, parent: handle(1), handle: 1, info: filterInfo(3, ETH_P_IP), kind: 'bpf' });
    expect(got.kind).toBe('bpf');
    if (got.kind === 'bpf') expect(got.options?.ops).toEqual(ops);
  });

  test('filter chains: add, dump, delete, each notified', async () => {
    const tc0 = ifindex.tc0!;
    await tc.newchain({ ifindex: tc0, parent: handle(1), chain: 7 }, { create: true, excl: true });
    await ntf('newchain-ntf', (m) => m.ifindex === tc0 && m.chain === 7);
    const shown = (JSON.parse(ns.exec('tc', ['-j', 'chain', 'show', 'dev', 'tc0', 'parent', '1:'])) as { parent: string; chain: number }[]).map((c) => c.chain).sort();
    const ours = (await tc.getchainDump({ ifindex: tc0, parent: handle(1) }).toArray()).map((c) => c.chain!).sort();
    expect(ours).toEqual(shown);
    expect(ours).toContain(7);
    expect((await tc.getchain({ ifindex: tc0, parent: handle(1), chain: 7 })).chain).toBe(7);

    await tc.delchain({ ifindex: tc0, parent: handle(1), chain: 7 });
    await ntf('delchain-ntf', (m) => m.ifindex === tc0 && m.chain === 7);
    expect((JSON.parse(ns.exec('tc', ['-j', 'chain', 'show', 'dev', 'tc0', 'parent', '1:'])) as { chain: number }[]).map((c) => c.chain)).not.toContain(7);
  });

  test('tbf, pfifo, ingress and clsact qdiscs against tc -j', async () => {
    const [tc1, tc2, tc3] = [ifindex.tc1!, ifindex.tc2!, ifindex.tc3!];
    // tbf: 10 Mbit/s, a 12500-byte bucket (10 ms), 25000 bytes of queue (tc shows 10 ms of latency).
    const rate = 1_250_000;
    await tc.newqdisc(
      { ifindex: tc3, parent: TC_H_ROOT, handle: handle(2), kind: 'tbf', options: { parms: { rate: ratespec(rate), peakrate: ratespec(0), limit: 25_000, buffer: burstTicks(12_500, rate), mtu: 0 } } },
      { create: true, excl: true },
    );
    // pfifo with a size table that only adds 24 bytes per packet (at least 64), on ethernet: no table entries (tsize 0).
    await tc.newqdisc(
      {
        ifindex: tc1,
        parent: TC_H_ROOT,
        handle: handle(3),
        kind: 'pfifo',
        options: { limit: 77 },
        stab: { base: { cellLog: 0, sizeLog: 0, cellAlign: 0, overhead: 24, linklayer: 1, mpu: 64, mtu: 0, tsize: 0 } },
      },
      { create: true, excl: true },
    );
    await tc.newqdisc({ ifindex: tc1, parent: TC_H_INGRESS, handle: handle(0xffff), kind: 'ingress' }, { create: true, excl: true });
    await tc.newqdisc({ ifindex: tc2, parent: TC_H_CLSACT, handle: handle(0xffff), kind: 'clsact' }, { create: true, excl: true });
    await ntf('newqdisc-ntf', (m) => m.ifindex === tc2 && m.kind === 'clsact');

    const shown = JSON.parse(ns.exec('tc', ['-j', '-s', 'qdisc', 'show'])) as ShownQdisc[];
    const ours = await tc.getqdiscDump({}).toArray();
    const byDev = (dev: string, kind: string) => [shown.find((s) => s.dev === dev && s.kind === kind)!, ours.find((q) => q.ifindex === ifindex[dev] && q.kind === kind)!] as const;

    const [tTbf, oTbf] = byDev('tc3', 'tbf');
    if (oTbf.kind !== 'tbf') throw new Error('not tbf');
    const parms = oTbf.options!.parms!;
    expect(shownHandle(oTbf.handle, true)).toBe(tTbf.handle);
    expect({ rate: parms.rate.rate, burst: Math.round((parms.rate.rate * parms.buffer) / ticks / 1e6), lat: Math.round((parms.limit / parms.rate.rate) * 1e6 - parms.buffer / ticks) }).toEqual(tTbf.options);
    expect(tTbf.options).toEqual({ rate, burst: 12_500, lat: 10_000 });

    const [tFifo, oFifo] = byDev('tc1', 'pfifo');
    if (oFifo.kind !== 'pfifo') throw new Error('not pfifo');
    expect(oFifo.options).toEqual({ limit: tFifo.options!.limit });
    expect(oFifo.options!.limit).toBe(77);
    const [detailed] = JSON.parse(ns.exec('tc', ['-d', '-j', 'qdisc', 'show', 'dev', 'tc1', 'root'])) as { stab: { linklayer: string; overhead: number; mpu: number } }[];
    const base = oFifo.stab!.base!;
    expect({ linklayer: ['unaware', 'ethernet', 'atm'][base.linklayer], overhead: base.overhead, mpu: base.mpu }).toEqual({
      linklayer: detailed!.stab.linklayer,
      overhead: detailed!.stab.overhead,
      mpu: detailed!.stab.mpu,
    });
    expect(detailed!.stab).toMatchObject({ linklayer: 'ethernet', overhead: 24, mpu: 64 });

    for (const [dev, kind] of [
      ['tc1', 'ingress'],
      ['tc2', 'clsact'],
    ] as const) {
      const [t, o] = byDev(dev, kind);
      expect(shownHandle(o.handle, true)).toBe(t.handle);
      expect(o.parent).toBe(TC_H_INGRESS);
      expect(t.parent).toBe('ffff:fff1');
    }
    for (const [t, o] of [byDev('tc3', 'tbf'), byDev('tc1', 'pfifo'), byDev('tc1', 'ingress'), byDev('tc2', 'clsact')]) {
      expect({ bytes: Number(o.stats2!.basic!.bytes), packets: o.stats2!.basic!.packets, drops: o.stats2!.queue!.drops, qlen: o.stats2!.queue!.qlen, backlog: o.stats2!.queue!.backlog }).toEqual({
        bytes: t.bytes,
        packets: t.packets,
        drops: t.drops,
        qlen: t.qlen,
        backlog: t.backlog,
      });
    }

    // One qdisc by parent and handle: the kernel answers RTM_GETQDISC with rtnetlink_send, to the requester only
    // with NLM_F_ECHO; without it the answer goes to RTNLGRP_TC, so the request gets an ACK alone and the listener
    // hears the qdisc as a notification.
    const from = log.seen.length;
    await expect(tc.getqdisc({ ifindex: tc1, parent: TC_H_ROOT, handle: handle(3) })).rejects.toThrow(/sent no reply \(a family that answers only with NLM_F_ECHO needs \{ echo: true \}\)/);
    const heard = await ntf('newqdisc-ntf', (m) => m.ifindex === tc1 && m.handle === handle(3), from);
    if (heard.msg.kind !== 'pfifo') throw new Error('not pfifo');
    expect(heard.msg.options).toEqual({ limit: 77 });
    // With NLM_F_ECHO the requester gets it too, as the reply.
    const echoed = await tc.getqdisc({ ifindex: tc1, parent: TC_H_ROOT, handle: handle(3) }, { echo: true });
    expect([echoed.ifindex, echoed.handle, echoed.kind, echoed.kind === 'pfifo' ? echoed.options : undefined]).toEqual([tc1, handle(3), 'pfifo', { limit: 77 }]);

    // Deleting the root qdisc brings back the device's default, and is notified.
    await tc.delqdisc({ ifindex: tc3, parent: TC_H_ROOT, handle: handle(2), kind: 'tbf' });
    await ntf('delqdisc-ntf', (m) => m.ifindex === tc3 && m.kind === 'tbf');
    expect((JSON.parse(ns.exec('tc', ['-j', 'qdisc', 'show', 'dev', 'tc3'])) as ShownQdisc[]).map((s) => s.kind)).not.toContain('tbf');
  });

  test('a shared filter block: two ingress sides on block 5, a filter added to the block itself', async () => {
    const TCM_IFINDEX_MAGIC_BLOCK = -1;
    ns.ip('link', 'add', 'tc4', 'type', 'veth', 'peer', 'name', 'tc5');
    for (const l of ns.ipJson<{ ifname: string; ifindex: number }[]>('link', 'show')) ifindex[l.ifname] = l.ifindex;
    await tc.newqdisc({ ifindex: ifindex.tc4!, parent: TC_H_CLSACT, handle: handle(0xffff), kind: 'clsact', ingressBlock: 5 }, { create: true, excl: true });
    await tc.newqdisc({ ifindex: ifindex.tc5!, parent: TC_H_INGRESS, handle: handle(0xffff), kind: 'ingress', ingressBlock: 5 }, { create: true, excl: true });
    await tc.newtfilter(
      {
        ifindex: TCM_IFINDEX_MAGIC_BLOCK,
        parent: 5,
        handle: 1,
        info: filterInfo(4, ETH_P_IP),
        kind: 'bpf',
        options: { classid: handle(1, 1), opsLen: 1, ops: new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0]) },
      },
      { create: true, excl: true },
    );
    const shownQ = (JSON.parse(ns.exec('tc', ['-j', 'qdisc', 'show'])) as (ShownQdisc & { ingress_block?: number })[]).filter((q) => q.ingress_block !== undefined);
    const ours = (await tc.getqdiscDump({}).toArray()).filter((q) => q.ingressBlock !== undefined);
    expect(ours.map((q) => [q.ifindex, q.kind, q.ingressBlock]).sort()).toEqual(shownQ.map((q) => [ifindex[q.dev], q.kind, q.ingress_block]).sort());
    expect(ours).toHaveLength(2);

    const shownF = (JSON.parse(ns.exec('tc', ['-j', 'filter', 'show', 'block', '5'])) as { pref: number; kind: string; options?: { handle: string; flowid: string } }[]).filter((f) => f.options);
    const block = (await tc.gettfilterDump({ ifindex: TCM_IFINDEX_MAGIC_BLOCK, parent: 5 }).toArray()).filter((f) => f.options !== undefined);
    expect(block.map((f) => ({ pref: f.info >>> 16, kind: f.kind, handle: `0x${hex(f.handle)}`, flowid: f.kind === 'bpf' ? shownHandle(f.options!.classid!) : '' }))).toEqual(
      shownF.map((f) => ({ pref: f.pref, kind: f.kind, handle: f.options!.handle, flowid: f.options!.flowid })),
    );
    expect(block).toHaveLength(1);
    // The block's filters are the ingress filters of both devices.
    const viaDev = (await tc.gettfilterDump({ ifindex: ifindex.tc5!, parent: ((TC_H_INGRESS & 0xffff0000) | 0xfff2) >>> 0 }).toArray()).filter((f) => f.options !== undefined);
    expect(viaDev.map((f) => f.kind)).toEqual(['bpf']);
  });

  test('standalone actions: create, list and get against tc -j actions, delete; each notified', async () => {
    const TC_ACT_PIPE = 3;
    const mirror = { kind: 'mirred' as const, index: 42, options: { parms: { index: 42, capab: 0, action: TC_ACT_PIPE, refcnt: 0, bindcnt: 0, eaction: 'egress-mirror' as const, ifindex: ifindex.tc1! } } };
    await tc.newaction({ tcaFamily: 0, tab: [mirror] }, { create: true, excl: true });
    const n = await ntf('newaction-ntf', (m) => m.tab?.[0]?.kind === 'mirred');
    if (n.name !== 'newaction-ntf' || n.msg.tab?.[0]?.kind !== 'mirred') throw new Error('not a mirred action');
    expect(n.msg.tab[0].options?.parms?.index).toBe(42);

    type ShownAction = { kind: string; mirred_action: string; direction: string; to_dev: string; control_action: { type: string }; index: number; ref: number; bind: number; stats?: Record<string, number> };
    const [total, listed] = JSON.parse(ns.exec('tc', ['-j', '-s', 'actions', 'list', 'action', 'mirred'])) as [{ 'total acts': number }, { actions: ShownAction[] }];
    // TCA_ROOT_COUNT is filled in only when the dump asks for large dumps, as tc does.
    const dumped = await tc.getactionDump({ tcaFamily: 0, tab: [{ kind: 'mirred' }], flags: { value: 1, selector: 1 } }).toArray();
    expect(dumped.reduce((k, m) => k + (m.count ?? 0), 0)).toBe(total['total acts']);
    const ours = dumped.flatMap((m) => m.tab ?? []);
    expect(ours).toHaveLength(listed.actions.length);
    // The bpf filter's redirect (bound to it) and the mirror made here.
    expect(listed.actions.map((a) => a.index).sort()).toEqual([1, 42]);
    const words = { 'egress-mirror': ['egress', 'mirror'], 'egress-redir': ['egress', 'redirect'] } as Record<string, [string, string]>;
    const verdicts: Record<number, string> = { 3: 'pipe', 4: 'stolen' };
    for (const a of ours) {
      if (a.kind !== 'mirred') throw new Error('not mirred');
      const p = a.options!.parms!;
      const t = listed.actions.find((x) => x.index === p.index)!;
      expect({ kind: a.kind, direction: words[p.eaction as string]![0], mirred_action: words[p.eaction as string]![1], to: p.ifindex, verdict: verdicts[p.action], ref: p.refcnt, bind: p.bindcnt }).toEqual({
        kind: t.kind,
        direction: t.direction,
        mirred_action: t.mirred_action,
        to: ifindex[t.to_dev],
        verdict: t.control_action.type,
        ref: t.ref,
        bind: t.bind,
      });
      const st = a.stats!;
      expect({ bytes: Number(st.basic!.bytes), packets: st.basic!.packets, drops: st.queue!.drops, overlimits: st.queue!.overlimits, requeues: st.queue!.requeues, backlog: st.queue!.backlog, qlen: st.queue!.qlen }).toEqual(t.stats);
    }

    // One action by kind and index, like `tc actions get`.
    const got = await tc.getaction({ tcaFamily: 0, tab: [{ kind: 'mirred', index: 42 }] });
    const [, shownOne] = JSON.parse(ns.exec('tc', ['-j', 'actions', 'get', 'action', 'mirred', 'index', '42'])) as [unknown, { actions: ShownAction[] }];
    expect(got.tab).toHaveLength(1);
    const g = got.tab![0]!;
    if (g.kind !== 'mirred') throw new Error('not mirred');
    expect([g.options!.parms!.index, g.options!.parms!.eaction, g.options!.parms!.ifindex]).toEqual([shownOne.actions[0]!.index, 'egress-mirror', ifindex[shownOne.actions[0]!.to_dev]]);

    await tc.delaction({ tcaFamily: 0, tab: [{ kind: 'mirred', index: 42 }] });
    await ntf('delaction-ntf', (m) => m.tab?.[0]?.kind === 'mirred');
    const [, left] = JSON.parse(ns.exec('tc', ['-j', 'actions', 'list', 'action', 'mirred'])) as [unknown, { actions: ShownAction[] }];
    expect(left.actions.map((a) => a.index)).toEqual([1]);
    const again = await tc.delaction({ tcaFamily: 0, tab: [{ kind: 'mirred', index: 42 }] }).catch((x: unknown) => x);
    expect(again).toBeInstanceOf(NetlinkError);
    expect((again as NetlinkError).errno).toBe(2);
    expect((again as NetlinkError).extack.message).toBe('TC action with specified index not found');
  });

  test('refusals carry the kernel\'s extack message', async () => {
    const tc2 = ifindex.tc2!;
    // No such qdisc kind is built into this kernel (and modules cannot be loaded).
    const unknown = await tc.newqdisc({ ifindex: tc2, parent: TC_H_ROOT, handle: handle(9), kind: 'nlgen-none' }, { create: true, excl: true }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NetlinkError);
    const e = unknown as NetlinkError;
    expect(e.errno).toBe(2);
    expect(e.extack.message).toBe('Specified qdisc kind is unknown');
    expect(e.message).toContain('Specified qdisc kind is unknown');

    // A second clsact on the same device.
    const twice = await tc.newqdisc({ ifindex: tc2, parent: TC_H_CLSACT, handle: handle(0xffff), kind: 'clsact' }, { create: true, excl: true }).catch((x: unknown) => x);
    expect(twice).toBeInstanceOf(NetlinkError);
    expect((twice as NetlinkError).errno).toBe(17);
    expect((twice as NetlinkError).extack.message).toBe('Exclusivity flag on, cannot modify');

    // A filter's options the classifier refuses: u32 without a selector names the attribute.
    const nosel = await tc
      .newtfilter({ ifindex: ifindex.tc0!, parent: handle(1), info: filterInfo(9, ETH_P_IP), kind: 'u32', options: { classid: handle(1, 0x10) } }, { create: true, excl: true })
      .catch((x: unknown) => x);
    expect(nosel).toBeInstanceOf(NetlinkError);
    expect((nosel as NetlinkError).errno).toBe(22);
    expect((nosel as NetlinkError).extack.message).toBe('cls_u32: Selector not specified');

    // An action cookie longer than TC_COOKIE_MAX_SIZE (16) fails the action policy: the kernel points at the
    // attribute, and the client names it.
    const cookie = await tc
      .newtfilter(
        {
          ifindex: ifindex.tc0!,
          parent: handle(1),
          handle: 5,
          info: filterInfo(5, ETH_P_IP),
          kind: 'bpf',
          options: {
            classid: handle(1, 0x10),
            opsLen: 1,
            ops: new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0]),
            act: [{ kind: 'mirred', cookie: new Uint8Array(20), options: { parms: { index: 0, capab: 0, action: TC_ACT_STOLEN, refcnt: 0, bindcnt: 0, eaction: 'egress-redir', ifindex: ifindex.tc1! } } }],
          },
        },
        { create: true, excl: true },
      )
      .catch((x: unknown) => x);
    expect(cookie).toBeInstanceOf(NetlinkError);
    const ce = cookie as NetlinkError;
    expect(ce.errno).toBe(34);
    expect(ce.extack.message).toBe('Attribute failed policy validation');
    expect(ce.extack.policy?.maxLength).toBe(16);
    // The first action of the request, named as a validation error would name it.
    expect(ce.path).toBe('options(bpf).act[0].cookie');
    // Nothing was created.
    expect((JSON.parse(ns.exec('tc', ['-j', 'filter', 'show', 'dev', 'tc0', 'parent', '1:'])) as { pref: number }[]).map((f) => f.pref)).not.toContain(5);
  });
});
