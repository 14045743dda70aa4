// A committed recording (test/runtime/fixtures/rt-link-getlink-lo.json: `getlink({ ifname: 'lo' })` in a fresh
// namespace) replayed without root or kernel. The request bytes are checked against a layout derived by hand from
// linux/netlink.h, linux/rtnetlink.h and linux/if_link.h; the reply is a new namespace's loopback (ifindex 1, mtu
// 65536, LOOPBACK_MTU in include/linux/netdevice.h).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RtLink } from '@nlgen/families/rt-link';
import { loadRecording, ReplayTransport } from '@nlgen/runtime';
import { repoRoot } from '../support/corpus.js';

const file = join(repoRoot, 'test', 'runtime', 'fixtures', 'rt-link-getlink-lo.json');

describe('a committed recording', () => {
  test('holds the request as derived by hand', () => {
    const r = loadRecording(file);
    const sent = r.datagrams.filter((d) => d.dir === 'send');
    expect(sent).toHaveLength(1);
    const hex = sent[0]!.hex;
    // nlmsghdr: length 40, RTM_GETLINK (18), NLM_F_REQUEST|NLM_F_ACK (5), then seq and the recording's port id.
    expect(hex.slice(0, 16)).toBe('2800000012000500');
    expect(parseInt(hex.slice(24, 32).match(/../g)!.reverse().join(''), 16)).toBe(r.portid);
    // struct ifinfomsg, all zero (16 bytes); IFLA_IFNAME (3), length 7, "lo\0", one byte of padding.
    expect(hex.slice(32, 64)).toBe('0'.repeat(32));
    expect(hex.slice(64)).toBe('070003006c6f0000');
  });

  test('replays: the client gets the loopback link, no kernel involved', async () => {
    const replay = new ReplayTransport(file);
    const link = await RtLink.open({ transport: replay });
    try {
      const lo = await link.getlink({ ifname: 'lo' });
      expect([lo.ifiIndex, lo.ifname, lo.mtu]).toEqual([1, 'lo', 65536]);
      expect(replay.mismatches).toEqual([]);
      expect(replay.remaining).toBe(0);
    } finally {
      link.close();
    }
  });

  test('a file that is not a recording is refused with its name', () => {
    expect(() => loadRecording({ format: 'other' })).toThrow(/not an nlgen recording/);
    expect(() => loadRecording({ format: 'nlgen-recording', version: 1, portid: 1, datagrams: [{ t: 0, dir: 'send', group: 0, hex: 'xyz' }] })).toThrow(/datagram 0 is malformed/);
    // An nlmsghdr whose length (0xffff) runs past the datagram's 16 bytes.
    const bad = `ffff0000${'00'.repeat(12)}`;
    expect(() => loadRecording({ format: 'nlgen-recording', version: 1, portid: 1, datagrams: [{ t: 0, dir: 'recv', group: 0, hex: bad }] })).toThrow(/datagram 0 holds no valid netlink messages/);
  });
});
