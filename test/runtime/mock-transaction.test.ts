// Transactions without a kernel: a generated client's `transaction` against MockKernel handlers for the batch
// messages and the requests, as an app's unit test would run it. The mock answers like nfnetlink: every request of
// the batch, and none when the begin message is refused.
import { describe, expect, test } from 'vitest';
import { MockError, MockKernel, NetlinkError, TransactionError } from '../../runtime/index.js';
import { loadGenerated } from '../support/load-generated.js';
import { nftTablesSpec } from '../support/nft-tables-spec.js';

const NETLINK_NETFILTER = 12;
const tables = new Set<string>();

/** The table name of a NEWTABLE payload (nfgenmsg, then NFTA_TABLE_NAME, attribute 1). */
const tableName = (p: Uint8Array) => new TextDecoder().decode(p.subarray(8, 4 + (p[4]! | (p[5]! << 8)) - 1));

describe('transactions on the mock kernel', () => {
  test('committed, refused request by request, and refused as a whole', async () => {
    const kernel = new MockKernel();
    const seen: number[] = [];
    let genid = 7;
    kernel.on(0x10, (req) => {
      seen.push(req.type);
      // NFNL_BATCH_GENID (attribute 1, big-endian) after the 4-byte nfgenmsg: refuse a stale one.
      if (req.payload.length >= 12 && new DataView(req.payload.buffer, req.payload.byteOffset).getUint32(8) !== genid) throw new MockError('ERESTART');
    }, NETLINK_NETFILTER);
    kernel.on(0x11, (req) => void seen.push(req.type), NETLINK_NETFILTER);
    kernel.on(0xa00, (req) => {
      seen.push(req.type);
      const name = tableName(req.payload);
      if (tables.has(name)) throw new MockError('EEXIST', { message: 'table exists', offset: 20 });
      tables.add(name);
    }, NETLINK_NETFILTER);
    const mod = await loadGenerated(nftTablesSpec);
    const client = await mod.NftTablesChains.open({ transport: kernel.transport() });
    try {
      await client.transaction((tx: any) => {
        tx.newtable({ nfgenFamily: 1, name: 'a' });
        tx.newtable({ nfgenFamily: 1, name: 'b' });
      });
      expect(seen).toEqual([0x10, 0xa00, 0xa00, 0x11]);
      expect([...tables]).toEqual(['a', 'b']);

      const err = await client.transaction((tx: any) => {
        tx.newtable({ nfgenFamily: 1, name: 'c' });
        tx.newtable({ nfgenFamily: 1, name: 'a' });
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransactionError);
      expect([(err as TransactionError).index, (err as TransactionError).op]).toEqual([1, 'newtable']);
      expect(((err as TransactionError).error as NetlinkError).code).toBe('EEXIST');
      // The extack offset points at the name attribute of the second request: named by the client's tables.
      expect(((err as TransactionError).error as NetlinkError & { path?: string }).path).toBe('name');

      seen.length = 0;
      const stale = await client.transaction((tx: any) => tx.newtable({ nfgenFamily: 1, name: 'd' }), { begin: { genid: 6 } }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(NetlinkError);
      expect((stale as NetlinkError).code).toBe('ERESTART');
      // Refused at the begin message: the request was never looked at.
      expect(seen).toEqual([0x10]);
      expect(tables.has('d')).toBe(false);
      genid = 6;
      await client.transaction((tx: any) => tx.newtable({ nfgenFamily: 1, name: 'd' }), { begin: { genid: 6 } });
      expect(tables.has('d')).toBe(true);
      expect(client.socket.pendingCount).toBe(0);
    } finally {
      client.close();
    }
  });
});
