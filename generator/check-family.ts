// Checks on a resolved family that no schema can express: values the wire cannot carry, and spec names that would
// become the same identifier in the generated module. Both were silent before (300 sent as 44; the second of two
// `getX` methods winning at run time); both are errors at the place the spec wrote them, naming both sides.
import type { SpecError } from './diagnostics.js';
import type { Attr, EnumDef, Family, SourcePos } from './model.js';
import { camelCase, pascalCase, upperSnake } from './names.js';

/** nla_type is 16 bits, of which the top two are the NESTED and NET_BYTEORDER flags. */
export const MAX_ATTR_TYPE = 0x3fff;
/** A genetlink command is a u8 in genlmsghdr. */
export const MAX_GENL_CMD = 0xff;
/** nlmsg_type is a u16. */
export const MAX_MSG_TYPE = 0xffff;

/** Inclusive value range of each integer wire type. */
export const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  u8: [0n, 0xffn],
  u16: [0n, 0xffffn],
  u32: [0n, 0xffffffffn],
  u64: [0n, 0xffffffffffffffffn],
  uint: [0n, 0xffffffffffffffffn],
  s8: [-0x80n, 0x7fn],
  s16: [-0x8000n, 0x7fffn],
  s32: [-0x80000000n, 0x7fffffffn],
  s64: [-0x8000000000000000n, 0x7fffffffffffffffn],
  sint: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

/** Most payload bytes one attribute can hold: nla_len is a u16 and counts the 4-byte header. */
const MAX_ATTR_PAYLOAD = 0xffff - 4;

const at = (pos: SourcePos, message: string): SpecError => ({ ...pos, message, pointer: '' });
const where = (pos: SourcePos) => `line ${pos.line}`;

/**
 * Names that become one identifier: the first claim wins, a later different spec name mapping to the same identifier
 * is reported at its own position, naming the first.
 */
class IdentifierClaims {
  private readonly byIdent = new Map<string, { name: string; pos: SourcePos }>();
  constructor(
    private readonly errors: SpecError[],
    private readonly what: string,
  ) {}
  claim(ident: string, name: string, pos: SourcePos, role = ''): void {
    const first = this.byIdent.get(ident);
    if (first === undefined) {
      this.byIdent.set(ident, { name, pos });
      return;
    }
    if (first.name === name) return;
    this.errors.push(
      at(pos, `${this.what} "${name}"${role} and "${first.name}" (${where(first.pos)}) both become \`${ident}\` in generated code; rename one`),
    );
  }
}

/** Problems of a resolved family; empty when it can be generated as written. */
export function checkFamily(f: Family): SpecError[] {
  const errors: SpecError[] = [];
  checkWireRanges(f, errors);
  checkIdentifiers(f, errors);
  return errors;
}

function checkWireRanges(f: Family, errors: SpecError[]): void {
  const genl = f.protocol !== 'netlink-raw';
  const enums = new Map<string, EnumDef>();
  for (const d of f.definitions) if (d.kind === 'enum' || d.kind === 'flags') enums.set(d.name, d);
  for (const s of f.attributeSets) {
    for (const a of s.attributes) {
      if (a.value > MAX_ATTR_TYPE) {
        errors.push(at(a.pos, `attribute "${a.name}" has value ${a.value}; nla_type carries 14 bits (at most ${MAX_ATTR_TYPE})`));
      }
      checkAttrChecks(a, errors);
      const range = INT_RANGES[a.type];
      const e = a.enum !== undefined ? enums.get(a.enum) : undefined;
      if (range && e) {
        for (const entry of e.entries) {
          // flags hold masks already; an enum used as flags sends bit `value`, i.e. the mask 1 << value.
          const v = e.kind === 'enum' && a.enumAsFlags ? 1n << BigInt(entry.value) : BigInt(entry.value);
          if (v < range[0] || v > range[1]) {
            errors.push(at(a.pos, `attribute "${a.name}" is a ${a.type}, but ${e.kind} "${e.name}" has "${entry.name}" = ${v}, which a ${a.type} cannot carry`));
            break;
          }
        }
      }
    }
  }
  for (const op of f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const m = op[mode];
      if (!m) continue;
      for (const [dir, msg] of [['request', m.request], ['reply', m.reply]] as const) {
        if (!msg) continue;
        const max = genl ? MAX_GENL_CMD : MAX_MSG_TYPE;
        if (msg.value > max) {
          errors.push(at(op.pos, `op "${op.name}" ${mode} ${dir} has id ${msg.value}; a ${genl ? 'genetlink command is a u8' : 'netlink message type is a u16'} (at most ${max})`));
        }
      }
    }
    if (op.notification) {
      const max = genl ? MAX_GENL_CMD : MAX_MSG_TYPE;
      if (op.notification.value > max) errors.push(at(op.pos, `notification "${op.name}" has id ${op.notification.value}; at most ${max} fits the wire`));
    }
  }
}

function checkAttrChecks(a: Attr, errors: SpecError[]): void {
  const c = a.checks;
  const range = INT_RANGES[a.type];
  if (range) {
    for (const key of ['min', 'max'] as const) {
      const v = c[key];
      if (v === undefined) continue;
      const b = BigInt(v);
      if (b < range[0] || b > range[1]) {
        errors.push(at(a.pos, `attribute "${a.name}" is a ${a.type} (${range[0]}..${range[1]}), but checks ${key} is ${b}: the wire cannot carry it`));
      }
    }
  }
  for (const key of ['minLen', 'maxLen', 'exactLen'] as const) {
    const v = c[key];
    if (v !== undefined && v > MAX_ATTR_PAYLOAD) {
      const spelled = key === 'minLen' ? 'min-len' : key === 'maxLen' ? 'max-len' : 'exact-len';
      errors.push(at(a.pos, `attribute "${a.name}" has ${spelled} ${v}; an attribute holds at most ${MAX_ATTR_PAYLOAD} bytes (nla_len is a u16)`));
    }
  }
}

function checkIdentifiers(f: Family, errors: SpecError[]): void {
  // Attributes of one set are properties of one object type.
  for (const s of f.attributeSets) {
    const props = new IdentifierClaims(errors, `in set "${s.name}", attribute`);
    for (const a of s.attributes) {
      if (a.type === 'pad' || a.type === 'unused') continue;
      props.claim(camelCase(a.name), a.name, a.pos);
      // A sub-message attribute `data` also has `dataRaw` for formats the spec does not know.
      if (a.type === 'sub-message') props.claim(`${camelCase(a.name)}Raw`, `${a.name}'s raw form`, a.pos);
    }
  }
  // Members of one struct are properties of one object type.
  for (const d of f.definitions) {
    if (d.kind !== 'struct') continue;
    const members = new IdentifierClaims(errors, `in struct "${d.name}", member`);
    for (const m of d.members) if (m.type !== 'pad') members.claim(camelCase(m.name), m.name, d.pos);
  }
  // Module-level names of one kind (sets, enums and structs, constants, sub-messages). Across kinds the emitter
  // renames deterministically (a later claim gets a number), which the docs describe.
  const sets = new IdentifierClaims(errors, 'attribute set');
  for (const s of f.attributeSets) sets.claim(pascalCase(s.name.endsWith('attrs') ? s.name : `${s.name}-attrs`), s.name, s.pos);
  const types = new IdentifierClaims(errors, 'definition');
  const consts = new IdentifierClaims(errors, 'constant');
  for (const d of f.definitions) {
    if (d.kind === 'const') consts.claim(upperSnake(d.name), d.name, d.pos);
    else types.claim(pascalCase(d.name), d.name, d.pos);
  }
  const subs = new IdentifierClaims(errors, 'sub-message');
  for (const m of f.subMessages) subs.claim(pascalCase(`${m.name}-formats`), m.name, m.pos);
  // Ops are client methods (`getX`, `getXDump`) and request/reply/notification types.
  const methods = new IdentifierClaims(errors, 'op');
  const opTypes = new IdentifierClaims(errors, 'op');
  for (const op of f.operations.list) {
    const base = camelCase(op.name);
    if (op.do) methods.claim(base, op.name, op.pos, ' (its do method)');
    if (op.dump) methods.claim(`${base}Dump`, op.name, op.pos, ' (its dump method)');
    if (op.do || op.dump) opTypes.claim(pascalCase(`${op.name}-request`), op.name, op.pos, ' (its request type)');
    if (op.isNotification) opTypes.claim(pascalCase(`${op.name}-message`), op.name, op.pos, ' (its notification type)');
  }
}
