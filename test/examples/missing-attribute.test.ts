// A missing-attribute error as kernels before 6.2 send it: NLMSGERR_ATTR_MISS_TYPE (and MISS_NEST) without text.
// The request is the my_family example's `check`, encoded by its generated codecs; the extended ACKs are what the
// module's GENL_REQ_ATTR_CHECK / NL_REQ_ATTR_CHECK report (offsets counted by hand from the encoded bytes).
import { describe, expect, it } from 'vitest';
import { MyFamilyCodecs, MyFamilyInfo } from '../../examples/my-family/generated/my_family.js';
import { encodeMessage, generatedSupport, NetlinkError } from '@nlgen/runtime';

const { nameErrorPath } = generatedSupport;

const MY_CMD_CHECK = 3;

/** The whole request message `check` sends: nlmsghdr, genlmsghdr, attributes. */
function checkRequest(point: { x?: number; y?: number } | undefined): Uint8Array {
  const payload = MyFamilyCodecs.operations.check.do.encodeRequest(point === undefined ? {} : { point });
  expect(payload[0]).toBe(MY_CMD_CHECK);
  return encodeMessage(0x20, 5, 1, 0, payload);
}

describe('a missing attribute without extack text', () => {
  it('is named at the top level: point', () => {
    const req = checkRequest(undefined);
    const err = new NetlinkError(22, { missingType: 5 }, req);
    expect(err.message).toBe('EINVAL (Invalid argument): missing attribute type 5');
    nameErrorPath(err, MyFamilyInfo.attrNames, 'attrs', 4);
    expect(err.path).toBe('point');
    expect(err.message).toContain('(attribute point)');
  });

  it('is named inside the nest the kernel points at: point.y', () => {
    const req = checkRequest({ x: 1 });
    // nlmsghdr 16 + genlmsghdr 4: the point nest's header is at byte 20; inside it x (type 1) only.
    expect(new DataView(req.buffer, req.byteOffset).getUint16(22, true) & 0x3fff).toBe(5);
    const err = new NetlinkError(22, { missingType: 2, missingNest: 20 }, req);
    expect(err.message).toBe('EINVAL (Invalid argument): missing attribute type 2 in the nest at byte 20');
    nameErrorPath(err, MyFamilyInfo.attrNames, 'attrs', 4);
    expect(err.path).toBe('point.y');
  });

  it('keeps the kernel text when there is some and still names the attribute', () => {
    const err = new NetlinkError(22, { message: 'Missing attribute', missingType: 5 }, checkRequest(undefined));
    nameErrorPath(err, MyFamilyInfo.attrNames, 'attrs', 4);
    expect(err.message).toBe('EINVAL (Invalid argument): Missing attribute (attribute point)');
  });
});
