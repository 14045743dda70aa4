// Record and replay: an rt-link session recorded live in a throwaway namespace (a getlink, a dump, a refused newlink
// with its extended ACK, a notification), then played back with no kernel — the client's results must be the same
// ones, and a request the recording lacks is answered with a clear error. Live results are checked against `ip -j`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { RtLink } from '@nlgen/families/rt-link';
import { loadRecording, NetlinkError, ReplayTransport, SessionRecorder } from '@nlgen/runtime';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const dir = mkdtempSync(join(tmpdir(), 'nlgen-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The session both times: what the client returns (and throws), in order. */
async function session(link: RtLink, changeMtu: () => void): Promise<unknown[]> {
  const out: unknown[] = [];
  const one = await link.getlink({ ifname: 'rec0' });
  out.push({ ifiIndex: one.ifiIndex, ifname: one.ifname, mtu: one.mtu, kind: one.linkinfo?.kind });
  const all = await link.getlinkDump().toArray();
  out.push(all.map((l) => [l.ifiIndex, l.ifname, l.mtu]));
  const e = await link.newlink({ ifname: 'vx0', linkinfo: { kind: 'vxlan', data: { id: 1 << 24 } } }, { create: true }).catch((x: unknown) => x);
  out.push(e instanceof NetlinkError ? { code: e.code, path: e.path, message: e.extack.message } : String(e));
  const sub = link.subscribe(['rtnlgrp-link'])[Symbol.asyncIterator]();
  const next = sub.next();
  changeMtu();
  for (let r = await next; !r.done; r = await sub.next()) {
    if (r.value.name === 'newlink-ntf' && r.value.msg.ifname === 'rec0' && r.value.msg.mtu === 1400) {
      out.push({ name: r.value.name, ifname: r.value.msg.ifname, mtu: r.value.msg.mtu });
      break;
    }
  }
  await sub.return?.();
  return out;
}

describe.skipIf(liveSkipReason() !== undefined)('record and replay', () => {
  let ns: TestNetns | undefined;
  afterAll(() => ns?.dispose());

  test('a recorded rt-link session replays with the same results and no kernel', { timeout: 60_000 }, async () => {
    ns = createNetns('nlrec');
    ns.ip('link', 'add', 'rec0', 'type', 'veth', 'peer', 'name', 'rec1');
    const rec = new SessionRecorder();
    const live = await RtLink.open({ netns: ns.name, record: rec });
    let liveOut: unknown[];
    try {
      liveOut = await session(live, () => ns!.ip('link', 'set', 'rec0', 'mtu', '1400'));
    } finally {
      live.close();
    }
    // The live results, against iproute2.
    const ip = ns.ipJson<{ ifindex: number; ifname: string; mtu: number }[]>('link', 'show');
    const rec0 = ip.find((l) => l.ifname === 'rec0')!;
    expect(liveOut[0]).toEqual({ ifiIndex: rec0.ifindex, ifname: 'rec0', mtu: 1500, kind: 'veth' });
    expect((liveOut[1] as unknown[][]).map((l) => l[1]).sort()).toEqual(ip.map((l) => l.ifname).sort());
    expect(liveOut[2]).toMatchObject({ code: 'ERANGE', path: 'linkinfo.data(vxlan).id' });
    expect(liveOut[3]).toEqual({ name: 'newlink-ntf', ifname: 'rec0', mtu: 1400 });

    const file = join(dir, 'session.json');
    rec.save(file);
    const saved = loadRecording(file);
    expect(saved.datagrams.filter((d) => d.dir === 'send')).toHaveLength(3);
    expect(saved.datagrams.some((d) => d.dir === 'recv' && d.group === 1)).toBe(true); // RTNLGRP_LINK

    // Replayed: no namespace, no kernel; the same answers, every recorded datagram used.
    const replay = new ReplayTransport(file);
    const offline = await RtLink.open({ transport: replay });
    try {
      expect(await session(offline, () => {})).toEqual(liveOut);
      expect(replay.mismatches).toEqual([]);
    } finally {
      offline.close();
    }

    // A request the recording does not have is refused with the reason, not answered from the wrong reply.
    const strict = await RtLink.open({ transport: new ReplayTransport(JSON.parse(readFileSync(file, 'utf8'))) });
    try {
      const e = await strict.getlink({ ifname: 'other0' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetlinkError);
      expect((e as NetlinkError).code).toBe('EIO');
      expect((e as NetlinkError).extack.message).toMatch(/^replay: message 0 \(type 18\) differs/);
    } finally {
      strict.close();
    }
  });
});
