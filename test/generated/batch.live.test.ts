// FamilyClient.batch against the live kernel: many requests settled together, failures kept per request.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { RtRoute, type NewrouteRequest } from '../../generated/rt-route.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

describe.skipIf(skip !== undefined)('FamilyClient.batch, live', () => {
  let ns: TestNetns;
  let route: RtRoute;
  beforeAll(async () => {
    ns = createNetns('nlgen-batch');
    route = await RtRoute.open({ netns: ns.name });
  });
  afterAll(() => {
    route?.close();
    ns?.dispose();
  });

  // A blackhole route needs no device and sends nothing.
  const blackhole = (dst: string, dstLen = 32): NewrouteRequest => ({
    rtmFamily: 2, rtmDstLen: dstLen, rtmTable: 254, rtmProtocol: 4, rtmScope: 0, rtmType: 'blackhole', dst,
  });

  test('outcomes in order: successes, EEXIST for a duplicate, EINVAL for a bad prefix length; good routes land', async () => {
    const reqs = Array.from({ length: 300 }, (_, i) => blackhole(`198.18.${i >> 8}.${i & 255}`));
    reqs[120] = blackhole('198.18.0.7'); // duplicate of index 7, sent after it
    reqs[200] = blackhole('198.18.0.200', 33); // no IPv4 prefix is 33 bits long
    const sendsBefore = route.socket.sendCalls;
    const outcomes = await route.batch((r) => reqs.map((q) => r.newroute(q, { create: true, excl: true })));
    expect(outcomes).toHaveLength(300);
    // They shared datagrams: a window of up to maxInFlight first, then the slots freed by each read of replies —
    // a few dozen sends at most, never one per request.
    expect(route.socket.sendCalls - sendsBefore).toBeLessThan(30);
    const failed = outcomes.flatMap((o, i) => (o instanceof Error ? [[i, (o as NetlinkError).code]] : []));
    expect(failed).toEqual([[120, 'EEXIST'], [200, 'EINVAL']]);
    expect(outcomes[0]).toBeUndefined();
    const shown = ns.ipJson<{ dst: string; type: string }[]>('route', 'show', 'type', 'blackhole');
    const expected = new Set(reqs.filter((_, i) => i !== 120 && i !== 200).map((q) => q.dst));
    expect(new Set(shown.map((r) => r.dst))).toEqual(expected);
    expect(shown).toHaveLength(298);

    const removed = await route.batch((r) => [...expected].map((dst) => r.delroute(blackhole(dst!))));
    expect(removed.filter((o) => o instanceof Error)).toEqual([]);
    expect(ns.ipJson<unknown[]>('route', 'show', 'type', 'blackhole')).toEqual([]);
  });

  test('a request failing validation before sending is an outcome too, not a rejection', async () => {
    const outcomes = await route.batch((r) => [r.newroute({ ...blackhole('198.18.9.1'), rtmDstLen: 256 }, { create: true })]);
    expect(outcomes[0]).toBeInstanceOf(Error);
    expect(String(outcomes[0])).toMatch(/rtmDstLen/);
    expect(ns.ipJson<unknown[]>('route', 'show', 'type', 'blackhole')).toEqual([]);
  });
});
