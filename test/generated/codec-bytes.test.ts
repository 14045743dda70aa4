// Generated encoders and decoders against bytes derived by hand (no kernel): the client is driven through a
// stand-in socket that records the request payload and answers with a crafted reply.
import { describe, expect, test } from 'vitest';
import { RtLink, RtLinkCodecs } from '../../generated/rt-link.js';
import { RtRouteCodecs } from '../../generated/rt-route.js';
import { decodeFailure } from '../support/decode-failure.js';

interface Sent {
  type: number;
  flags: number;
  payload: Uint8Array;
}

/** An RtLink whose socket records requests and replies with `reply` (a payload after the nlmsghdr). */
function fakeClient(reply?: Uint8Array): { client: RtLink; sent: Sent[] } {
  const sent: Sent[] = [];
  const socket = {
    async request(req: Sent) {
      sent.push(req);
      if (!reply) return { messages: [] };
      const data = new Uint8Array(16 + reply.length);
      data.set(reply, 16);
      return { messages: [{ type: 16, flags: 0, seq: 1, portid: 0, data, view: new DataView(data.buffer), start: 16, end: data.length }] };
    },
    // What generated clients call for requests whose errors get a property path: same recording.
    requestNamed(type: number, flags: number, payload: Uint8Array) {
      return this.request({ type, flags, payload });
    },
    // The same for ops without a reply (resolves with undefined).
    async requestNamedAck(type: number, flags: number, payload: Uint8Array) {
      await this.request({ type, flags, payload });
    },
    close() {},
  };
  const client = Object.create(RtLink.prototype) as RtLink;
  Object.assign(client, { socket, familyId: 0, groupIds: new Map(), decodeCtx: { strict: false, sel: {} } });
  return { client, sent };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('rt-link codecs, bytes by hand', () => {
  test('newlink encodes ifinfomsg, then attributes in spec order, nests flagged NLA_F_NESTED', async () => {
    const { client, sent } = fakeClient();
    await client.newlink({ ifiIndex: 7, ifname: 'br0', mtu: 1400, linkinfo: { kind: 'bridge' } }, { create: true, excl: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe(16); // RTM_NEWLINK
    expect(sent[0]!.flags).toBe(0x400 | 0x200); // NLM_F_CREATE | NLM_F_EXCL
    const want =
      '00' + '00' + '0000' + '07000000' + '00000000' + '00000000' + // ifinfomsg: family, pad, type, index 7, flags, change
      '0800' + '0300' + '62723000' + // IFLA_IFNAME "br0\0"
      '0800' + '0400' + '78050000' + // IFLA_MTU 1400
      '1000' + '1280' + // IFLA_LINKINFO | NLA_F_NESTED, 16 bytes
      '0b00' + '0100' + '62726964676500' + '00'; // IFLA_INFO_KIND "bridge\0" + 1 pad byte
    expect(hex(sent[0]!.payload)).toBe(want);
  });

  test('a reply decodes: struct fields, string, u32, mac display hint, sub-message by kind, unknown attrs kept', async () => {
    const head = Buffer.from(
      '00' + '00' + '0100' + '05000000' + '43100100' + '00000000' + // family 0, type 1 (ether), index 5, flags 0x11043
        '0800' + '0300' + '76783000' + // ifname "vx0"
        '0a00' + '0100' + '020000000001' + '0000', // address 02:00:00:00:00:01 (+2 pad)
      'hex',
    );
    // linkinfo: kind "vxlan\0" (10 bytes → 12), data nest with id 42.
    const kind = Buffer.from('0a000100' + '76786c616e00' + '0000', 'hex');
    const data = Buffer.from('0c000280' + '08000100' + '2a000000', 'hex');
    const linkinfo = Buffer.concat([Buffer.from([4 + kind.length + data.length, 0, 0x12, 0x80]), kind, data]);
    const unknown = Buffer.from('0800' + 'f03f' + 'deadbeef', 'hex'); // type 0x3ff0: not in the spec
    const payload = new Uint8Array(Buffer.concat([head, linkinfo, unknown]));
    const { client } = fakeClient(payload);
    const got = await client.getlink({ ifname: 'vx0' });
    expect(got.ifiIndex).toBe(5);
    expect(got.ifiType).toBe(1);
    expect(got.ifname).toBe('vx0');
    expect(got.address).toBe('02:00:00:00:00:01');
    expect(got.linkinfo?.kind).toBe('vxlan');
    if (got.linkinfo?.kind === 'vxlan') expect(got.linkinfo.data?.id).toBe(42);
    else throw new Error('linkinfo did not narrow to vxlan');
    expect(got.$unknown).toEqual([{ type: 0x3ff0, data: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]) }]);
  });

  test('validation: wrong types and out-of-range values fail before anything is sent, with a property path', async () => {
    const { client, sent } = fakeClient();
    await expect(client.newlink({ ifname: 'x', mtu: 2 ** 32 })).rejects.toThrow('mtu: 4294967296 is outside 0..4294967295');
    await expect(client.newlink({ ifname: 'x', linkinfo: { kind: 'vxlan', data: { port: 70000 } } })).rejects.toThrow(/^linkinfo\.data\(vxlan\)\.port: /);
    await expect(client.newlink({ address: 'not-a-mac' })).rejects.toThrow(/address: not a hardware address/);
    expect(sent).toHaveLength(0);
  });
});

describe('integer attributes against their width, bytes by hand', () => {
  const links = RtLinkCodecs.attributeSets.linkAttrs;
  const vxlan = RtLinkCodecs.attributeSets.linkinfoVxlanAttrs;
  const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

  test('exact and longer payloads read their first bytes, in the byte order the spec gives', () => {
    // mtu (4) u32 1500; link-netnsid (37) s32 -1; operstate (16) u8 6 with 3 bytes of padding inside its length.
    expect(links.decode(hex('08000400dc050000' + '08002500ffffffff' + '0800100006000000'))).toEqual({ mtu: 1500, linkNetnsid: -1, operstate: 6 });
    expect(links.decode(hex('0c000400dc050000ffffffff'))).toEqual({ mtu: 1500 }); // 8-byte payload: the first 4
    expect(vxlan.decode(hex('06000f0012b50000'))).toEqual({ port: 4789 }); // port (15) is big-endian
  });

  test('a payload shorter than the integer is a DecodeError naming the type, at the payload', () => {
    expect(decodeFailure(() => links.decode(hex('06000400dc050000')))).toEqual({ reason: 'u32 attribute payload is 2 bytes, expected 4', offset: 4 });
    expect(decodeFailure(() => links.decode(hex('08000400dc050000' + '04001000')))).toEqual({ reason: 'u8 attribute payload is 0 bytes, expected 1', offset: 12 });
    expect(decodeFailure(() => vxlan.decode(hex('05000f0012000000')))).toEqual({ reason: 'u16 attribute payload is 1 bytes, expected 2', offset: 4 });
  });

  test('types past the last one the spec describes are kept whatever their size', () => {
    expect(links.decode(hex('0500f03f01000000'))).toEqual({ $unknown: [{ type: 0x3ff0, data: Uint8Array.of(1) }] });
  });
});

describe('fixed-header structs, bytes by hand', () => {
  // struct rtmsg (linux/rtnetlink.h): family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32.
  const full = Uint8Array.of(10, 64, 0, 0, 254, 3, 253, 1, 0x00, 0x10, 0, 0);
  test('rtmsg: every u8 member at its offset, the type as its name, flags little-endian', () => {
    expect(RtRouteCodecs.structs.rtmsg.decode(full)).toEqual({
      rtmFamily: 10, rtmDstLen: 64, rtmSrcLen: 0, rtmTos: 0, rtmTable: 254, rtmProtocol: 3, rtmScope: 253, rtmType: 'unicast', rtmFlags: 0x1000,
    });
  });
  test('a short rtmsg reads what is there and zeros for the rest; a longer one keeps its tail', () => {
    expect(RtRouteCodecs.structs.rtmsg.decode(full.subarray(0, 5))).toEqual({
      rtmFamily: 10, rtmDstLen: 64, rtmSrcLen: 0, rtmTos: 0, rtmTable: 254, rtmProtocol: 0, rtmScope: 0, rtmType: 'unspec', rtmFlags: 0,
    });
    const long = RtRouteCodecs.structs.rtmsg.decode(Uint8Array.of(...full, 7, 8));
    expect(long.rtmScope).toBe(253);
    expect(Array.from(long.$extra!)).toEqual([7, 8]);
  });
});

describe('decoded objects are plain, with only what the message carried', () => {
  // rtmsg (IPv4, /32, main table, boot, link scope, unicast), then RTA_TABLE=254, RTA_DST=192.0.2.7, RTA_OIF=3 —
  // attributes in that wire order: header fields first, then attributes as they came.
  const msg = Uint8Array.of(
    2, 32, 0, 0, 254, 3, 253, 1, 0, 0, 0, 0,
    8, 0, 15, 0, 254, 0, 0, 0,
    8, 0, 1, 0, 192, 0, 2, 7,
    8, 0, 4, 0, 3, 0, 0, 0,
  );
  test('a route reply: Object.prototype, own keys in wire order, no keys for absent attributes', () => {
    const r = RtRouteCodecs.operations.getroute.dump.decodeReply(msg);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.keys(r)).toEqual(['rtmFamily', 'rtmDstLen', 'rtmSrcLen', 'rtmTos', 'rtmTable', 'rtmProtocol', 'rtmScope', 'rtmType', 'rtmFlags', 'table', 'dst', 'oif']);
    expect(r).toStrictEqual({
      rtmFamily: 2, rtmDstLen: 32, rtmSrcLen: 0, rtmTos: 0, rtmTable: 254, rtmProtocol: 3, rtmScope: 253, rtmType: 'unicast', rtmFlags: 0,
      table: 254, dst: '192.0.2.7', oif: 3,
    });
    expect('gateway' in r).toBe(false);
    expect(JSON.stringify(r)).toBe('{"rtmFamily":2,"rtmDstLen":32,"rtmSrcLen":0,"rtmTos":0,"rtmTable":254,"rtmProtocol":3,"rtmScope":253,"rtmType":"unicast","rtmFlags":0,"table":254,"dst":"192.0.2.7","oif":3}');
  });
  test('a nested attribute set alone (metrics) decodes to a plain object as well', () => {
    // RTAX_MTU=1400, RTAX_HOPLIMIT=64
    const m = RtRouteCodecs.attributeSets.metrics.decode(Uint8Array.of(8, 0, 2, 0, 0x78, 5, 0, 0, 8, 0, 10, 0, 64, 0, 0, 0));
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(m).toStrictEqual({ mtu: 1400, hoplimit: 64 });
  });
});
