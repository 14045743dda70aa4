// replyMatch 'order' (for peers answering without sequence numbers, tested against such a module in test/vm) must
// not break peers that do carry them: rtnetlink in a throwaway namespace answers as usual, errors still reject,
// requests started together are sent one at a time and each gets its own reply. Nothing is sent on any link.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NETLINK_ROUTE, NetlinkSocket } from '@nlgen/runtime';
import { RtLink } from '../../generated/rt-link.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

describe.skipIf(skip !== undefined)('replyMatch order against a kernel family that sets sequence numbers', () => {
  let ns: TestNetns;
  beforeAll(() => {
    ns = createNetns('nlgen-replymatch');
    ns.ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  });
  afterAll(() => ns?.dispose());

  test('replies, errors and concurrent requests are matched as with sequence numbers', async () => {
    const link = await RtLink.open({ netns: ns.name, replyMatch: 'order' });
    try {
      expect(link.socket.maxInFlight).toBe(1);
      expect((await link.getlink({ ifiIndex: 1 })).ifname).toBe('lo');
      await expect(link.getlink({ ifname: 'nonexistent0' })).rejects.toMatchObject({ code: 'ENODEV' });
      const names = await Promise.all(['lo', 'veth0', 'veth1', 'veth0'].map(async (n) => (await link.getlink({ ifname: n })).ifname));
      expect(names).toEqual(['lo', 'veth0', 'veth1', 'veth0']);
      // ACK-only requests resolve too (a no-op change).
      await link.setlink({ ifname: 'veth0', mtu: 1400 });
      expect(ns.ipJson<{ mtu: number }[]>('link', 'show', 'veth0')[0]!.mtu).toBe(1400);
      expect((await link.getlinkDump().toArray()).map((l) => l.ifname).sort()).toEqual(['lo', 'veth0', 'veth1']);
    } finally {
      link.close();
    }
  });

  test('an unknown mode is refused when opening', async () => {
    await expect(NetlinkSocket.open(NETLINK_ROUTE, { netns: ns.name, replyMatch: 'fifo' as never })).rejects.toThrow(/replyMatch/);
  });
});
