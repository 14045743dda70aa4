// Decoding of NLMSG_ERROR / NLMSG_DONE status and the extended ACK TLVs (error text, offsets, policy, cookie).
import { AttrCursor, expectSize, readString } from './attrs.js';
import { DecodeError } from './errors.js';
import { NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_HDRLEN, type NetlinkMessage } from './message.js';
import type { ExtAck, PolicyInfo } from './extack-info.js';
export type { ExtAck, PolicyInfo } from './extack-info.js';

/** Extended ACK attribute numbers (enum nlmsgerr_attrs). */
export const NLMSGERR_ATTR_MSG = 1;
/** Offset of the invalid attribute in the request. */
export const NLMSGERR_ATTR_OFFS = 2;
/** Subsystem-specific cookie. */
export const NLMSGERR_ATTR_COOKIE = 3;
/** Policy of the rejected attribute. */
export const NLMSGERR_ATTR_POLICY = 4;
/** Type of a missing required attribute. */
export const NLMSGERR_ATTR_MISS_TYPE = 5;
/** Offset of the nest in which an attribute was missing. */
export const NLMSGERR_ATTR_MISS_NEST = 6;

/** Attribute types a kernel policy can describe (enum netlink_attribute_type), index = number. */
export const NL_ATTR_TYPES = [
  'invalid',
  'flag',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'binary',
  'string',
  'nul-string',
  'nested',
  'nested-array',
  'bitfield32',
  'sint',
  'uint',
] as const;

/** Status carried by NLMSG_ERROR (ACK when `error` is 0) or NLMSG_DONE. */
export interface NetlinkStatus {
  /** 0 or a negative errno, as the kernel sends it. */
  error: number;
  /** Extended ACK (empty object when absent). */
  extack: ExtAck;
  /** Sequence number of the request the error answers (from the echoed header; NLMSG_ERROR only). */
  requestSeq?: number;
  /** Type of the request the error answers (NLMSG_ERROR only). */
  requestType?: number;
}

const cursor = new AttrCursor();
const inner = new AttrCursor();

function u32(view: DataView, start: number, end: number, what: string): number {
  expectSize(start, end, 4, what);
  return view.getUint32(start, true);
}

function u64(view: DataView, start: number, end: number, what: string, signed: boolean): bigint {
  expectSize(start, end, 8, what);
  return signed ? view.getBigInt64(start, true) : view.getBigUint64(start, true);
}

/** Decodes a NL_POLICY_TYPE_ATTR_* nest. */
export function decodePolicy(view: DataView, start: number, end: number): PolicyInfo {
  const p: PolicyInfo = {};
  const c = inner.reset(view, start, end);
  while (c.next()) {
    const s = c.start;
    const e = c.end;
    switch (c.type) {
      case 1:
        p.typeId = u32(view, s, e, 'policy type');
        p.type = NL_ATTR_TYPES[p.typeId] ?? `type-${p.typeId}`;
        break;
      case 2:
        p.minValueSigned = u64(view, s, e, 'policy min value', true);
        break;
      case 3:
        p.maxValueSigned = u64(view, s, e, 'policy max value', true);
        break;
      case 4:
        p.minValueUnsigned = u64(view, s, e, 'policy min value', false);
        break;
      case 5:
        p.maxValueUnsigned = u64(view, s, e, 'policy max value', false);
        break;
      case 6:
        p.minLength = u32(view, s, e, 'policy min length');
        break;
      case 7:
        p.maxLength = u32(view, s, e, 'policy max length');
        break;
      case 8:
        p.policyIdx = u32(view, s, e, 'policy index');
        break;
      case 9:
        p.policyMaxType = u32(view, s, e, 'policy max type');
        break;
      case 10:
        p.bitfield32Mask = u32(view, s, e, 'policy bitfield32 mask');
        break;
      case 12:
        p.mask = u64(view, s, e, 'policy mask', false);
        break;
      default: // 11 is padding; newer kernels may add more
    }
  }
  return p;
}

/** Decodes extended ACK TLVs in [start, end). */
export function decodeExtAck(data: Uint8Array, view: DataView, start: number, end: number): ExtAck {
  const ext: ExtAck = {};
  const c = cursor.reset(view, start, end);
  while (c.next()) {
    const s = c.start;
    const e = c.end;
    switch (c.type) {
      case NLMSGERR_ATTR_MSG:
        ext.message = readString(data, s, e);
        break;
      case NLMSGERR_ATTR_OFFS:
        ext.badAttrOffset = u32(view, s, e, 'extack offset');
        break;
      case NLMSGERR_ATTR_COOKIE:
        ext.cookie = data.slice(s, e);
        break;
      case NLMSGERR_ATTR_POLICY: {
        ext.policy = decodePolicy(view, s, e);
        break;
      }
      case NLMSGERR_ATTR_MISS_TYPE:
        ext.missingType = u32(view, s, e, 'extack missing type');
        break;
      case NLMSGERR_ATTR_MISS_NEST:
        ext.missingNest = u32(view, s, e, 'extack missing nest');
        break;
      default:
    }
  }
  return ext;
}

/**
 * Decodes an NLMSG_ERROR message: the errno, the echoed request header (and payload unless capped), then the
 * extended ACK TLVs when NLM_F_ACK_TLVS is set.
 */
export function parseErrorMessage(msg: NetlinkMessage): NetlinkStatus {
  const { data, view, start, end } = msg;
  if (end - start < 4 + NLMSG_HDRLEN) throw new DecodeError('NLMSG_ERROR payload is too short', start);
  const error = view.getInt32(start, true);
  const echoed = start + 4;
  const echoedLen = view.getUint32(echoed, true);
  const requestType = view.getUint16(echoed + 4, true);
  const requestSeq = view.getUint32(echoed + 8, true);
  let tlvStart = echoed + NLMSG_HDRLEN;
  if (!(msg.flags & NLM_F_CAPPED)) {
    if (echoedLen < NLMSG_HDRLEN) throw new DecodeError(`echoed request length ${echoedLen} is too short`, echoed);
    tlvStart = echoed + ((echoedLen + 3) & ~3);
    if (tlvStart > end) {
      // The echo may legitimately end the message unpadded; anything longer is malformed.
      if (echoed + echoedLen > end) throw new DecodeError('echoed request runs past the end of NLMSG_ERROR', echoed);
      tlvStart = end;
    }
  }
  const extack = msg.flags & NLM_F_ACK_TLVS && tlvStart < end ? decodeExtAck(data, view, tlvStart, end) : {};
  return { error, extack, requestSeq, requestType };
}

/** Decodes the status of an NLMSG_DONE message (dump end): an errno (0 on success) and optional extack TLVs. */
export function parseDoneMessage(msg: NetlinkMessage): NetlinkStatus {
  const { data, view, start, end } = msg;
  if (end - start < 4) return { error: 0, extack: {} };
  const error = view.getInt32(start, true);
  const extack = msg.flags & NLM_F_ACK_TLVS && start + 4 < end ? decodeExtAck(data, view, start + 4, end) : {};
  return { error, extack };
}
