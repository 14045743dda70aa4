// Typed handlers from a generated module's codecs: the request arrives as the client's request type, the reply is
// given as its reply type, notifications are emitted typed — for a netlink-raw family (rt-link) and a generic netlink
// one (my_family, resolved through the mock's controller). The request bytes are also read by hand (linux/rtnetlink.h
// ifinfomsg layout) to show the typed view is of what the client sent.
import { describe, expect, test } from 'vitest';
import { RtLink, RtLinkCodecs } from '@nlgen/families/rt-link';
import { attrOffset, MockError, MockFamily, MockKernel, NetlinkError } from '@nlgen/runtime';
import { MyFamily, MyFamilyCodecs } from '../../examples/my-family/generated/my_family.js';

describe('MockFamily: rt-link', () => {
  test('do, dump, an ACK-only op and a notification, typed both ways', async () => {
    const kernel = new MockKernel({ dumpBatch: 3 });
    const links = new MockFamily(kernel, RtLinkCodecs);
    const table = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ ifiFamily: 0, ifiType: 1, ifiIndex: i, ifiFlags: [], ifiChange: 0, ifname: `eth${i}`, mtu: 1500 + i }));
    links.on('getlink', (req) => {
      const l = table.find((x) => x.ifiIndex === req.ifiIndex || x.ifname === req.ifname);
      if (!l) throw new MockError('ENODEV');
      return l;
    });
    links.onDump('getlink', function* () {
      yield* table;
    });
    const created: unknown[] = [];
    links.on('newlink', (req) => {
      created.push({ ifname: req.ifname, kind: req.linkinfo?.kind, mtu: req.mtu });
    });
    const client = await RtLink.open({ transport: kernel.transport() });
    try {
      expect(await client.getlink({ ifiIndex: 3 })).toMatchObject({ ifiIndex: 3, ifname: 'eth3', mtu: 1503 });
      expect(await client.getlink({ ifname: 'eth5' })).toMatchObject({ ifiIndex: 5, mtu: 1505 });
      await expect(client.getlink({ ifiIndex: 99 })).rejects.toMatchObject({ code: 'ENODEV' });
      // The typed request was decoded from the bytes the client sent: ifi_index at offset 4 of the ifinfomsg.
      const raw = kernel.requests[0]!;
      expect(new DataView(raw.payload.buffer, raw.payload.byteOffset).getInt32(4, true)).toBe(3);

      const sizes: number[] = [];
      for await (const b of client.getlinkDump().batches()) sizes.push(b.length);
      expect(sizes).toEqual([3, 3, 1]);
      expect((await client.getlinkDump().toArray()).map((l) => l.ifname)).toEqual(table.map((l) => l.ifname));

      await client.newlink({ ifname: 'br9', mtu: 9000, linkinfo: { kind: 'bridge' } }, { create: true });
      expect(created).toEqual([{ ifname: 'br9', kind: 'bridge', mtu: 9000 }]);

      const sub = client.subscribe(['rtnlgrp-link'])[Symbol.asyncIterator]();
      const next = sub.next();
      links.notify('newlinkNtf', { ifiFamily: 0, ifiType: 1, ifiIndex: 9, ifiFlags: [], ifiChange: 0, ifname: 'br9', mtu: 9000 }, 'rtnlgrp-link');
      expect((await next).value).toMatchObject({ name: 'newlink-ntf', msg: { ifiIndex: 9, ifname: 'br9', mtu: 9000 } });
      await sub.return?.();
    } finally {
      client.close();
    }
  });

  test('an operation without a handler is EOPNOTSUPP; a notification without a group is refused', async () => {
    const kernel = new MockKernel();
    const links = new MockFamily(kernel, RtLinkCodecs);
    links.on('getlink', () => ({ ifiFamily: 0, ifiType: 1, ifiIndex: 1, ifiFlags: [], ifiChange: 0 }));
    const client = await RtLink.open({ transport: kernel.transport() });
    try {
      const e = await client.getlinkDump().toArray().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetlinkError);
      expect((e as NetlinkError).code).toBe('EOPNOTSUPP');
      expect(() => links.notify('newlinkNtf', {})).toThrow(/name its group/);
    } finally {
      client.close();
    }
  });
});

describe('MockFamily: errors blamed on a property path', () => {
  test('errorAt finds the attribute the client names by that path; the client reads the same path back', async () => {
    const kernel = new MockKernel();
    const links = new MockFamily(kernel, RtLinkCodecs);
    const offsets: (number | undefined)[] = [];
    links.on('newlink', (req, raw) => {
      if (req.linkinfo?.kind === 'vxlan') {
        const e = links.errorAt(raw, 'ERANGE', 'linkinfo.data(vxlan).id', 'VNI out of range');
        // The same attribute found by type numbers (linux/if_link.h: IFLA_LINKINFO 18, IFLA_INFO_DATA 2, IFLA_VXLAN_ID 1),
        // after the nlmsghdr (16) and struct ifinfomsg (16).
        offsets.push(e.offset, attrOffset(raw.message, 32, [18, 2, 1]));
        throw e;
      }
    });
    const client = await RtLink.open({ transport: kernel.transport() });
    try {
      const e = await client.newlink({ ifname: 'vx0', mtu: 1400, linkinfo: { kind: 'vxlan', data: { id: 1 << 24 } } }, { create: true }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetlinkError);
      expect((e as NetlinkError).path).toBe('linkinfo.data(vxlan).id');
      expect((e as NetlinkError).extack.message).toBe('VNI out of range');
      expect(offsets[0]).toBeTypeOf('number');
      expect(offsets[0]).toBe(offsets[1]);
      expect(() => links.errorAt(kernel.requests[0]!, 'EINVAL', 'linkinfo.data(vxlan).nosuch')).toThrow(/no attribute at/);
    } finally {
      client.close();
    }
  });
});

describe('MockFamily: a generic netlink family', () => {
  test('resolved through the controller; echo, dump and the echoed notification, typed', async () => {
    const kernel = new MockKernel({ dumpBatch: 10 });
    const fam = new MockFamily(kernel, MyFamilyCodecs);
    fam.on('echo', (req) => {
      fam.notify('echoed', req);
      return req;
    });
    fam.onDump('list', function* (req) {
      for (let i = 0; i < (req.count ?? 5); i++) yield { index: i, msg: `entry ${i}` };
    });
    const client = await MyFamily.open({ transport: kernel.transport() });
    const listener = await MyFamily.open({ transport: kernel.transport() });
    try {
      expect(client.familyId).toBe(fam.id);
      const sub = listener.subscribe(['echoes'])[Symbol.asyncIterator]();
      const next = sub.next();
      const full = { msg: 'typed', num32: 7, num64: 1n << 40n, point: { x: 1, y: 2 }, item: [4, 5] };
      expect(await client.echo(full)).toEqual(full);
      expect((await next).value).toEqual({ name: 'echoed', msg: full });
      await sub.return?.();
      const entries = await client.listDump({ count: 25 }).toArray();
      expect(entries.map((e) => e.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(entries[24]).toEqual({ index: 24, msg: 'entry 24' });
      // The requests on the wire carried the commands the spec gives (echo 1, list 2) after the controller lookup.
      expect(kernel.requests.map((r) => r.cmd)).toEqual([3, 1, 2]);
    } finally {
      client.close();
      listener.close();
    }
  });
});
