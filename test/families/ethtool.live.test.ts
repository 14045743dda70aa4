// ethtool through the generated client against a veth pair in a throwaway namespace.
// Oracle: the `ethtool` command (6.x, which itself speaks the ethtool netlink family), its text and --json output.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { Ethtool, type BitsetAttrs, type EthtoolNotification } from '../../generated/ethtool.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

/** `ethtool <dev>` prints "Key: value" lines; this returns them as a map. */
function settings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^\s*([A-Za-z][A-Za-z -]*):\s*(.*?)\s*$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** Names of the bits a decoded bitset has set (a nomask bitset lists only set bits; otherwise `value` marks them). */
function setBits(b: BitsetAttrs | undefined): Set<string> {
  const out = new Set<string>();
  for (const bit of b?.bits?.bit ?? []) if (b?.nomask || bit.value === true) out.add(bit.name!);
  return out;
}

// uapi linux/ethtool.h values and the words ethtool prints for them (ethtool's dump_supported / dump_link_info).
const PORT_WORDS: Record<number, string> = { 0: 'Twisted Pair', 1: 'AUI', 2: 'BNC', 3: 'MII', 4: 'FIBRE', 5: 'Direct Attach Copper', 0xef: 'None', 0xff: 'Other' };
const XCVR_WORDS: Record<number, string> = { 0: 'internal', 1: 'external' };
const DUPLEX_WORDS: Record<number, string> = { 0: 'Half', 1: 'Full' };

describe.skipIf(skip !== undefined)('ethtool, live', () => {
  let ns: TestNetns;
  let et: Ethtool;
  const dev = { header: { devName: 'et-a' } };
  beforeAll(async () => {
    ns = createNetns('nlgen-ethtool');
    // Both ends of the veth pair go up later: with IPv6 off, no DAD, router solicitation or MLD packet is sent.
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv6.conf.all.disable_ipv6=1']);
    ns.ip('link', 'add', 'et-a', 'type', 'veth', 'peer', 'name', 'et-b');
    et = await Ethtool.open({ netns: ns.name });
  });
  afterAll(() => {
    et?.close();
    ns?.dispose();
  });
  const ethtool = (...args: string[]) => ns.exec('ethtool', args);

  test('linkinfo, linkmodes and linkstate agree with `ethtool <dev>`; the header names the device by index', async () => {
    const shown = settings(ethtool('et-a'));
    const info = await et.linkinfoGet(dev);
    const ifindex = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'et-a')[0]!.ifindex;
    expect(info.header).toMatchObject({ devIndex: ifindex, devName: 'et-a' });
    expect(PORT_WORDS[info.port!]).toBe(shown.get('Port'));
    expect(String(info.phyaddr)).toBe(shown.get('PHYAD'));
    expect(XCVR_WORDS[info.transceiver!]).toBe(shown.get('Transceiver'));
    const modes = await et.linkmodesGet(dev);
    expect(`${modes.speed}Mb/s`).toBe(shown.get('Speed'));
    expect(DUPLEX_WORDS[modes.duplex!]).toBe(shown.get('Duplex'));
    expect(modes.autoneg === 1 ? 'on' : 'off').toBe(shown.get('Auto-negotiation'));
    const down = await et.linkstateGet(dev);
    expect(down.link === 1 ? 'yes' : 'no').toBe(shown.get('Link detected'));
    expect(down.link).toBe(0);
    // Both ends up: the carrier comes on, and both tools see it.
    ns.ip('link', 'set', 'et-a', 'up');
    ns.ip('link', 'set', 'et-b', 'up');
    const up = await et.linkstateGet(dev);
    expect(up.link).toBe(1);
    expect(settings(ethtool('et-a')).get('Link detected')).toBe('yes');
  });

  test('features: active, requested and fixed equal `ethtool --json -k` for every feature both name', async () => {
    const f = await et.featuresGet(dev);
    const [shown] = JSON.parse(ethtool('--json', '-k', 'et-a')) as Record<string, { active: boolean; fixed: boolean | null; requested: boolean | null }>[];
    const hw = setBits(f.hw);
    const wanted = setBits(f.wanted);
    const active = setBits(f.active);
    const nochange = setBits(f.nochange);
    const names = (f.hw?.bits?.bit ?? []).map((b) => b.name!).filter((n) => n !== '' && shown![n] !== undefined);
    expect(names.length).toBeGreaterThan(30);
    for (const n of names) {
      const s = shown![n]!;
      expect([n, active.has(n)]).toEqual([n, s.active]);
      expect([n, wanted.has(n)]).toEqual([n, s.requested]);
      // ethtool marks a feature [fixed] when the device cannot change it or the kernel says it never changes.
      expect([n, !hw.has(n) || nochange.has(n)]).toEqual([n, s.fixed]);
    }
  });

  test('features-set through the client turns GRO on, as `ethtool -k` then shows', async () => {
    // ethtool shows the kernel's "rx-gro" under its legacy name (ethtool's off_flag_def table).
    const before = JSON.parse(ethtool('--json', '-k', 'et-a'))[0]['generic-receive-offload'];
    expect(before.active).toBe(false);
    await et.featuresSet({ ...dev, wanted: { bits: { bit: [{ name: 'rx-gro', value: true }] } } });
    const after = JSON.parse(ethtool('--json', '-k', 'et-a'))[0]['generic-receive-offload'];
    expect(after).toMatchObject({ active: true, requested: true });
    expect(setBits((await et.featuresGet(dev)).active).has('rx-gro')).toBe(true);
  });

  test('channels get/set agree with `ethtool -l`; too many channels is the same extack error ethtool prints', async () => {
    const text = ethtool('-l', 'et-a');
    const [max, cur] = text.split('Current hardware settings:');
    const num = (block: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(block)![1]);
    const ch = await et.channelsGet(dev);
    expect([ch.rxMax, ch.txMax, ch.rxCount, ch.txCount]).toEqual([num(max!, 'RX'), num(max!, 'TX'), num(cur!, 'RX'), num(cur!, 'TX')]);
    await et.channelsSet({ ...dev, rxCount: ch.rxMax, txCount: ch.txMax });
    const [, cur2] = ethtool('-l', 'et-a').split('Current hardware settings:');
    expect([num(cur2!, 'RX'), num(cur2!, 'TX')]).toEqual([ch.rxMax, ch.txMax]);
    const err = await et.channelsSet({ ...dev, rxCount: ch.rxMax! + 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EINVAL');
    expect((err as NetlinkError & { path?: string }).path).toBe('rxCount');
    const cli = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', '-L', 'et-a', 'rx', String(ch.rxMax! + 1)], { encoding: 'utf8' });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain((err as NetlinkError).extack!.message!);
  });

  test('the monitor group: a change made by the ethtool command arrives as a typed features-ntf, one made through the client as channels-ntf', async () => {
    const events = et.subscribe(['monitor'])[Symbol.asyncIterator]();
    try {
      expect(JSON.parse(ethtool('--json', '-k', 'et-a'))[0]['tx-checksum-ip-generic'].active).toBe(true);
      ethtool('-K', 'et-a', 'tx-checksum-ip-generic', 'off');
      let features: EthtoolNotification | undefined;
      while (features === undefined) {
        const n = (await events.next()).value as EthtoolNotification;
        if (n.name === 'features-ntf' && n.msg.header?.devName === 'et-a') features = n;
      }
      const msg = (features as Extract<EthtoolNotification, { name: 'features-ntf' }>).msg;
      expect(setBits(msg.active).has('tx-checksum-ip-generic')).toBe(false);
      expect(setBits(msg.wanted).has('tx-checksum-ip-generic')).toBe(false);
      expect(JSON.parse(ethtool('--json', '-k', 'et-a'))[0]['tx-checksum-ip-generic'].active).toBe(false);
      // A set that changes nothing notifies nothing: go to the other count.
      const want = (await et.channelsGet(dev)).rxCount === 1 ? 2 : 1;
      await et.channelsSet({ ...dev, rxCount: want, txCount: want });
      let channels: EthtoolNotification | undefined;
      while (channels === undefined) {
        const n = (await events.next()).value as EthtoolNotification;
        if (n.name === 'channels-ntf' && n.msg.header?.devName === 'et-a') channels = n;
      }
      expect((channels as Extract<EthtoolNotification, { name: 'channels-ntf' }>).msg).toMatchObject({ rxCount: want, txCount: want });
    } finally {
      await events.return?.();
    }
  });

  test('rings are not supported by veth: EOPNOTSUPP, as `ethtool -g` reports', async () => {
    const err = await et.ringsGet(dev).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EOPNOTSUPP');
    const cli = spawnSync('ip', ['netns', 'exec', ns.name, 'ethtool', '-g', 'et-a'], { encoding: 'utf8' });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toMatch(/Operation not supported/);
  });

  test('strset: the device statistics names equal `ethtool -S`; timestamping names equal `ethtool -T`', async () => {
    const ETH_SS_STATS = 1; // uapi linux/ethtool.h enum ethtool_stringset
    const s = await et.strsetGet({ ...dev, stringsets: { stringset: [{ id: ETH_SS_STATS }] } });
    const set = s.stringsets!.stringset!.find((x) => x.id === ETH_SS_STATS)!;
    const names = set.strings!.flatMap((x) => x.string ?? []).map((x) => x.value);
    const cli = [...ethtool('-S', 'et-a').matchAll(/^\s+(\S+): /gm)].map((m) => m[1]);
    expect(cli.length).toBeGreaterThan(0);
    expect(names).toEqual(cli);
    expect(set.count).toBe(cli.length);
    const counts = await et.strsetGet({ ...dev, stringsets: { stringset: [{ id: ETH_SS_STATS }] }, countsOnly: true });
    expect(counts.stringsets!.stringset![0]).toMatchObject({ id: ETH_SS_STATS, count: cli.length });
    expect(counts.stringsets!.stringset![0]!.strings).toBeUndefined();
    const ts = await et.tsinfoGet(dev);
    const caps = /Capabilities:\n((?:\t.*\n)*)/.exec(ethtool('-T', 'et-a'))![1]!.trim().split(/\s+/);
    expect([...setBits(ts.timestamping)]).toEqual(caps);
  });

  test('an unknown device name: ENODEV with the header named in the error path', async () => {
    const err = await et.linkinfoGet({ header: { devName: 'et-none' } }).catch((e) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ENODEV');
    expect((err as NetlinkError & { path?: string }).path).toBe('header.devName');
  });
});
