// The resolved spec model: the contract between reading specs and everything that consumes them.
//
// Plain data only (no classes, no functions, no YAML nodes): numbers assigned, subsets merged,
// references resolved by name, structs laid out. The emitter reads this and never re-reads YAML.
// Names are kept exactly as the spec spells them; turning them into TS identifiers is names.ts's job.

/** Where something was written in a spec, for error messages (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** The four YNL protocol levels. */
export type Protocol = 'genetlink' | 'genetlink-c' | 'genetlink-legacy' | 'netlink-raw';

/** Fixed-width integer types (as the spec names them). */
export type IntType = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64';

/** Variable-width integers: 4 or 8 bytes on the wire. */
export type VarIntType = 'uint' | 'sint';

/** Every attribute type after normalisation (`array-nest` becomes `indexed-array` with `subType: 'nest'`). */
export type AttrType =
  | IntType
  | VarIntType
  | 'flag'
  | 'string'
  | 'binary'
  | 'nest'
  | 'indexed-array'
  | 'nest-type-value'
  | 'bitfield32'
  | 'sub-message'
  | 'pad'
  | 'unused';

export type ByteOrder = 'little-endian' | 'big-endian';

/** How values should be presented to people / accepted from them. */
export type DisplayHint = 'hex' | 'mac' | 'fddi' | 'ipv4' | 'ipv6' | 'ipv4-or-v6' | 'uuid';

/** A numeric value that may not fit a double exactly (64-bit limits) is a bigint. */
export type Num = number | bigint;

/** A whole family. */
export interface Family {
  /** Spec `name`, e.g. `rt-link`, `nlctrl`. */
  name: string;
  protocol: Protocol;
  /** Netlink protocol number for `socket(AF_NETLINK, SOCK_RAW, protonum)`: spec `protonum` for raw, 16 (NETLINK_GENERIC) otherwise. */
  protonum: number;
  doc?: string;
  /** Generic netlink family version (`version`, default 1); undefined for netlink-raw. */
  version?: number;
  /**
   * Name the kernel registers for a genetlink family, to look up with nlctrl: the spec `name`
   * (the spec's `kernel-family` key only carries kernel-side C code hints and is ignored). Undefined for netlink-raw.
   */
  kernelFamily?: string;
  /** `uapi-header` as given; when absent the C header is `linux/<name>.h`. */
  uapiHeader?: string;
  /** `c-family-name`, `c-version-name`, `max-by-define`, ... are kept verbatim for consumers that want them. */
  cNames?: Record<string, string | boolean>;
  definitions: Definition[];
  attributeSets: AttrSet[];
  subMessages: SubMessage[];
  operations: Operations;
  mcastGroups: McastGroup[];
  /** Where the family came from: its spec file, its hash (with overlays folded in), the overlays applied. */
  source: { file: string; sha256: string; overlays?: string[] };
}

export type Definition = ConstDef | EnumDef | StructDef;

export interface ConstDef {
  kind: 'const';
  name: string;
  /** A number, or a string constant (e.g. a name the kernel uses as a string). */
  value: Num | string;
  doc?: string;
  /** Definitions that come from a kernel header instead of being rendered (`header`). */
  header?: string;
  /** `name-prefix`: the C name is prefix + name; specs may refer to the constant by that longer name too. */
  namePrefix?: string;
  pos: SourcePos;
}

export interface EnumEntry {
  name: string;
  /** Computed value: for `enum` the counter value; for `flags` the mask `1 << bit`. */
  value: Num;
  doc?: string;
}

export interface EnumDef {
  kind: 'enum' | 'flags';
  name: string;
  doc?: string;
  header?: string;
  /** `name-prefix` / `enum-name` as given, for consumers that render C-like names (`enum-name:` left empty → `''`: no C enum name). */
  namePrefix?: string;
  enumName?: string;
  entries: EnumEntry[];
  pos: SourcePos;
}

export interface StructMember {
  name: string;
  /** Scalars, or `binary`/`string` with a `len`, or `pad`; a member may also be a nested struct. */
  type: IntType | 'binary' | 'string' | 'pad';
  /**
   * Byte offset inside the struct, laid out as the C compiler lays out the uapi struct: each member at
   * its natural alignment (integers by their width, nested structs by theirs, byte arrays at 1). Specs
   * that write their padding as `pad` members get the same offsets as a packed layout.
   */
  offset: number;
  /** Size in bytes. */
  size: number;
  byteOrder?: ByteOrder;
  doc?: string;
  enum?: string;
  enumAsFlags?: boolean;
  /** A binary member that is itself a struct (`struct: name`). */
  struct?: string;
  displayHint?: DisplayHint;
}

export interface StructDef {
  kind: 'struct';
  name: string;
  doc?: string;
  header?: string;
  members: StructMember[];
  /**
   * Size in bytes as C's `sizeof` (trailing padding to the struct's alignment included): the length the
   * kernel expects and checks on the wire. Checked against gcc by the ABI test.
   */
  size: number;
  /** Alignment of the struct (its largest member alignment). */
  align: number;
  pos: SourcePos;
}

/** Input checks from a spec's `checks`, with const names and `u32-max`-style limits resolved. */
export interface Checks {
  min?: Num;
  max?: Num;
  minLen?: number;
  maxLen?: number;
  exactLen?: number;
  /** Resolved mask, and the flags definition it came from when given by name. */
  flagsMask?: { value: Num; enum?: string };
  unterminatedOk?: boolean;
}

export interface Attr {
  name: string;
  /** Attribute type number on the wire. */
  value: number;
  type: AttrType;
  doc?: string;
  byteOrder?: ByteOrder;
  /** Name of an enum or flags definition describing the value. */
  enum?: string;
  enumAsFlags?: boolean;
  /** For nest, indexed-array (of nests), nest-type-value: the attribute set of the children. */
  nestedAttributes?: string;
  /** The attribute may appear several times (repeated). */
  multiAttr: boolean;
  /** Element type for `binary` arrays and `indexed-array` (`nest` or a scalar type). */
  subType?: IntType | VarIntType | 'nest' | 'binary' | 'string';
  /** For `binary` (and struct arrays): the struct laid out in the payload. */
  struct?: string;
  displayHint?: DisplayHint;
  /** Per-attribute `name-prefix` overriding the set's for the C name (genetlink-c and up). */
  namePrefix?: string;
  checks: Checks;
  /** For `sub-message`: which sub-message table, and the name of the attribute whose value selects the format. */
  subMessage?: string;
  selector?: string;
  /** For `nest-type-value`: the fixed header(s) struct names (`type-value`). */
  typeValue?: string[];
  pos: SourcePos;
}

export interface AttrSet {
  name: string;
  doc?: string;
  namePrefix?: string;
  enumName?: string;
  /** Set this one is a subset of; attributes then carry the parent's values and types (local keys override). */
  subsetOf?: string;
  attributes: Attr[];
  pos: SourcePos;
}

export interface SubMessageFormat {
  /** Selector value (e.g. link kind `vxlan`). */
  value: string;
  fixedHeader?: string;
  attributeSet?: string;
}

export interface SubMessage {
  name: string;
  doc?: string;
  formats: SubMessageFormat[];
  pos: SourcePos;
}

/** One direction of a `do`/`dump` (the request or the reply). */
export interface OpMessage {
  /** Message id (genl command or netlink message type) used on the wire for this direction. */
  value: number;
  /** Attribute names (from the op's attribute set) allowed in this message. */
  attributes: string[];
}

/**
 * A `do` or `dump`. `request` is always present (a call always sends a request, possibly with no
 * attributes); `reply` only when the spec describes one (otherwise the kernel answers with an ack only).
 */
export interface OpMode {
  request: OpMessage;
  reply?: OpMessage;
  pre?: string;
  post?: string;
}

export interface Operation {
  name: string;
  doc?: string;
  /**
   * The op's own id: for `unified` the counter value (also the reply id); for `directional` the
   * request id when the op has a request, else the reply/notification id.
   */
  value: number;
  attributeSet?: string;
  /** Struct sent before the attributes (op-specific, else the family-wide `fixed-header`). */
  fixedHeader?: string;
  /** e.g. `admin-perm`, `uns-admin-perm`. */
  flags: string[];
  do?: OpMode;
  dump?: OpMode;
  /** A notification that reuses another op's reply shape: the name of that op. */
  notify?: string;
  /** A notification with its own attribute list. */
  event?: { attributes: string[] };
  /**
   * For `notify`/`event` ops: the message id the kernel sends the notification with, and its attributes
   * (the notify target's `do` reply, else its `dump` reply; or the event's own list).
   */
  notification?: OpMessage;
  /** Multicast group the notification is sent to. */
  mcgrp?: string;
  /**
   * Whether this op is only a notification (`notify`/`event` without `do`/`dump`). An op with none of
   * do/dump/notify/event is a reserved id (e.g. `unspec` = 0): it keeps its number and does nothing else.
   */
  isNotification: boolean;
  pos: SourcePos;
}

export interface Operations {
  enumModel: 'unified' | 'directional';
  namePrefix?: string;
  asyncPrefix?: string;
  asyncEnum?: string;
  /** Family-wide fixed header struct name. */
  fixedHeader?: string;
  list: Operation[];
}

export interface McastGroup {
  name: string;
  /** `c-define-name` override for the C define, when given. */
  cDefineName?: string;
  /** Static group id (netlink-raw); genetlink ids are assigned by the kernel at run time. */
  value?: number;
  doc?: string;
  flags: string[];
}
