// conntrack (ctnetlink over NETLINK_NETFILTER) through the generated client, against `conntrack -L` (Debian's
// conntrack-tools) in a throwaway namespace. Entries are made with IPCTNL_MSG_CT_NEW from their tuples — no packet is
// ever sent — then dumped, looked up, changed, deleted and flushed; notifications are typed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Conntrack, type NewRequest } from '../../generated/conntrack.js';
import { NetlinkError } from '../../runtime/index.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';

const skip = liveSkipReason() ?? toolSkipReason('conntrack', 'conntrack');


const AF_INET = 2;
const AF_INET6 = 10;

/** One entry of `conntrack -L -o extended,id` as fields: the first src/dst/sport/dport are the original direction. */
interface Listed {
  family: string;
  proto: string;
  timeout: number;
  state?: string;
  orig: { src: string; dst: string; sport?: number; dport?: number };
  reply: { src: string; dst: string; sport?: number; dport?: number };
  mark: number;
  id: number;
  assured: boolean;
}

function conntrackList(ns: TestNetns, ...args: string[]): Listed[] {
  const out = ns.exec('conntrack', ['-L', '-o', 'extended,id', ...args]);
  return out
    .split('\n')
    .filter((l) => /^ipv[46]\s/.test(l))
    .map((l) => {
      const words = l.split(/\s+/);
      const kv = (k: string) => words.filter((w) => w.startsWith(`${k}=`)).map((w) => w.slice(k.length + 1));
      const [src, dst, sport, dport] = [kv('src'), kv('dst'), kv('sport'), kv('dport')];
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      return {
        family: words[0]!,
        proto: words[2]!,
        timeout: Number(words[4]),
        state: /^[A-Z_]+$/.test(words[5]!) ? words[5] : undefined,
        orig: { src: src[0]!, dst: dst[0]!, sport: num(sport[0]), dport: num(dport[0]) },
        reply: { src: src[1]!, dst: dst[1]!, sport: num(sport[1]), dport: num(dport[1]) },
        mark: Number(kv('mark')[0] ?? 0),
        id: Number(kv('id')[0]),
        assured: l.includes('[ASSURED]'),
      };
    });
}

const tcp4: NewRequest = {
  nfgenFamily: AF_INET,
  tupleOrig: { tupleIp: { ipV4Src: '192.0.2.1', ipV4Dst: '198.51.100.2' }, tupleProto: { protoNum: 6, protoSrcPort: 40000, protoDstPort: 443 } },
  tupleReply: { tupleIp: { ipV4Src: '198.51.100.2', ipV4Dst: '192.0.2.1' }, tupleProto: { protoNum: 6, protoSrcPort: 443, protoDstPort: 40000 } },
  protoinfo: { protoinfoTcp: { tcpState: 'established' } },
  status: ['seen-reply', 'assured', 'confirmed'],
  timeout: 120,
  mark: 7,
};
const udp6: NewRequest = {
  nfgenFamily: AF_INET6,
  tupleOrig: { tupleIp: { ipV6Src: '2001:db8::1', ipV6Dst: '2001:db8::2' }, tupleProto: { protoNum: 17, protoSrcPort: 5353, protoDstPort: 53 } },
  tupleReply: { tupleIp: { ipV6Src: '2001:db8::2', ipV6Dst: '2001:db8::1' }, tupleProto: { protoNum: 17, protoSrcPort: 53, protoDstPort: 5353 } },
  timeout: 60,
  mark: 9,
};

describe.skipIf(skip !== undefined)('conntrack, live', () => {
  let ns: TestNetns;
  let ct: Conntrack;
  beforeAll(async () => {
    ns = createNetns('nlct');
    ct = await Conntrack.open({ netns: ns.name });
  });
  afterAll(() => {
    ct?.close();
    ns?.dispose();
  });

  test('new entries from tuples; the dump holds what conntrack -L lists, field by field', async () => {
    await ct.new(tcp4, { create: true, excl: true });
    await ct.new(udp6, { create: true, excl: true });
    const ours = await ct.getDump({ nfgenFamily: 0 }).toArray();
    const theirs = conntrackList(ns);
    expect(ours).toHaveLength(2);
    expect(theirs).toHaveLength(2);
    for (const t of theirs) {
      const o = ours.find((x) => x.id === t.id)!;
      expect(o, `id ${t.id}`).toBeDefined();
      const ip = (d: typeof o.tupleOrig) => ({ src: d?.tupleIp?.ipV4Src ?? d?.tupleIp?.ipV6Src, dst: d?.tupleIp?.ipV4Dst ?? d?.tupleIp?.ipV6Dst, sport: d?.tupleProto?.protoSrcPort, dport: d?.tupleProto?.protoDstPort });
      expect(ip(o.tupleOrig)).toEqual(t.orig);
      expect(ip(o.tupleReply)).toEqual(t.reply);
      expect(o.mark).toBe(t.mark);
      expect({ ipv4: AF_INET, ipv6: AF_INET6 }[t.family]).toBe(o.nfgenFamily);
      expect({ tcp: 6, udp: 17 }[t.proto]).toBe(o.tupleOrig?.tupleProto?.protoNum);
      expect(Math.abs(o.timeout! - t.timeout)).toBeLessThanOrEqual(2);
      expect(o.status?.includes('assured')).toBe(t.assured);
      if (t.state !== undefined) expect(o.protoinfo?.protoinfoTcp?.tcpState?.toString().toUpperCase()).toBe(t.state);
    }
  });

  test('get by tuple; a second create with excl is EEXIST; a change without it updates the mark', async () => {
    const got = await ct.get({ nfgenFamily: AF_INET, tupleOrig: tcp4.tupleOrig });
    const listed = conntrackList(ns, '-p', 'tcp');
    expect(got.id).toBe(listed[0]!.id);
    const dup = await ct.new(tcp4, { create: true, excl: true }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(NetlinkError);
    expect((dup as NetlinkError).code).toBe('EEXIST');
    await ct.new({ nfgenFamily: AF_INET, tupleOrig: tcp4.tupleOrig, mark: 42 });
    expect(conntrackList(ns, '-p', 'tcp')[0]!.mark).toBe(42);
    expect((await ct.get({ nfgenFamily: AF_INET, tupleOrig: tcp4.tupleOrig })).mark).toBe(42);
    // A dump filtered by mark: the kernel returns only the matching entry.
    const marked = await ct.getDump({ nfgenFamily: 0, mark: 9, markMask: 0xffffffff }).toArray();
    expect(marked.map((m) => m.tupleOrig?.tupleIp?.ipV6Src)).toEqual(['2001:db8::1']);
  });

  test('get-stats counts the entries conntrack -C counts', async () => {
    const stats = await ct.getStats({ nfgenFamily: 0 });
    expect(stats.entries).toBe(Number(ns.exec('conntrack', ['-C']).trim()));
    expect(stats.maxEntries).toBeGreaterThan(0);
    const perCpu = await ct.getStatsCpuDump({ nfgenFamily: 0 }).toArray();
    expect(perCpu.length).toBeGreaterThanOrEqual(1);
  });

  test('notifications: a created and a destroyed entry, typed', async () => {
    const events = ct.subscribe(['conntrack-new', 'conntrack-destroy']);
    try {
      const it = events[Symbol.asyncIterator]();
      const other = await Conntrack.open({ netns: ns.name });
      try {
        const made: NewRequest = { ...tcp4, tupleOrig: { ...tcp4.tupleOrig, tupleProto: { protoNum: 6, protoSrcPort: 40001, protoDstPort: 443 } }, tupleReply: { ...tcp4.tupleReply, tupleProto: { protoNum: 6, protoSrcPort: 443, protoDstPort: 40001 } } };
        await other.new(made, { create: true, excl: true });
        const created = (await it.next()).value;
        expect(created?.name).toBe('new-ntf');
        expect(created?.name === 'new-ntf' ? created.msg.tupleOrig?.tupleProto?.protoSrcPort : undefined).toBe(40001);
        await other.delete({ nfgenFamily: AF_INET, tupleOrig: made.tupleOrig });
        const gone = (await it.next()).value;
        expect(gone?.name).toBe('delete-ntf');
        expect(gone?.name === 'delete-ntf' ? gone.msg.tupleOrig?.tupleProto?.protoSrcPort : undefined).toBe(40001);
      } finally {
        other.close();
      }
    } finally {
      events.close();
    }
  });

  test('delete one by tuple (ENOENT after), then flush the rest', async () => {
    await ct.delete({ nfgenFamily: AF_INET6, tupleOrig: udp6.tupleOrig });
    expect(conntrackList(ns).map((e) => e.family)).toEqual(['ipv4']);
    const missing = await ct.get({ nfgenFamily: AF_INET6, tupleOrig: udp6.tupleOrig }).catch((e: unknown) => e);
    expect((missing as NetlinkError).code).toBe('ENOENT');
    // No tuple: every entry of the header's family goes.
    await ct.delete({ nfgenFamily: AF_INET });
    expect(conntrackList(ns)).toEqual([]);
    expect(await ct.getDump({ nfgenFamily: 0 }).toArray()).toEqual([]);
  });
});
