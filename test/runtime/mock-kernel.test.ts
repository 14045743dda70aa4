// The mock kernel: generated clients opened on `{ transport: kernel.transport() }` run their usual code (framing,
// sequence numbers, ACKs, dump batches and DONE, extended ACK, notifications) against handlers, with no root, no
// kernel and no namespace. Replies are built with the clients' own generated codecs; request bytes are checked by
// hand where the layout is fixed (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h numbers).
import { describe, expect, test } from 'vitest';
import { RtLink, RtLinkCodecs } from '@nlgen/families/rt-link';
import {
  attrOffset,
  DumpInterruptedError,
  MockError,
  MockKernel,
  type MockRequest,
  NetlinkError,
  NETLINK_ROUTE,
  NetlinkSocket,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
} from '@nlgen/runtime';
import { MyFamily, MyFamilyCodecs } from '../../examples/my-family/generated/my_family.js';

// linux/rtnetlink.h and linux/if_link.h.
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const RTNLGRP_LINK = 1;
const IFLA_LINKINFO = 18;
const IFLA_INFO_DATA = 2;
const IFLA_VXLAN_ID = 1;
const IFINFOMSG_SIZE = 16;

/** An RTM_NEWLINK payload built with the client's own codecs: ifinfomsg, then the link attributes. */
function linkPayload(index: number, name: string, mtu: number): Uint8Array {
  const hdr = RtLinkCodecs.structs.ifinfomsg.encode({ ifiFamily: 0, ifiType: 1, ifiIndex: index, ifiFlags: [], ifiChange: 0 });
  const attrs = RtLinkCodecs.attributeSets.linkAttrs.encode({ ifname: name, mtu });
  const out = new Uint8Array(hdr.length + attrs.length);
  out.set(hdr);
  out.set(attrs, hdr.length);
  return out;
}

/** The ifinfomsg index of a request (offset 4 of the payload, linux/rtnetlink.h). */
const indexOf = (r: MockRequest) => new DataView(r.payload.buffer, r.payload.byteOffset).getInt32(4, true);

describe('mock kernel: rt-link client', () => {
  test('a do request: the handler sees the request bytes, the client gets the typed reply', async () => {
    const kernel = new MockKernel();
    kernel.on(RTM_GETLINK, (req) => ({ type: RTM_NEWLINK, payload: linkPayload(indexOf(req), `eth${indexOf(req)}`, 1500 + indexOf(req)) }));
    const link = await RtLink.open({ transport: kernel.transport() });
    try {
      const l = await link.getlink({ ifiIndex: 7 });
      expect(l).toMatchObject({ ifiIndex: 7, ifname: 'eth7', mtu: 1507 });
      expect(kernel.requests).toHaveLength(1);
      const r = kernel.requests[0]!;
      expect(r.type).toBe(RTM_GETLINK);
      expect(r.flags).toBe(NLM_F_REQUEST | NLM_F_ACK);
      expect(r.portid).toBe(link.socket.portid);
      expect(new DataView(r.message.buffer, r.message.byteOffset).getUint32(0, true)).toBe(r.message.length); // nlmsg_len
      expect(indexOf(r)).toBe(7);
    } finally {
      link.close();
    }
  });

  test('concurrent requests answered out of order still reach their callers (matched by sequence number)', async () => {
    const kernel = new MockKernel();
    kernel.on(RTM_GETLINK, async (req) => {
      // Later requests are answered first.
      await new Promise((r) => setTimeout(r, 50 - indexOf(req) * 10));
      return { type: RTM_NEWLINK, payload: linkPayload(indexOf(req), `if${indexOf(req)}`, 1000) };
    });
    const link = await RtLink.open({ transport: kernel.transport() });
    try {
      const got = await Promise.all([1, 2, 3, 4].map((i) => link.getlink({ ifiIndex: i })));
      expect(got.map((l) => l.ifname)).toEqual(['if1', 'if2', 'if3', 'if4']);
      const seqs = kernel.requests.map((r) => r.seq);
      expect(new Set(seqs).size).toBe(4);
    } finally {
      link.close();
    }
  });

  test('a dump spans several datagrams and ends with DONE; every entry arrives, in order', async () => {
    const kernel = new MockKernel({ dumpBatch: 4 });
    kernel.on(RTM_GETLINK, function* (req) {
      expect(req.flags & NLM_F_DUMP).toBe(NLM_F_DUMP);
      for (let i = 1; i <= 10; i++) yield { type: RTM_NEWLINK, payload: linkPayload(i, `d${i}`, 1400) };
    });
    const link = await RtLink.open({ transport: kernel.transport() });
    try {
      const sizes: number[] = [];
      const names: string[] = [];
      for await (const batch of link.getlinkDump().batches()) {
        sizes.push(batch.length);
        for (const l of batch) names.push(l.ifname!);
      }
      expect(sizes).toEqual([4, 4, 2]);
      expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `d${i + 1}`));
    } finally {
      link.close();
    }
  });

  test('an error with extended ACK: errno, message and the offending property as a path', async () => {
    const kernel = new MockKernel();
    kernel.on(RTM_NEWLINK, (req) => {
      const offset = attrOffset(req.message, 16 + IFINFOMSG_SIZE, [IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_VXLAN_ID]);
      throw new MockError('ERANGE', { message: 'VNI out of range', offset });
    });
    const link = await RtLink.open({ transport: kernel.transport() });
    try {
      const e = await link.newlink({ ifname: 'vx0', linkinfo: { kind: 'vxlan', data: { id: 1 << 24 } } }, { create: true }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetlinkError);
      const err = e as NetlinkError;
      expect(err.code).toBe('ERANGE');
      expect(err.extack.message).toBe('VNI out of range');
      expect(err.path).toBe('linkinfo.data(vxlan).id');
      expect(err.message).toMatch(/^rt-link newlink: ERANGE/);
    } finally {
      link.close();
    }
  });

  test('an error part-way through a dump arrives in DONE, after the entries before it', async () => {
    const kernel = new MockKernel({ dumpBatch: 2 });
    kernel.on(RTM_GETLINK, function* () {
      yield { type: RTM_NEWLINK, payload: linkPayload(1, 'a', 1500) };
      yield { type: RTM_NEWLINK, payload: linkPayload(2, 'b', 1500) };
      throw new MockError('EBUSY', { message: 'table changed' });
    });
    const link = await RtLink.open({ transport: kernel.transport() });
    try {
      const seen: string[] = [];
      const e = await (async () => {
        for await (const l of link.getlinkDump()) seen.push(l.ifname!);
      })().catch((x: unknown) => x);
      expect(seen).toEqual(['a', 'b']);
      expect(e).toBeInstanceOf(NetlinkError);
      expect((e as NetlinkError).code).toBe('EBUSY');
      expect((e as NetlinkError).origin).toBe('NLMSG_DONE');
      expect((e as NetlinkError).extack.message).toBe('table changed');
    } finally {
      link.close();
    }
  });

  test('a dump flagged NLM_F_DUMP_INTR ends in DumpInterruptedError', async () => {
    const kernel = new MockKernel();
    kernel.on(RTM_GETLINK, () => [{ type: RTM_NEWLINK, payload: linkPayload(1, 'x', 1500) }]);
    kernel.interruptDumps();
    const link = await RtLink.open({ transport: kernel.transport() });
    try {
      await expect(link.getlinkDump().toArray()).rejects.toBeInstanceOf(DumpInterruptedError);
    } finally {
      link.close();
    }
  });

  test('notifications reach subscribers of their group only, typed; an overrun is reported', async () => {
    const kernel = new MockKernel();
    const link = await RtLink.open({ transport: kernel.transport() });
    const other = await RtLink.open({ transport: kernel.transport() });
    try {
      const sub = link.subscribe(['rtnlgrp-link']);
      const it = sub[Symbol.asyncIterator]();
      const first = it.next();
      kernel.emit(RTNLGRP_LINK, RTM_NEWLINK, linkPayload(5, 'new0', 9000));
      const n = (await first).value;
      expect(n).toMatchObject({ name: 'newlink-ntf', msg: { ifiIndex: 5, ifname: 'new0', mtu: 9000 } });
      kernel.overrun(link.socket.portid);
      expect((await it.next()).value).toMatchObject({ name: 'overrun' });
      // Group 36 (rtnlgrp-stats) was not joined: nothing arrives for it.
      kernel.emit(36, RTM_NEWLINK, linkPayload(6, 'stats', 1500));
      kernel.emit(RTNLGRP_LINK, RTM_NEWLINK, linkPayload(7, 'next', 1500));
      expect((await it.next()).value).toMatchObject({ name: 'newlink-ntf', msg: { ifname: 'next' } });
      await it.return?.();
    } finally {
      link.close();
      other.close();
    }
  });

  test('a request type without a handler is EOPNOTSUPP; a handler that throws something else is EIO and recorded', async () => {
    const kernel = new MockKernel();
    const s = await NetlinkSocket.open(NETLINK_ROUTE, { transport: kernel.transport() });
    try {
      await expect(s.request({ type: 99, payload: new Uint8Array(4) })).rejects.toMatchObject({ code: 'EOPNOTSUPP' });
      kernel.on(99, () => {
        throw new Error('oops');
      });
      await expect(s.request({ type: 99, payload: new Uint8Array(4) })).rejects.toMatchObject({ code: 'EIO' });
      expect(kernel.handlerErrors).toHaveLength(1);
    } finally {
      s.close();
    }
  });
});

describe('mock kernel: a generic netlink family (the my_family example)', () => {
  /** The example module's behaviour, in handlers built on the client's codecs. */
  function myFamilyKernel() {
    const kernel = new MockKernel({ dumpBatch: 16 });
    const attrs = MyFamilyCodecs.attributeSets.attrs;
    const genl = (cmd: number, body: Uint8Array) => {
      const p = new Uint8Array(4 + body.length);
      p[0] = cmd;
      p[1] = 1;
      p.set(body, 4);
      return p;
    };
    const fam = kernel.genlFamily('my_family', { groups: ['echoes'], handler: (req) => handle(req) });
    const handle = (req: MockRequest) => {
      const body = attrs.decode(req.payload.subarray(4));
      if (req.cmd === 1) {
        kernel.emit(fam.groups.get('echoes')!, fam.id, genl(5, attrs.encode(body))); // MY_CMD_ECHOED
        return { payload: genl(1, attrs.encode(body)) };
      }
      if (req.cmd === 4) throw new MockError('EPERM');
      throw new MockError('EOPNOTSUPP');
    };
    return { kernel, fam };
  }

  test('the family is resolved by name, an echo round-trips every attribute, the group gets the notification', async () => {
    const { kernel, fam } = myFamilyKernel();
    const client = await MyFamily.open({ transport: kernel.transport() });
    const listener = await MyFamily.open({ transport: kernel.transport() });
    try {
      expect(client.familyId).toBe(fam.id);
      const sub = listener.subscribe(['echoes'])[Symbol.asyncIterator]();
      const next = sub.next();
      const full = { msg: 'hello, mock', num32: 0xdeadbeef, num64: (1n << 63n) + 5n, point: { x: 3, y: 65535 }, item: [1, 2, 3] };
      expect(await client.echo(full)).toEqual(full);
      expect((await next).value).toEqual({ name: 'echoed', msg: full });
      await sub.return?.();
      // The controller was asked once (GENL_ID_CTRL 0x10, CTRL_CMD_GETFAMILY 3: the id is cached per namespace, and a
      // mock kernel is one), then the family (MY_CMD_ECHO 1).
      expect(kernel.requests.map((r) => [r.type, r.cmd])).toEqual([
        [0x10, 3],
        [fam.id, 1],
      ]);
    } finally {
      client.close();
      listener.close();
    }
  });

  test('an unknown family is FamilyNotFoundError; EPERM names the capability of an admin-perm op', async () => {
    const kernel = new MockKernel();
    await expect(MyFamily.open({ transport: kernel.transport() })).rejects.toMatchObject({ code: 'ENOENT' });
    const { kernel: k2 } = myFamilyKernel();
    const client = await MyFamily.open({ transport: k2.transport() });
    try {
      const e = await client.admin({}).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'EPERM', capability: 'CAP_NET_ADMIN' });
    } finally {
      client.close();
    }
  });
});
