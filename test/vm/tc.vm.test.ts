// tc kinds this machine's kernel lacks (netem, cake, flower, matchall, gact, police), on Debian's stock kernel under
// QEMU: configured with the host's tc in the guest, read back through `nlgen dump` (the shipped tc client and its
// generated JSON writers) and checked against what `tc -j` lists and the uapi headers' numbers; `nlgen doctor
// --family tc` then surveys them all (filters per device and hook, actions per kind) and must find nothing the spec
// does not describe. Configured only: no link is brought up and no packet is sent.
import { describe, expect, it } from 'vitest';
import { kernelOrSkip, missingPrerequisites, modulesWithDependencies, runInVm, vmFailure } from './harness.js';
import { defines, enumOrder } from '../families/uapi.js';
import { jsonLines, sections } from './guest-output.js';

const reason = missingPrerequisites();

/** What the guest runs: tc configures, then tc -j and nlgen list it, each part after a `== name` line. */
const script = `
set -e
nlgen() { "$NODE" generator/bin/nlgen.js "$@"; }
ip link add vt0 type veth peer name vt1
tc qdisc add dev lo root handle 1: netem delay 10ms 2ms loss 1.5% duplicate 0.5% limit 321
tc qdisc add dev vt0 root handle 2: cake bandwidth 100mbit besteffort
tc qdisc add dev vt1 clsact
tc filter add dev vt1 ingress protocol ip prio 1 flower dst_ip 198.51.100.1 ip_proto tcp dst_port 80 action drop
tc filter add dev vt1 egress protocol all prio 2 matchall action police rate 1mbit burst 10k conform-exceed drop
tc actions add action gact pass index 7
vt1=$(cat /sys/class/net/vt1/ifindex)
echo '== tcqdisc'; tc -j qdisc show
echo '== tcingress'; tc -j filter show dev vt1 ingress
echo '== tcegress'; tc -j filter show dev vt1 egress
echo '== tcactions'; tc -j actions list action gact
echo '== qdiscs'; nlgen dump getqdisc --family tc
echo '== ingress'; nlgen dump gettfilter --family tc --json "{\\"ifindex\\":$vt1,\\"parent\\":4294967282}"
echo '== egress'; nlgen dump gettfilter --family tc --json "{\\"ifindex\\":$vt1,\\"parent\\":4294967283}"
echo '== actions'; nlgen dump getaction --family tc --json '{"tab":[{"kind":"gact"}]}'
echo '== doctor'; nlgen doctor --family tc -o json
`;

const tcJson = (text = '') => JSON.parse(text.split('\n').find((l) => l.startsWith('[')) ?? '[]') as Record<string, any>[];

// linux/pkt_sched.h's cake enums start with an explicit `= 0` and count up from it (enumOrder lists the rest).
const cakeEnum = (prefix: string, name: string) => enumOrder('pkt_sched.h', prefix).indexOf(name) + 1;
const tcAct = defines('pkt_cls.h', 'TC_ACT_');

describe('tc kinds in a VM', () => {
  if (reason !== undefined && process.env.CI !== 'true') {
    it.skip(`skipped: ${reason} (apt-get install qemu-system-x86 busybox-static cpio kmod linux-headers-amd64)`, () => {});
    return;
  }

  it('netem, cake, flower, matchall, gact and police: nlgen reads what tc -j lists, and doctor finds nothing unknown', async (ctx) => {
    expect(reason, 'the VM suite cannot run on this machine').toBeUndefined();
    const kernel = kernelOrSkip((why) => ctx.skip(why));
    if (kernel === undefined) return;
    const modules = modulesWithDependencies(kernel, ['veth', 'sch_netem', 'sch_cake', 'sch_ingress', 'cls_flower', 'cls_matchall', 'act_gact', 'act_police']);
    const r = await runInVm({ kernel, insmod: modules, command: ['/bin/sh', '-c', script], env: { NODE: process.execPath }, timeoutMs: 480_000 });
    const failure = vmFailure(r);
    if (failure !== undefined) throw new Error(failure);
    const s = sections(r.output);

    // Qdiscs: one line each, in the kernel's order, as tc lists them.
    const tcQdiscs = tcJson(s.tcqdisc);
    const qdiscs = jsonLines(s.qdiscs);
    expect(qdiscs.map((q) => q.kind)).toEqual(tcQdiscs.map((q) => q.kind));
    const netem = qdiscs.find((q) => q.kind === 'netem')!.options;
    const tcNetem = tcQdiscs.find((q) => q.kind === 'netem')!.options;
    expect(netem.limit).toBe(tcNetem.limit);
    // Delays in nanoseconds (TCA_NETEM_LATENCY64, JITTER64); tc prints seconds.
    expect([netem.latency64 / 1e9, netem.jitter64 / 1e9]).toEqual([tcNetem.delay.delay, tcNetem.delay.jitter]);
    // Probabilities as fractions of 2^32 (struct tc_netem_qopt's loss and duplicate).
    expect(netem.tcNetemQoptLoss / 2 ** 32).toBeCloseTo(tcNetem['loss-random'].loss, 6);
    expect(netem.duplicate / 2 ** 32).toBeCloseTo(tcNetem.duplicate.duplicate, 6);
    const cake = qdiscs.find((q) => q.kind === 'cake')!;
    const tcCake = tcQdiscs.find((q) => q.kind === 'cake')!.options;
    expect(cake.options).toMatchObject({ baseRate64: tcCake.bandwidth, rtt: tcCake.rtt, diffservMode: cakeEnum('CAKE_DIFFSERV_', 'BESTEFFORT'), flowMode: cakeEnum('CAKE_FLOW_', 'TRIPLE'), splitGso: 1 });
    expect(tcCake).toMatchObject({ diffserv: 'besteffort', flowmode: 'triple-isolate', split_gso: true });
    expect(cake.stats2.app.tinStats).toHaveLength(1);
    expect(cake.stats2.app.tinStats[0].thresholdRate64).toBe(tcCake.bandwidth);

    // A flower filter on the ingress hook, with a gact drop.
    const ingress = jsonLines(s.ingress);
    const tcIngress = tcJson(s.tcingress);
    expect(ingress.map((f) => f.kind)).toEqual(tcIngress.map((f) => f.kind));
    const flower = ingress.find((f) => f.options !== undefined)!.options;
    const keys = tcIngress.find((f) => f.options !== undefined)!.options.keys;
    expect(flower).toMatchObject({ keyIpv4Dst: keys.dst_ip, keyTcpDst: keys.dst_port, keyIpProto: 6, keyEthType: 0x0800 });
    expect([keys.ip_proto, keys.eth_type]).toEqual(['tcp', 'ipv4']);
    expect(flower.act).toHaveLength(1);
    expect(flower.act[0]).toMatchObject({ kind: 'gact', options: { parms: { action: tcAct.get('SHOT') } } });

    // A matchall filter on the egress hook, with a police of 1 mbit/s (125,000 bytes a second) that drops.
    const egress = jsonLines(s.egress);
    const tcEgress = tcJson(s.tcegress);
    expect(egress.map((f) => f.kind)).toEqual(tcEgress.map((f) => f.kind));
    const matchall = egress.find((f) => f.options !== undefined)!.options;
    expect(tcEgress.find((f) => f.options !== undefined)!.options.actions[0]).toMatchObject({ kind: 'police', control_action: { type: 'drop' } });
    expect(matchall.act[0]).toMatchObject({ kind: 'police', options: { tbf: { action: tcAct.get('SHOT'), rate: { rate: 125_000 } } } });

    // Actions of one kind: the flower filter's drop and the standalone pass (index 7), as tc lists them.
    const tcGact = tcJson(s.tcactions).find((x) => 'actions' in x)!.actions as Record<string, any>[];
    const gact = jsonLines(s.actions).flatMap((m) => m.tab as Record<string, any>[]);
    expect(gact.map((a) => [a.kind, a.options.parms.index, a.options.parms.action])).toEqual(
      tcGact.map((a) => ['gact', a.index, a.control_action.type === 'pass' ? tcAct.get('OK') : tcAct.get('SHOT')]),
    );

    // The doctor reads all of it — filters per device and hook, actions per kind its filters name — and finds
    // nothing the spec does not describe.
    const [doctor] = jsonLines(s.doctor);
    expect({ findings: doctor!.findings, present: doctor!.present }).toEqual({ findings: [], present: true });
    const note = (op: string) => (doctor!.notes as string[]).find((n) => n.startsWith(`${op}: `));
    expect(note('getqdisc')).toBe(`getqdisc: ${tcQdiscs.length} replies surveyed`);
    expect(note('gettfilter')).toMatch(new RegExp(`^gettfilter: ${tcIngress.length + tcEgress.length} replies surveyed \\(\\d+ requests, one per device and parent`));
    expect(note('getaction')).toMatch(/^getaction: [1-9]\d* replies surveyed \(2 requests, one per action kind/);
  }, 600_000);
});
