// A generated client's `transaction`: a family whose spec has batch messages (`batch-begin`/`batch-end`, as nfnetlink
// subsystems do) gets a typed transaction builder. Here a small nf_tables spec written in this test (numbers from
// linux/netfilter/nf_tables.h and nfnetlink.h) runs against the kernel in a throwaway namespace, with `nft -j list
// ruleset` as the oracle: all or nothing, the first failing request named with its property path, validation before
// anything is sent, and the generation check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError, TransactionError, ValidationError } from '../../runtime/index.js';
import { loadGenerated } from '../support/load-generated.js';
import { nftTablesSpec as spec } from '../support/nft-tables-spec.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { toolSkipReason } from '../support/tools.js';

const skip = liveSkipReason() ?? toolSkipReason('nft', 'nftables');


const NFPROTO_INET = 1;

describe.skipIf(skip !== undefined)('generated transactions, live', () => {
  let ns: TestNetns;
  let client: any;
  const ruleset = () => (JSON.parse(ns.exec('nft', ['-j', 'list', 'ruleset'])) as { nftables: Record<string, { name: string }>[] }).nftables.filter((x) => !('metainfo' in x));
  beforeAll(async () => {
    ns = createNetns('nlgtx');
    const mod = await loadGenerated(spec);
    client = await mod.NftTablesChains.open({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.dispose();
  });

  test('the builder has the changes only, not the lookups or the batch messages', () => {
    const seen: string[] = [];
    void client.transaction((tx: Record<string, unknown>) => void seen.push(...Object.keys(tx))).catch(() => undefined);
    expect(seen.sort()).toEqual(['deltable', 'newchain', 'newtable']);
  });

  test('a failing request: TransactionError names it (index, op, errno, path); nothing applied', async () => {
    const err = await client
      .transaction((tx: any) => {
        tx.newtable({ nfgenFamily: NFPROTO_INET, name: 'ta' }, { create: true });
        tx.newchain({ nfgenFamily: NFPROTO_INET, table: 'ta', name: 'c1' }, { create: true });
        tx.newchain({ nfgenFamily: NFPROTO_INET, table: 'nope', name: 'c2' }, { create: true });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionError);
    const t = err as TransactionError;
    expect([t.index, t.op, t.size, t.failures.length]).toEqual([2, 'newchain', 3, 1]);
    expect(t.error).toBeInstanceOf(NetlinkError);
    expect((t.error as NetlinkError).code).toBe('ENOENT');
    // nf_tables points its extack at the table attribute it could not find.
    expect((t.error as NetlinkError & { path?: string }).path).toBe('table');
    expect(t.message).toMatch(/^nft-tables-chains transaction aborted, nothing applied: request 2 \(newchain\) failed: .*ENOENT.* \(at table\)$/);
    expect(ruleset()).toEqual([]);
  });

  test('an invalid request fails validation before anything is sent', async () => {
    const calls = client.socket.sendCalls;
    const err = await client
      .transaction((tx: any) => {
        tx.newtable({ nfgenFamily: NFPROTO_INET, name: 'tb' }, { create: true });
        tx.newtable({ nfgenFamily: NFPROTO_INET, name: 'x'.repeat(300) }, { create: true });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).path).toBe('name');
    expect(client.socket.sendCalls).toBe(calls);
    expect(ruleset()).toEqual([]);
  });

  test('all good: committed; with the current generation id, then refused with a stale one (ERESTART)', async () => {
    await client.transaction((tx: any) => {
      tx.newtable({ nfgenFamily: NFPROTO_INET, name: 'tc' }, { create: true });
      tx.newchain({ nfgenFamily: NFPROTO_INET, table: 'tc', name: 'c1' }, { create: true });
    });
    expect(ruleset().map((x) => `${Object.keys(x)[0]} ${Object.values(x)[0]!.name}`).sort()).toEqual(['chain c1', 'table tc']);
    const { id } = await client.getgen({ nfgenFamily: 0 });
    await client.transaction((tx: any) => tx.newchain({ nfgenFamily: NFPROTO_INET, table: 'tc', name: 'c2' }, { create: true }), { begin: { genid: id } });
    const stale = await client
      .transaction((tx: any) => tx.newchain({ nfgenFamily: NFPROTO_INET, table: 'tc', name: 'c3' }, { create: true }), { begin: { genid: id } })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(NetlinkError);
    expect((stale as NetlinkError).code).toBe('ERESTART');
    expect(ruleset().filter((x) => 'chain' in x).map((x) => x.chain!.name).sort()).toEqual(['c1', 'c2']);
    await client.transaction((tx: any) => tx.deltable({ nfgenFamily: NFPROTO_INET, name: 'tc' }));
    expect(ruleset()).toEqual([]);
  });

  test('nlgen do --multi on such a family is one transaction: all applied, or none with each op\'s fate printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlgen-tx-'));
    try {
      writeFileSync(join(dir, 'nft.yaml'), spec);
      const nlgen = (...args: string[]) => {
        const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'bin', 'nlgen.js'), 'do', '--spec', join(dir, 'nft.yaml'), '--netns', ns.name, '--create', ...args], { encoding: 'utf8', env: { ...process.env, NLGEN_CACHE_DIR: join(dir, 'cache') } });
        return { code: r.status, lines: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>), err: r.stderr };
      };
      const bad = nlgen('--multi', 'newtable', '{"nfgenFamily":1,"name":"tm"}', '--multi', 'newchain', '{"nfgenFamily":1,"table":"nope","name":"c"}');
      expect(bad.code).toBe(1);
      expect(bad.lines.map((l) => [l.op, l.ok ?? false, l.applied, l.error?.code, l.error?.path])).toEqual([
        ['newtable', true, false, undefined, undefined],
        ['newchain', false, undefined, 'ENOENT', 'table'],
      ]);
      expect(ruleset()).toEqual([]);
      const good = nlgen('--multi', 'newtable', '{"nfgenFamily":1,"name":"tm"}', '--multi', 'newchain', '{"nfgenFamily":1,"table":"tm","name":"c"}');
      expect(good).toMatchObject({ code: 0, err: '' });
      expect(good.lines).toEqual([{ op: 'newtable', ok: true }, { op: 'newchain', ok: true }]);
      expect(ruleset().map((x) => `${Object.keys(x)[0]} ${Object.values(x)[0]!.name}`).sort()).toEqual(['chain c', 'table tm']);
      // A lookup cannot be part of a transaction: said before anything is sent.
      const lookup = nlgen('--multi', 'getgen', '{"nfgenFamily":0}');
      expect(lookup.code).toBe(2);
      expect(lookup.err).toMatch(/getgen cannot be part of a transaction/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
