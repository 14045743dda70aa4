// Bridge identifiers (struct ifla_bridge_id: priority in network byte order, then the MAC) of a bridge and of its
// port, through the generated rt-link client, against `ip -j -d link show` in a throwaway namespace. A priority of
// 32768 once read back as 128 (the bytes 0x80 0x00 taken as little-endian). Nothing is brought up: no packets.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RtLink } from '../../generated/rt-link.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

/** iproute2's text for a bridge id: 4 hex digits of priority, a dot, the MAC with each byte in minimal hex. */
const ipBridgeId = (id: { prio: number; addr: string }) =>
  `${id.prio.toString(16).padStart(4, '0')}.${id.addr.split(':').map((h) => parseInt(h, 16).toString(16)).join(':')}`;

describe.skipIf(skip)('bridge ids, live', () => {
  let ns: TestNetns;
  let link: RtLink;
  beforeAll(async () => {
    ns = createNetns('nlbrid');
    link = await RtLink.open({ netns: ns.name });
  });
  afterAll(() => {
    link?.close();
    ns?.dispose();
  });

  test.each([32768, 4096, 61440, 1])('a bridge of priority %i and its port read the ids ip prints', async (priority) => {
    const br = `br${priority}`;
    const port = `vp${priority}`;
    ns.ip('link', 'add', br, 'type', 'bridge', 'priority', String(priority));
    ns.ip('link', 'add', port, 'type', 'veth', 'peer', 'name', `vq${priority}`);
    ns.ip('link', 'set', port, 'master', br);
    try {
      const ours = await link.getlink({ ifname: br });
      expect(ours.linkinfo?.kind).toBe('bridge');
      const data = ours.linkinfo?.kind === 'bridge' ? ours.linkinfo.data : undefined;
      expect(data?.priority).toBe(priority);
      expect(data?.bridgeId?.prio).toBe(priority);
      expect(data?.rootId?.prio).toBe(priority);
      const [ip] = ns.ipJson<{ linkinfo: { info_data: { bridge_id: string; root_id: string; priority: number } } }[]>('-d', 'link', 'show', br);
      expect(ipBridgeId(data!.bridgeId!)).toBe(ip!.linkinfo.info_data.bridge_id);
      expect(ipBridgeId(data!.rootId!)).toBe(ip!.linkinfo.info_data.root_id);

      const p = await link.getlink({ ifname: port });
      const slave = p.linkinfo?.slaveKind === 'bridge' ? p.linkinfo.slaveData : undefined;
      const [ipPort] = ns.ipJson<{ linkinfo: { info_slave_data: { bridge_id: string; root_id: string } } }[]>('-d', 'link', 'show', port);
      expect(slave?.bridgeId && ipBridgeId(slave.bridgeId)).toBe(ipPort!.linkinfo.info_slave_data.bridge_id);
      expect(slave?.rootId && ipBridgeId(slave.rootId)).toBe(ipPort!.linkinfo.info_slave_data.root_id);
    } finally {
      ns.ip('link', 'del', port);
      ns.ip('link', 'del', br);
    }
  });
});
