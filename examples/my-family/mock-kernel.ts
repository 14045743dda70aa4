// The my_family module (module/my_family.c) as a mock kernel: what a user writes to unit-test code that uses their own
// family without loading the module. Handlers are built on the generated clients' codecs and mirror the module's C
// code: its attribute policy (a count outside 1..10000 is ERANGE with the policy's range), the echo and its
// notification, the dump, the check's extended ACK (missing attribute or nest, y smaller than x), the admin op's
// capability check, and the raw protocol on unit 31 answering as the classic tutorials do (port id 0, sequence 0).
// `node --import ./mock-setup.js --test vm-checks.js` runs the module's own checks against it, unchanged.
import { readFileSync } from 'node:fs';
import { attrOffset, concatBytes, genlHeader, MockError, MockKernel, type MockRequest } from '@nlgen/runtime';
import { MY_CMD_ADMIN, MY_CMD_CHECK, MY_CMD_ECHO, MY_CMD_ECHOED, MY_CMD_LIST, MyFamilyCodecs } from './generated/my_family.js';
import { MY_RAW_MSG_DATA, MY_RAW_MSG_PING } from './generated/my_raw.js';

// my_family.h: attribute numbers, and the raw protocol's unit and header size.
const MY_ATTR_MSG = 1;
const MY_ATTR_POINT = 5;
const MY_ATTR_COUNT = 8;
const MY_ATTR_MAX = 8;
const MY_POINT_X = 1;
const MY_POINT_Y = 2;
const NETLINK_MY_RAW = 31;
const MY_RAW_HDR_SIZE = 8;
// linux/genetlink.h: genlmsghdr size and the op flags the controller reports; linux/netlink.h: NL_ATTR_TYPE_U32.
const GENL_HDRLEN = 4;
const GENL_ADMIN_PERM = 0x01;
const GENL_CMD_CAP_DO = 0x02;
const GENL_CMD_CAP_DUMP = 0x04;
const GENL_CMD_CAP_HASPOL = 0x08;
const NL_ATTR_TYPE_U32 = 4;
const CAP_NET_ADMIN = 12;
/** Where the attributes of a generic netlink request start, from the message's first byte. */
const ATTRS_AT = 16 + GENL_HDRLEN;

const attrs = MyFamilyCodecs.attributeSets.attrs;

/** A genetlink payload: genlmsghdr (cmd, version 1) and the attributes. */
const genl = (cmd: number, body: Uint8Array): Uint8Array => concatBytes([genlHeader(cmd, 1), body]);

/** Whether this process holds CAP_NET_ADMIN in its effective set (what GENL_ADMIN_PERM checks). */
function hasNetAdmin(): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m !== null && ((BigInt(`0x${m[1]}`) >> BigInt(CAP_NET_ADMIN)) & 1n) === 1n;
}

/** The module's attribute policy (my_policy): what genetlink checks before any handler runs. */
function checkPolicy(req: MockRequest): void {
  const count = attrOffset(req.message, ATTRS_AT, [MY_ATTR_COUNT]);
  if (count !== undefined) {
    const v = new DataView(req.message.buffer, req.message.byteOffset).getUint32(count + 4, true);
    if (v < 1 || v > 10000) throw new MockError('ERANGE', { offset: count, policy: { type: NL_ATTR_TYPE_U32, min: 1n, max: 10000n } });
  }
  const msg = attrOffset(req.message, ATTRS_AT, [MY_ATTR_MSG]);
  if (msg !== undefined && new DataView(req.message.buffer, req.message.byteOffset).getUint16(msg, true) - 4 > 256) {
    throw new MockError('ERANGE', { offset: msg });
  }
}

/** A mock kernel with the my_family generic netlink family and the unit-31 raw protocol of the example module. */
export function myFamilyMock(): MockKernel {
  const kernel = new MockKernel({ dumpBatch: 32 });
  const fam = kernel.genlFamily('my_family', {
    version: 1,
    groups: ['echoes'],
    maxAttr: MY_ATTR_MAX,
    ops: [
      { id: MY_CMD_ECHO, flags: GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL },
      { id: MY_CMD_LIST, flags: GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL },
      { id: MY_CMD_CHECK, flags: GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL },
      { id: MY_CMD_ADMIN, flags: GENL_ADMIN_PERM | GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL },
    ],
    handler: (req) => {
      checkPolicy(req);
      const body = attrs.decode(req.payload.subarray(GENL_HDRLEN));
      switch (req.cmd) {
        case MY_CMD_ECHO: {
          const echoed = attrs.encode({ msg: body.msg, num32: body.num32, num64: body.num64, point: body.point, item: body.item });
          kernel.emit(fam.groups.get('echoes')!, fam.id, genl(MY_CMD_ECHOED, echoed));
          return { payload: genl(MY_CMD_ECHO, echoed) };
        }
        case MY_CMD_LIST: {
          const count = body.count ?? 1000;
          return (function* () {
            for (let i = 0; i < count; i++) {
              yield { payload: genl(MY_CMD_LIST, attrs.encode({ index: i, msg: `entry ${i} of ${count}, padded to take some room` })) };
            }
          })();
        }
        case MY_CMD_CHECK: {
          // GENL_REQ_ATTR_CHECK / NL_REQ_ATTR_CHECK: a missing attribute is named by type (and nest), without text.
          const point = attrOffset(req.message, ATTRS_AT, [MY_ATTR_POINT]);
          if (point === undefined) throw new MockError('EINVAL', { missingType: MY_ATTR_POINT });
          const p = body.point ?? {};
          if (p.x === undefined) throw new MockError('EINVAL', { missingType: MY_POINT_X, missingNest: point });
          if (p.y === undefined) throw new MockError('EINVAL', { missingType: MY_POINT_Y, missingNest: point });
          if (p.x > p.y) {
            throw new MockError('ERANGE', { message: 'y must not be smaller than x', offset: attrOffset(req.message, ATTRS_AT, [MY_ATTR_POINT, MY_POINT_Y]) });
          }
          return undefined;
        }
        case MY_CMD_ADMIN:
          if (!hasNetAdmin()) throw new MockError('EPERM');
          return { payload: genl(MY_CMD_ADMIN, attrs.encode({ msg: 'granted' })) };
        default:
          throw new MockError('EOPNOTSUPP');
      }
    },
  });
  // The raw protocol: each message answered with one of its own type and payload, port id 0 and sequence 0.
  kernel.onAny((req) => {
    if (req.type !== MY_RAW_MSG_PING && req.type !== MY_RAW_MSG_DATA) throw new MockError('EOPNOTSUPP', { message: 'unknown message type' });
    if (req.payload.length < MY_RAW_HDR_SIZE) throw new MockError('EINVAL', { message: 'message shorter than struct my_raw_hdr' });
    return { type: req.type, payload: req.payload.slice(), seq: 0, portid: 0 };
  }, NETLINK_MY_RAW);
  return kernel;
}
