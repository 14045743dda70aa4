// What an extended ACK says, as plain data (decoded by extack.ts, carried by NetlinkError in errors.ts): its own
// module so that the error classes need not import the decoder, which imports them.

/** A kernel attribute policy (NL_POLICY_TYPE_ATTR_*), as reported for a rejected attribute. */
export interface PolicyInfo {
  /** Attribute type name ('u32', 'string' …) or `type-N` for numbers newer than this table. */
  type?: string;
  /** Raw NL_POLICY_TYPE_ATTR_TYPE number. */
  typeId?: number;
  /** Smallest accepted signed value. */
  minValueSigned?: bigint;
  /** Largest accepted signed value. */
  maxValueSigned?: bigint;
  /** Smallest accepted unsigned value. */
  minValueUnsigned?: bigint;
  /** Largest accepted unsigned value. */
  maxValueUnsigned?: bigint;
  /** Minimum payload length. */
  minLength?: number;
  /** Maximum payload length. */
  maxLength?: number;
  /** Index of the nested policy. */
  policyIdx?: number;
  /** Highest attribute of the nested policy. */
  policyMaxType?: number;
  /** Valid bits of a bitfield32. */
  bitfield32Mask?: number;
  /** Valid bits of an integer. */
  mask?: bigint;
}

/** Extended ACK contents; every field is optional because the kernel sends only what applies. */
export interface ExtAck {
  /** Human-readable error (or warning, on success). */
  message?: string;
  /** Offset of the bad attribute from the start of the request's nlmsghdr. */
  badAttrOffset?: number;
  /** Attribute type that was required but missing. */
  missingType?: number;
  /** Offset (from the request's nlmsghdr) of the nest that lacked `missingType`. */
  missingNest?: number;
  /** Policy of the rejected attribute. */
  policy?: PolicyInfo;
  /** Subsystem-specific cookie bytes (copied). */
  cookie?: Uint8Array;
}
