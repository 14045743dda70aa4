// NetlinkSocket.transaction: a batch (NFNL_MSG_BATCH_BEGIN, requests, NFNL_MSG_BATCH_END) in one datagram, against
// nf_tables in a throwaway namespace, with `nft -j list ruleset` (Debian's nftables) as the oracle. Messages are built
// here by hand from linux/netfilter/nfnetlink.h and nf_tables.h (no nftables family ships yet): all-or-nothing with
// the failing request named, and the generation check that refuses a batch begun on a stale ruleset.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AttrWriter, NetlinkError, NetlinkSocket, NLM_F_CREATE, type RequestResult } from '../../runtime/index.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';

const NETLINK_NETFILTER = 12;
const NFNL_MSG_BATCH_BEGIN = 0x10;
const NFNL_MSG_BATCH_END = 0x11;
const NFNL_BATCH_GENID = 1;
const NFNL_SUBSYS_NFTABLES = 10;
const NFT_MSG_NEWTABLE = 0;
const NFT_MSG_NEWCHAIN = 3;
const NFT_MSG_NEWGEN = 15;
const NFT_MSG_GETGEN = 16;
const NFTA_TABLE_NAME = 1;
const NFTA_CHAIN_TABLE = 1;
const NFTA_CHAIN_NAME = 3;
const NFTA_GEN_ID = 1;
const NFPROTO_INET = 1;

const skip = liveSkipReason() ?? toolSkipReason('nft', 'nftables');

/** struct nfgenmsg: family, version NFNETLINK_V0, res_id (big-endian). */
const nfgen = (w: AttrWriter, family: number, resId = 0) => w.rawU8(family).rawU8(0).rawU16(resId, true);
const subsys = (msg: number) => (NFNL_SUBSYS_NFTABLES << 8) | msg;

function batch(genid?: number) {
  const b = new AttrWriter();
  nfgen(b, 0, NFNL_SUBSYS_NFTABLES);
  if (genid !== undefined) b.u32(NFNL_BATCH_GENID, genid, true);
  const e = new AttrWriter();
  nfgen(e, 0, NFNL_SUBSYS_NFTABLES);
  return { begin: { type: NFNL_MSG_BATCH_BEGIN, payload: b.finish() }, end: { type: NFNL_MSG_BATCH_END, payload: e.finish() } };
}
const newTable = (name: string) => {
  const w = new AttrWriter();
  nfgen(w, NFPROTO_INET);
  return { type: subsys(NFT_MSG_NEWTABLE), flags: NLM_F_CREATE, payload: w.string(NFTA_TABLE_NAME, name).finish() };
};
const newChain = (table: string, name: string) => {
  const w = new AttrWriter();
  nfgen(w, NFPROTO_INET);
  return { type: subsys(NFT_MSG_NEWCHAIN), flags: NLM_F_CREATE, payload: w.string(NFTA_CHAIN_TABLE, table).string(NFTA_CHAIN_NAME, name).finish() };
};

describe.skipIf(skip !== undefined)('transactions (nfnetlink batches), live', () => {
  let ns: TestNetns;
  let sock: NetlinkSocket;
  const ruleset = () => (JSON.parse(ns.exec('nft', ['-j', 'list', 'ruleset'])) as { nftables: Record<string, { name: string; table?: string }>[] }).nftables.filter((x) => !('metainfo' in x));
  beforeAll(async () => {
    ns = createNetns('nltx');
    sock = await NetlinkSocket.open(NETLINK_NETFILTER, { netns: ns.name });
  });
  afterAll(() => {
    sock?.close();
    ns?.dispose();
  });

  test('a failing request in the middle: nothing applied, the failing one named by its outcome', async () => {
    // More requests than the socket's window (maxInFlight 4 here): they still leave in one datagram.
    const small = await NetlinkSocket.open(NETLINK_NETFILTER, { netns: ns.name, maxInFlight: 4 });
    try {
      const many = [newTable('w'), ...Array.from({ length: 9 }, (_, i) => newChain('w', `w${i}`)), newChain('no-such-table', 'x')];
      const calls = small.sendCalls;
      const res = await small.transaction(many, batch());
      expect(small.sendCalls - calls).toBe(1);
      expect(res.map((o) => (o instanceof NetlinkError ? o.code : 'ok'))).toEqual([...Array(10).fill('ok'), 'ENOENT']);
      expect(ruleset()).toEqual([]);
    } finally {
      small.close();
    }
    const out = await sock.transaction([newTable('t1'), newChain('t1', 'c1'), newChain('no-such-table', 'c2'), newChain('t1', 'c3')], batch());
    expect(out).toHaveLength(4);
    const errors = out.map((o) => (o instanceof NetlinkError ? o.code : 'ok'));
    // The kernel answers every request of an aborted batch: the good ones with an ACK, the bad one with its error.
    expect(errors[2]).toBe('ENOENT');
    expect(errors.filter((e) => e !== 'ok')).toEqual(['ENOENT']);
    expect(ruleset()).toEqual([]);
  });

  test('all good: everything applied, one outcome per request, in one datagram', async () => {
    const before = sock.sendCalls;
    const out = await sock.transaction([newTable('t1'), newChain('t1', 'c1'), newChain('t1', 'c2')], batch());
    expect(sock.sendCalls - before).toBe(1);
    expect(out.every((o) => !(o instanceof Error))).toBe(true);
    expect((out[0] as RequestResult).messages).toEqual([]);
    const rs = ruleset();
    expect(rs.map((x) => Object.keys(x)[0] + ' ' + Object.values(x)[0]!.name).sort()).toEqual(['chain c1', 'chain c2', 'table t1']);
  });

  test('the generation check: a batch begun with a stale genid is refused as a whole (ERESTART), nothing applied', async () => {
    const w = new AttrWriter();
    nfgen(w, 0);
    const gen = await sock.request({ type: subsys(NFT_MSG_GETGEN), payload: w.finish() });
    const m = gen.messages[0]!;
    expect(m.type).toBe(subsys(NFT_MSG_NEWGEN));
    // NFTA_GEN_ID, big-endian, after the 4-byte nfgenmsg.
    const genid = m.view.getUint32(m.start + 4 + 4, false);
    expect(m.view.getUint16(m.start + 4 + 2, true)).toBe(NFTA_GEN_ID);
    const ok = await sock.transaction([newChain('t1', 'c3')], batch(genid));
    expect(ok[0]).not.toBeInstanceOf(Error);
    // The generation moved on with that commit: the same genid is stale now.
    const refused = await sock.transaction([newChain('t1', 'c4')], batch(genid)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetlinkError);
    expect((refused as NetlinkError).code).toBe('ERESTART');
    expect(ruleset().some((x) => 'chain' in x && x.chain!.name === 'c4')).toBe(false);
    // The socket is still good afterwards: nothing is left pending.
    expect(sock.pendingCount).toBe(0);
    const after = await sock.transaction([newChain('t1', 'c5')], batch());
    expect(after[0]).not.toBeInstanceOf(Error);
    expect(sock.pendingCount).toBe(0);
  });
});
