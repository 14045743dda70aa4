// nf_tables flowtables, which this machine's kernel lacks (no nf_flow_table), on Debian's stock kernel under QEMU:
// `nlgen do --multi` (one transaction through the shipped nftables client) creates a table, a flowtable on lo, a
// forward chain and a rule offloading to the flowtable (the flow_offload expression); `nft -j` (the host's nft,
// run in the guest) is the oracle, and the client's own dumps read them back. No packet is sent.
import { describe, expect, it } from 'vitest';
import { kernelOrSkip, missingPrerequisites, modulesWithDependencies, runInVm, vmFailure } from './harness.js';
import { jsonLines, sections } from './guest-output.js';

const reason = missingPrerequisites();

/** The guest's client program (one Node start: the guest is emulated), printing sections after `== name` lines. */
const program = `
import { Nftables } from './generated/dist/nftables.js';
const out = (v) => console.log(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));
const step = async (name, f) => { console.log('== ' + name); try { out({ ok: true, value: await f() }); } catch (e) { out({ ok: false, error: e.name, code: e.error?.code ?? e.code, index: e.index, op: e.op }); } };
const nft = await Nftables.open();
const f = { nfgenFamily: 1 };
await step('tx', () => nft.transaction((tx) => {
  tx.newtable({ ...f, name: 'vt' }, { create: true });
  tx.newflowtable({ ...f, table: 'vt', name: 'f1', hook: { num: 0, priority: 10, devs: { name: ['lo'] } } }, { create: true });
  tx.newchain({ ...f, table: 'vt', name: 'fw', hook: { num: 2, priority: 0 }, type: 'filter', policy: 'accept' }, { create: true });
  tx.newrule({ ...f, table: 'vt', chain: 'fw', expressions: { elem: [{ name: 'flow_offload', data: { name: 'f1' } }] } }, { create: true, append: true });
}));
await step('flowtables', () => nft.getflowtableDump(f).toArray());
await step('rules', () => nft.getruleDump({ ...f, table: 'vt' }).toArray());
await step('busy', () => nft.transaction((tx) => tx.delflowtable({ ...f, table: 'vt', name: 'f1' })));
nft.close();
`;

/** What the guest runs: the client program, with nft -j listings between its parts. */
const script = `
set -e
"$NODE" --input-type=module -e "$PROGRAM"
echo '== nft'
nft -j list ruleset
nft delete table inet vt
echo '== after'
nft -j list ruleset
`;

const nftObjects = (text = '') => ((JSON.parse(text.split('\n').find((l) => l.startsWith('{"nftables"')) ?? '{}') as { nftables: Record<string, any>[] }).nftables ?? []).filter((x) => !('metainfo' in x));

describe('nftables flowtables in a VM', () => {
  if (reason !== undefined && process.env.CI !== 'true') {
    it.skip(`skipped: ${reason} (apt-get install qemu-system-x86 busybox-static cpio kmod linux-headers-amd64)`, () => {});
    return;
  }

  it('a flowtable and a rule offloading to it, made in one transaction, read back by nft -j and by the client', async (ctx) => {
    expect(reason, 'the VM suite cannot run on this machine').toBeUndefined();
    const kernel = kernelOrSkip((why) => ctx.skip(why));
    if (kernel === undefined) return;
    const modules = modulesWithDependencies(kernel, ['nf_flow_table_inet', 'nft_flow_offload']);
    const r = await runInVm({ kernel, insmod: modules, command: ['/bin/sh', '-c', script], env: { PROGRAM: program, NODE: process.execPath }, timeoutMs: 480_000 });
    const failure = vmFailure(r);
    if (failure !== undefined) throw new Error(failure);
    const s = sections(r.output);
    expect(jsonLines(s.tx)).toEqual([{ ok: true }]);
    const nft = nftObjects(s.nft);
    const ft = nft.find((x) => 'flowtable' in x)?.flowtable;
    expect(ft).toMatchObject({ family: 'inet', table: 'vt', name: 'f1', hook: 'ingress', prio: 10, dev: 'lo' });
    const rule = nft.find((x) => 'rule' in x)?.rule;
    expect(rule?.expr).toEqual([{ flow: { op: 'add', flowtable: '@f1' } }]);

    const [flowtables] = jsonLines(s.flowtables);
    expect(flowtables?.value).toHaveLength(1);
    expect(flowtables?.value[0]).toMatchObject({ table: 'vt', name: 'f1', handle: ft.handle, hook: { num: 0, priority: 10, devs: { name: ['lo'] } } });
    const [rules] = jsonLines(s.rules);
    expect(rules?.value).toHaveLength(1);
    expect(rules?.value[0]).toMatchObject({ table: 'vt', chain: 'fw', handle: rule.handle, expressions: { elem: [{ name: 'flow_offload', data: { name: 'f1' } }] } });
    // A flowtable a rule still uses cannot go: EBUSY, the failing request named, nothing applied (nft still lists it).
    expect(jsonLines(s.busy)).toEqual([{ ok: false, error: 'TransactionError', code: 'EBUSY', index: 0, op: 'delflowtable' }]);
    expect(nftObjects(s.after)).toEqual([]);
  }, 600_000);
});
