// Model → the sections of one family's TypeScript module: constants, types, codecs, name tables, client.
//
// Everything here is decided at generation time: decoders switch on attribute numbers and read with DataView,
// encoders write in spec order; the runtime never interprets a spec. Spec text only enters the output through
// names.ts (identifiers, string literals, doc comments).

import type { Attr, AttrSet, EnumDef, Family, Operation, StructDef, StructMember, SubMessage } from './model.js';
import { NameScope, camelCase, docComment, jsonString, objectLiteral, pascalCase, propKey, str, upperSnake } from './names.js';

/** Members every generated client has (rt.FamilyClient's, Object's, `then`): no op method may take them. */
const CLIENT_MEMBERS = new Set([
  'socket', 'familyId', 'groupIds', 'names', 'decodeCtx', 'close', 'batch', 'send', 'sendAck', 'nameError', 'dumpOf',
  'subscribeTo', 'subscribe', 'decodeNotification', 'constructor', 'then', 'toString', 'toJSON',
  'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__',
]);

/** One titled block of generated code, in module order. */
export interface Section {
  title: string;
  code: string;
}

/** The parts of a family module that the template lays out. */
export interface FamilyModule {
  family: Family;
  moduleDoc: string;
  clientName: string;
  sections: Section[];
}

const INT_RANGE: Record<string, [string, string]> = {
  u8: ['0', '255'],
  u16: ['0', '65535'],
  u32: ['0', '4294967295'],
  s8: ['-128', '127'],
  s16: ['-32768', '32767'],
  s32: ['-2147483648', '2147483647'],
  u64: ['0n', '18446744073709551615n'],
  s64: ['-9223372036854775808n', '9223372036854775807n'],
  uint: ['0n', '18446744073709551615n'],
  sint: ['-9223372036854775808n', '9223372036854775807n'],
};
const INT_SIZE: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8 };
const TYPED_ARRAY: Record<string, string> = {
  u8: 'Uint8Array',
  u16: 'Uint16Array',
  u32: 'Uint32Array',
  u64: 'BigUint64Array',
  s8: 'Int8Array',
  s16: 'Int16Array',
  s32: 'Int32Array',
  s64: 'BigInt64Array',
};
/** Most statements one generated encoder function holds before the set is split into parts (see `setEncoder`). */
const ENCODE_RUN = 16;
const is64 = (t: string) => t === 'u64' || t === 's64' || t === 'uint' || t === 'sint';
const isInt = (t: string) => t in INT_RANGE;

function numLit(v: number | bigint, big: boolean): string {
  if (big) return `${BigInt(v)}n`;
  return typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? String(Number(v)) : `${v}`) : String(v);
}

/** Builds the sections of one family's module. */
export function emitFamily(family: Family): FamilyModule {
  return new FamilyEmitter(family).emit();
}

class FamilyEmitter {
  private readonly scope = new NameScope(['rt', 'FAMILY_NAME', 'PROTOCOL', 'ATTR_NAMES', 'NOTIFICATIONS']);
  private readonly enums = new Map<string, EnumDef>();
  private readonly structs = new Map<string, StructDef>();
  private readonly sets = new Map<string, AttrSet>();
  private readonly subMessages = new Map<string, SubMessage>();
  /** Key sets for rt.checkKeys by content, and their declarations (written before the encoders that use them). */
  private readonly keySets = new Map<string, string>();
  private readonly keySetDecls: string[] = [];
  /** Declarations of the message-id constants the module's code names (see `idConst`). */
  private readonly idConsts: string[] = [];
  /** Per attribute set: property name of each attribute (unique within the set). */
  private readonly props = new Map<string, Map<string, string>>();
  /** Attribute sets whose type is a union (same-level sub-messages); picked with rt.PickAttrs. */
  private readonly unionSets = new Set<string>();
  /** Per attribute set decoded into an object of its own shape: the shape's name (see `shapes`). */
  private readonly shapeOf = new Map<string, string>();
  /** Per set with a shape: the fixed-header structs decoded before it into the same object. */
  private readonly headersOf = new Map<string, string[]>();
  /** Per struct used as a fixed header: camelCase member names that an attribute of the same message also has. */
  private readonly headerClashes = new Map<string, Set<string>>();
  private readonly isGenl: boolean;
  /** Names of attributes that select a sub-message somewhere in the family (their values travel down). */
  private readonly selectorNames: ReadonlySet<string>;
  readonly clientName: string;

  constructor(private readonly f: Family) {
    this.isGenl = f.protocol !== 'netlink-raw';
    for (const d of f.definitions) {
      if (d.kind === 'struct') this.structs.set(d.name, d);
      else if (d.kind === 'enum' || d.kind === 'flags') this.enums.set(d.name, d);
    }
    for (const s of f.attributeSets) this.sets.set(s.name, s);
    for (const m of f.subMessages) this.subMessages.set(m.name, m);
    this.selectorNames = new Set(f.attributeSets.flatMap((x) => x.attributes.filter((a) => a.type === 'sub-message' && a.selector).map((a) => a.selector!)));
    // Claim module-level names in a fixed order so collisions resolve the same way every run.
    this.clientName = this.scope.claim('client', pascalCase(f.name));
    for (const d of f.definitions) {
      if (d.kind === 'const') this.scope.claim(`const:${d.name}`, upperSnake(d.name));
      else this.scope.claim(`def:${d.name}`, pascalCase(d.name));
    }
    for (const s of f.attributeSets) {
      this.scope.claim(`set:${s.name}`, pascalCase(s.name.endsWith('attrs') ? s.name : `${s.name}-attrs`));
      const local = new NameScope(['$unknown']);
      const m = new Map<string, string>();
      for (const a of s.attributes) m.set(a.name, local.claim(a.name, camelCase(a.name)));
      this.props.set(s.name, m);
      if (s.attributes.some((a) => a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector))) {
        this.unionSets.add(s.name);
      }
    }
    for (const m of f.subMessages) this.scope.claim(`sub:${m.name}`, pascalCase(`${m.name}-formats`));
    // A fixed header and the attributes after it share one object: a header field whose name an attribute of the
    // same message also has would be overwritten, so such fields are renamed (see structDecl).
    const clash = (struct: string | undefined, set: string | undefined) => {
      if (!struct || !set || !this.structs.has(struct) || !this.props.has(set)) return;
      const props = new Set(this.props.get(set)!.values());
      for (const m of this.structs.get(struct)!.members) {
        if (m.type !== 'pad' && props.has(camelCase(m.name))) this.headerClashes.set(struct, (this.headerClashes.get(struct) ?? new Set()).add(camelCase(m.name)));
      }
    };
    for (const op of f.operations.list) clash(op.fixedHeader ?? f.operations.fixedHeader, op.attributeSet);
    for (const m of f.subMessages) for (const fmt of m.formats) clash(fmt.fixedHeader, fmt.attributeSet);
    // Sets decoded into a message object with a header, and sets with more attributes than an empty literal holds in
    // the object itself (4), get a shape: a constructor V8 sizes for all their properties (see `shapes`).
    const pair = (struct: string | undefined, set: string | undefined) => {
      if (!struct || !set || !this.structs.has(struct) || !this.sets.has(set)) return;
      const list = this.headersOf.get(set) ?? [];
      if (!list.includes(struct)) list.push(struct);
      this.headersOf.set(set, list);
    };
    for (const op of f.operations.list) pair(op.fixedHeader ?? f.operations.fixedHeader, op.attributeSet);
    for (const op of f.operations.list) {
      const target = op.notify ? f.operations.list.find((o) => o.name === op.notify) : undefined;
      if (target) pair(op.fixedHeader ?? target.fixedHeader ?? f.operations.fixedHeader, target.attributeSet);
    }
    for (const m of f.subMessages) for (const fmt of m.formats) pair(fmt.fixedHeader, fmt.attributeSet);
    for (const s of f.attributeSets) {
      const attrs = s.attributes.filter((a) => a.type !== 'pad' && a.type !== 'unused').length;
      if (this.headersOf.has(s.name) || attrs > 4) this.shapeOf.set(s.name, `${this.scope.get(`set:${s.name}`)}$shape`);
    }
    for (const op of f.operations.list) {
      for (const mode of ['do', 'dump'] as const) {
        const om = op[mode];
        if (om?.request) this.scope.claim(`req:${mode}:${op.name}`, pascalCase(`${op.name}-${mode === 'do' ? '' : 'dump-'}request`));
        if (om?.reply) this.scope.claim(`rep:${mode}:${op.name}`, pascalCase(`${op.name}-${mode === 'do' ? '' : 'dump-'}reply`));
      }
      if (op.isNotification) this.scope.claim(`ntf:${op.name}`, pascalCase(`${op.name}-message`));
    }
    this.scope.claim('notification', `${this.clientName}Notification`);
    this.scope.claim('group', `${this.clientName}Group`);
    this.scope.claim('codecs', `${this.clientName}Codecs`);
    // The per-operation payload functions are named `encode<RequestType>` / `decode<ReplyType>`; a mode without such a
    // type claims the name it would have had, last, so no public name shifts.
    for (const op of f.operations.list) {
      for (const mode of ['do', 'dump'] as const) {
        if (!op[mode]) continue;
        const suffix = mode === 'do' ? '' : 'dump-';
        if (!this.scope.get(`req:${mode}:${op.name}`)) this.scope.claim(`encreq:${mode}:${op.name}`, pascalCase(`${op.name}-${suffix}request`));
        if (!this.scope.get(`rep:${mode}:${op.name}`)) this.scope.claim(`decrep:${mode}:${op.name}`, pascalCase(`${op.name}-${suffix}reply`));
      }
    }
  }

  emit(): FamilyModule {
    const sections: Section[] = [];
    const consts = this.f.definitions.filter((d) => d.kind === 'const');
    if (consts.length > 0) sections.push({ title: 'Constants', code: consts.map((c) => this.constDecl(c.name)).join('\n') });
    if (this.enums.size > 0) sections.push({ title: 'Enums and flags', code: [...this.enums.values()].map((e) => this.enumDecl(e)).join('\n') });
    if (this.structs.size > 0) sections.push({ title: 'Structs', code: [...this.structs.values()].map((s) => this.structDecl(s)).join('\n') });
    if (this.sets.size > 0) sections.push({ title: 'Attribute sets', code: [...this.sets.values()].map((s) => this.setDecl(s)).join('\n') });
    if (this.subMessages.size > 0) sections.push({ title: 'Sub-messages', code: [...this.subMessages.values()].map((m) => this.subMessageDecl(m)).join('\n') });
    if (this.shapeOf.size > 0) sections.push({ title: 'Decoded object shapes', code: this.shapes() });
    sections.push({ title: 'Operation messages', code: this.opTypes() });
    sections.push({ title: 'Operation payloads', code: this.opPayloadFunctions() });
    sections.push({ title: 'Attribute names for error paths', code: this.nameTables() });
    sections.push({ title: 'Client', code: this.client() });
    sections.push({ title: 'Codecs without a socket', code: this.codecs() });
    if (this.idConsts.length > 0) {
      // First in the module: the numbers a reader of the kernel's headers knows (RTM_NEWLINK …).
      sections.unshift({ title: this.isGenl ? 'Commands' : 'Message types', code: this.idConsts.join('') });
    }
    if (this.keySetDecls.length > 0) {
      // Declared before the encoders that read them (they only run later, but a reader meets them first).
      const at = sections.findIndex((x) => x.title === 'Structs' || x.title === 'Attribute sets');
      sections.splice(at < 0 ? sections.length : at, 0, { title: 'Keys a request value may have', code: `${this.keySetDecls.join('\n')}\n` });
    }
    const enumSection = sections.find((x) => x.title === 'Enums and flags');
    if (enumSection) enumSection.code = dropUnusedTables(enumSection.code, sections.filter((x) => x !== enumSection).map((x) => x.code).join('\n'));
    return {
      family: this.f,
      clientName: this.clientName,
      moduleDoc: docComment([this.f.doc ?? `The ${this.f.name} netlink family.`, `@packageDocumentation`]),
      sections,
    };
  }

  // ------------------------------------------------------------------------------------------------ names

  private setType(name: string): string {
    return this.scope.get(`set:${name}`)!;
  }
  private defName(name: string): string {
    return this.scope.get(`def:${name}`)!;
  }
  private prop(set: string, attr: string): string {
    return this.props.get(set)!.get(attr)!;
  }
  private setFn(kind: 'encode' | 'decode', set: string): string {
    return `${kind}${this.setType(set)}`;
  }
  private structFn(kind: 'encode' | 'decode', name: string): string {
    return `${kind}${this.defName(name)}`;
  }

  // ------------------------------------------------------------------------------------------------ definitions

  private constDecl(name: string): string {
    const c = this.f.definitions.find((d) => d.name === name && d.kind === 'const')!;
    if (c.kind !== 'const') return '';
    return `${docComment([c.doc])}export const ${this.scope.get(`const:${name}`)} = ${typeof c.value === 'string' ? str(c.value) : numLit(c.value, typeof c.value === 'bigint')};\n`;
  }

  private enumDecl(e: EnumDef): string {
    const id = this.defName(e.name);
    const entries = e.entries.map((x) => `${docComment([x.doc], '  ')}  ${propKey(x.name)}: ${numLit(x.value, false)},`).join('\n');
    const union = e.entries.length > 0 ? e.entries.map((x) => str(x.name)).join(' | ') : 'never';
    const kindNote = e.kind === 'flags' ? 'Bit flags: values are masks; attributes carry them as an array of names.' : undefined;
    return (
      `${docComment([e.doc, kindNote])}export const ${id} = Object.freeze({\n${entries}\n} as const);\n` +
      `${docComment([`Names of {@link ${id}}.`])}export type ${id} = ${union};\n` +
      `const ${id}_BY_NAME: ReadonlyMap<string, number> = new Map<string, number>(Object.entries(${id}));\n` +
      (e.entries.some((x) => /^(0|[1-9][0-9]*)$/.test(x.name))
        ? // Integer-like names would come first out of Object.entries: spell the tables out in spec order.
          `const ${id}_BY_VALUE: ReadonlyMap<number, ${id}> = new Map<number, ${id}>([${e.entries.map((x) => `[${numLit(x.value, false)}, ${str(x.name)}]`).join(', ')}] as const);\n` +
          `const ${id}_BITS: readonly (readonly [${id}, number])[] = [${e.entries.map((x) => `[${str(x.name)}, ${numLit(x.value, false)}]`).join(', ')}];\n`
        : // Derived from the object above at load time rather than repeated as literals (cheaper to type-check).
          `const ${id}_BY_VALUE: ReadonlyMap<number, ${id}> = rt.enumByValue<${id}>(${id});\n` +
          `const ${id}_BITS: readonly (readonly [${id}, number])[] = rt.enumEntries<${id}>(${id});\n`)
    );
  }

  /** Bit masks of an enum used as flags: `1 << value` for enum-as-flags, the masks themselves for `flags`. */
  private flagTable(enumName: string, asFlags: boolean): string {
    const e = this.enums.get(enumName)!;
    const id = this.defName(enumName);
    if (e.kind === 'flags' || !asFlags) return `${id}_BITS`;
    const key = `bits:${enumName}`;
    if (!this.extraTables.has(key)) {
      this.extraTables.set(
        key,
        `const ${id}_AS_FLAGS: readonly (readonly [${id}, number])[] = [${e.entries.map((x) => `[${str(x.name)}, ${Number(1n << BigInt(x.value))}]`).join(', ')}];\n` +
          `const ${id}_FLAG_BY_NAME: ReadonlyMap<string, number> = new Map(${id}_AS_FLAGS);\n`,
      );
    }
    return `${id}_AS_FLAGS`;
  }
  private readonly extraTables = new Map<string, string>();

  /** Tables for an enum carried in a 64-bit attribute: value → name, and name/bits as bigint masks. */
  private wideTable(enumName: string, kind: 'byValue' | 'bits' | 'bitsByName', asFlags: boolean): string {
    const e = this.enums.get(enumName)!;
    const id = this.defName(enumName);
    if (kind === 'byValue') {
      const key = `wide-values:${enumName}`;
      if (!this.extraTables.has(key)) {
        this.extraTables.set(key, `const ${id}_BY_VALUE64: ReadonlyMap<bigint, ${id}> = new Map<bigint, ${id}>([${e.entries.map((x) => `[${BigInt(x.value)}n, ${str(x.name)}]`).join(', ')}]);\n`);
      }
      return `${id}_BY_VALUE64`;
    }
    // `flags` entries are masks already; an enum used as flags names bit numbers.
    const masks = e.kind === 'flags' || !asFlags;
    const table = `${id}_${masks ? 'MASKS64' : 'AS_FLAGS64'}`;
    const key = `wide-bits:${enumName}:${masks}`;
    if (!this.extraTables.has(key)) {
      this.extraTables.set(
        key,
        `const ${table}: readonly (readonly [${id}, bigint])[] = [${e.entries.map((x) => `[${str(x.name)}, ${masks ? BigInt(x.value) : 1n << BigInt(x.value)}n]`).join(', ')}];\n` +
          `const ${table}_BY_NAME: ReadonlyMap<string, bigint> = new Map(${table});\n`,
      );
    }
    return kind === 'bits' ? table : `${table}_BY_NAME`;
  }

  /** How an enum-typed integer is presented: 'enum' (name or number), 'flags' (array), or undefined (plain number). */
  private enumMode(enumName: string | undefined, asFlags: boolean | undefined, type: string): 'enum' | 'flags' | undefined {
    if (!enumName || !this.enums.has(enumName)) return undefined;
    const e = this.enums.get(enumName)!;
    return e.kind === 'flags' || asFlags ? 'flags' : 'enum';
  }

  // ------------------------------------------------------------------------------------------------ structs

  private memberTsType(m: StructMember): string {
    if (m.struct) return this.defName(m.struct);
    if (m.type === 'binary') return m.displayHint && ['ipv4', 'ipv6', 'ipv4-or-v6', 'mac', 'uuid'].includes(m.displayHint) ? 'string' : 'Uint8Array';
    if (m.type === 'string') return 'string';
    if (m.displayHint === 'ipv4' && m.type === 'u32') return 'string';
    const num = is64(m.type) ? 'bigint' : 'number';
    const mode = this.enumMode(m.enum, m.enumAsFlags, m.type);
    if (mode === 'enum') return `${this.defName(m.enum!)} | ${num}`;
    if (mode === 'flags') return `(${this.defName(m.enum!)} | ${num})[]`;
    return num;
  }

  /** Property names of a struct's members (header fields named like an attribute get the struct's name in front). */
  private structMembers(s: StructDef): { local: NameScope; members: { m: StructMember; clash: boolean; p: string }[] } {
    const local = new NameScope(['$extra']);
    const clashes = this.headerClashes.get(s.name);
    const members = s.members
      .filter((m) => m.type !== 'pad')
      .map((m) => ({ m, clash: clashes?.has(camelCase(m.name)) ?? false }))
      .map(({ m, clash }) => ({ m, clash, p: local.claim(m.name, clash ? camelCase(`${s.name}-${m.name}`) : camelCase(m.name)) }));
    return { local, members };
  }

  /** Keys a plain-JS value of a struct may have. */
  private structKeys(name: string): string[] {
    return [...this.structMembers(this.structs.get(name)!).members.map((x) => x.p), '$extra'];
  }

  /** Keys a plain-JS value of an attribute set may have (`only`: just these attributes, as an op's request lists). */
  private setKeys(set: string, only?: readonly string[]): string[] {
    const s = this.sets.get(set)!;
    const keys: string[] = [];
    for (const a of s.attributes) {
      if (a.type === 'pad' || a.type === 'unused' || (only && !only.includes(a.name))) continue;
      const p = this.prop(set, a.name);
      keys.push(p);
      if (a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector)) keys.push(`${p}Raw`);
    }
    keys.push('$unknown');
    return keys;
  }

  /** A module constant holding a key set for rt.checkKeys, shared by every encoder that needs the same keys. */
  private keySet(keys: readonly string[]): string {
    const sorted = [...new Set(keys)].sort();
    const key = `keys:${sorted.join('\0')}`;
    let id = this.keySets.get(key);
    if (id === undefined) {
      id = `KEYS$${this.keySets.size}`;
      this.keySets.set(key, id);
      this.keySetDecls.push(`const ${id} = rt.keySet(${jsonString(sorted)});`);
    }
    return id;
  }

  private structDecl(s: StructDef): string {
    const id = this.defName(s.name);
    const { local, members } = this.structMembers(s);
    const clashNote = (m: StructMember) => `Named after its struct: an attribute sent in the same message is also called \`${camelCase(m.name)}\`.`;
    const fields = members.map(({ m, p, clash }) => `${docComment([m.doc, clash ? clashNote(m) : undefined], '  ')}  ${propKey(p)}: ${this.memberTsType(m)};`).join('\n');
    const iface =
      `${docComment([s.doc, `Packed C struct, ${s.size} bytes.`])}export interface ${id} {\n${fields}\n` +
      `  /** Bytes past the end of the struct as this spec knows it (sent by a newer kernel); kept, never lost. */\n  $extra?: Uint8Array;\n}\n`;
    // Decoder: fixed offsets; short payloads are zero-filled, longer ones keep their tail.
    const reads = members.map(({ m, p }) => `    ${propKey(p)}: ${this.memberRead(m)},`).join('\n');
    const decode =
      `/** Decodes {@link ${id}} from \`[p, e)\`; tolerates a short or longer payload. */\n` +
      `function ${this.structFn('decode', s.name)}(d: Uint8Array, ${usesView(reads) ? 'v' : '_v'}: DataView, p: number, e: number): ${id} {\n` +
      // Locals instead of a destructured array: no allocation per call on the common, full-size path.
      // A short payload is read from a zero-filled copy: `d`, `v` and `o` then all refer to the copy (members that are
      // structs themselves included), never to the bytes after the payload.
      `  const full = e - p >= ${s.size};\n` +
      `  let o = p;\n` +
      `  if (!full) [d, ${usesView(reads) ? 'v' : '_v'}, o] = rt.structView(d, p, e, ${s.size});\n` +
      `  const out: ${id} = {\n${reads}\n  };\n` +
      `  if (full && e - p > ${s.size}) out.$extra = d.slice(p + ${s.size}, e);\n` +
      `  return out;\n}\n`;
    // Members go at their C offsets: alignment gaps and trailing padding that the spec leaves implicit are zeros,
    // so the encoder always writes sizeof bytes (what the kernel checks) and the decoder's offsets line up.
    const writeLines: string[] = [];
    let at = 0;
    for (const m of s.members) {
      if (m.offset > at) writeLines.push(`  w.rawZeros(${m.offset - at});`);
      writeLines.push(this.memberWrite(m, m.type === 'pad' ? '' : local.get(m.name)!));
      at = Math.max(at, m.offset + m.size);
    }
    if (s.size > at) writeLines.push(`  w.rawZeros(${s.size - at});`);
    const writes = writeLines.join('\n');
    const encode =
      `/** Writes {@link ${id}} (missing fields are zero). */\n` +
      `function ${this.structFn('encode', s.name)}(w: rt.AttrWriter, s: Partial<${id}>, path: string, checked = false): void {\n` +
      `  rt.checkObject(s, path);\n  if (!checked) rt.checkKeys(s, ${this.keySet(this.structKeys(s.name))}, path);\n${writes}\n` +
      `  if (s.$extra !== undefined) w.rawBytes(rt.checkBytes(s.$extra, rt.join(path, '$extra')));\n}\n`;
    return iface + decode + encode;
  }

  private memberRead(m: StructMember): string {
    const at = `o + ${m.offset}`;
    const end = `o + ${m.offset + m.size}`;
    if (m.struct) return `${this.structFn('decode', m.struct)}(d, v, ${at}, ${end})`;
    if (m.type === 'binary') return this.hintRead(m.displayHint, 'd', at, end) ?? `d.slice(${at}, ${end})`;
    if (m.type === 'string') return `rt.str(d, ${at}, ${end})`;
    const le = m.byteOrder === 'big-endian' ? 'false' : 'true';
    const get: Record<string, string> = {
      u8: `d[${at}]!`, // a byte array read: cheaper than the DataView call (header structs are read per message)
      s8: `v.getInt8(${at})`,
      u16: `v.getUint16(${at}, ${le})`,
      s16: `v.getInt16(${at}, ${le})`,
      u32: `v.getUint32(${at}, ${le})`,
      s32: `v.getInt32(${at}, ${le})`,
      // Little-endian 64-bit members through rt.u64At/s64At: zero without a BigInt allocation.
      u64: le === 'true' ? `rt.u64At(v, ${at})` : `v.getBigUint64(${at}, ${le})`,
      s64: le === 'true' ? `rt.s64At(v, ${at})` : `v.getBigInt64(${at}, ${le})`,
    };
    const raw = get[m.type]!;
    if (m.displayHint === 'ipv4' && m.type === 'u32') return `rt.ipv4FromU32(${raw})`;
    return this.enumWrapRead(m.enum, m.enumAsFlags, m.type, raw);
  }

  private memberWrite(m: StructMember, prop: string): string {
    if (m.type === 'pad') return `  w.rawZeros(${m.size});`;
    const val = `s.${propKey(prop).startsWith('[') || propKey(prop).startsWith('"') ? `[${str(prop)}]` : prop}`;
    const path = `rt.join(path, ${str(prop)})`;
    if (m.struct) return `  if (${val} === undefined) w.rawZeros(${m.size});\n  else ${this.structFn('encode', m.struct)}(w, ${val}, ${path});`;
    // Fixed-size members: a value that does not fit is an error, never cut (a shorter string is NUL-padded).
    if (m.type === 'binary') {
      const hint = this.hintParse(m.displayHint, val, path);
      return `  w.rawBytes(${val} === undefined ? new Uint8Array(0) : rt.fixedBytes(${hint ?? `rt.checkBytes(${val}, ${path})`}, ${m.size}, ${path}), ${m.size});`;
    }
    if (m.type === 'string') return `  w.rawBytes(${val} === undefined ? new Uint8Array(0) : rt.fixedString(rt.utf8Bytes(rt.checkString(${val}, ${path})), ${m.size}, ${path}), ${m.size});`;
    const be = m.byteOrder === 'big-endian' ? ', true' : '';
    const fn = `raw${m.type[0]!.toUpperCase()}${m.type.slice(1)}`;
    let expr: string;
    if (m.displayHint === 'ipv4' && m.type === 'u32') expr = `rt.ipv4ToU32(${val}, ${path})`;
    else expr = this.enumWrapWrite(m.enum, m.enumAsFlags, m.type, val, path);
    const [lo, hi] = INT_RANGE[m.type]!;
    const checked = is64(m.type) ? `rt.checkBig(${expr}, ${lo}, ${hi}, ${path})` : `rt.checkInt(${expr}, ${lo}, ${hi}, ${path})`;
    return `  w.${fn}(${val} === undefined ? ${is64(m.type) ? '0n' : '0'} : ${checked}${be});`;
  }

  private enumWrapRead(enumName: string | undefined, asFlags: boolean | undefined, type: string, raw: string): string {
    const mode = this.enumMode(enumName, asFlags, type);
    if (mode && is64(type)) {
      return mode === 'enum'
        ? `rt.enumName64(${this.wideTable(enumName!, 'byValue', !!asFlags)}, ${raw})`
        : `rt.flagNames64(${this.wideTable(enumName!, 'bits', !!asFlags)}, ${raw})`;
    }
    if (mode === 'enum') return `rt.enumName(${this.defName(enumName!)}_BY_VALUE, ${raw})`;
    if (mode === 'flags') return `rt.flagNames(${this.flagTable(enumName!, !!asFlags)}, ${raw})`;
    return raw;
  }

  private enumWrapWrite(enumName: string | undefined, asFlags: boolean | undefined, type: string, val: string, path: string): string {
    const mode = this.enumMode(enumName, asFlags, type);
    const id = enumName ? this.defName(enumName) : '';
    if (mode && is64(type)) {
      return mode === 'enum'
        ? `rt.enumValue64(${id}_BY_NAME, ${val}, ${path})`
        : `rt.flagValue64(${this.wideTable(enumName!, 'bitsByName', !!asFlags)}, ${val}, ${path})`;
    }
    if (mode === 'enum') return `rt.enumValue(${id}_BY_NAME, ${val}, ${path})`;
    if (mode === 'flags') {
      const e = this.enums.get(enumName!)!;
      const byName = e.kind === 'flags' || !asFlags ? `${id}_BY_NAME` : (this.flagTable(enumName!, true), `${id}_FLAG_BY_NAME`);
      return `rt.flagValue(${byName}, ${val}, ${path})`;
    }
    return val;
  }

  private hintRead(hint: string | undefined, d: string, q: string, e: string): string | undefined {
    switch (hint) {
      case 'ipv4':
        return `rt.ipv4String(${d}, ${q}, ${e})`;
      case 'ipv6':
        return `rt.ipv6String(${d}, ${q}, ${e})`;
      case 'ipv4-or-v6':
        return `rt.ipString(${d}, ${q}, ${e})`;
      case 'mac':
        return `rt.macString(${d}, ${q}, ${e})`;
      case 'uuid':
        return `rt.uuidString(${d}, ${q}, ${e})`;
      default:
        return undefined;
    }
  }

  private hintParse(hint: string | undefined, val: string, path: string): string | undefined {
    switch (hint) {
      case 'ipv4':
        return `rt.parseIpv4(${val}, ${path})`;
      case 'ipv6':
        return `rt.parseIpv6(${val}, ${path})`;
      case 'ipv4-or-v6':
        return `rt.parseIp(${val}, ${path})`;
      case 'mac':
        return `rt.parseMac(${val}, ${path})`;
      case 'uuid':
        return `rt.parseUuid(${val}, ${path})`;
      default:
        return undefined;
    }
  }

  // ------------------------------------------------------------------------------------------------ attribute sets

  /** TS type of one value of an attribute (before multi-attr makes it an array). */
  private attrValueType(a: Attr): string {
    switch (a.type) {
      case 'flag':
        return 'boolean';
      case 'string':
        return 'string';
      case 'binary':
        if (a.struct) return this.defName(a.struct);
        if (a.subType && TYPED_ARRAY[a.subType]) return TYPED_ARRAY[a.subType]!;
        return this.hintRead(a.displayHint, '', '', '') ? 'string' : 'Uint8Array';
      case 'nest':
        return a.nestedAttributes ? this.setType(a.nestedAttributes) : 'Uint8Array';
      case 'indexed-array': {
        if (a.subType === 'nest' && a.nestedAttributes) return `${this.setType(a.nestedAttributes)}[]`;
        if (a.subType === 'binary' && a.struct) return `${this.defName(a.struct)}[]`;
        if (a.subType === 'string') return 'string[]';
        if (a.subType && isInt(a.subType)) return is64(a.subType) ? 'bigint[]' : 'number[]';
        return 'Uint8Array[]';
      }
      case 'nest-type-value': {
        const inner = a.nestedAttributes ? this.setType(a.nestedAttributes) : 'Uint8Array';
        const depth = Math.max(1, a.typeValue?.length ?? 1);
        let t = inner;
        for (let i = 0; i < depth; i++) t = `Record<number, ${t}>`;
        return t;
      }
      case 'bitfield32':
        return 'rt.Bitfield32';
      case 'sub-message':
        return a.subMessage ? this.scope.get(`sub:${a.subMessage}`)! : 'Uint8Array';
      default:
        if (isInt(a.type)) {
          if (a.displayHint === 'ipv4' && a.type === 'u32') return 'string';
          // 64-bit values are bigint throughout, enum names and flag arrays included.
          const num = is64(a.type) ? 'bigint' : 'number';
          const mode = this.enumMode(a.enum, a.enumAsFlags, a.type);
          if (mode === 'enum') return `${this.defName(a.enum!)} | ${num}`;
          if (mode === 'flags') return `(${this.defName(a.enum!)} | ${num})[]`;
          return num;
        }
        return 'Uint8Array';
    }
  }

  private attrTsType(a: Attr): string {
    const t = this.attrValueType(a);
    return a.multiAttr ? `(${t})[]` : t;
  }

  private checkDoc(a: Attr): string | undefined {
    const c = a.checks;
    const parts: string[] = [];
    if (c.min !== undefined) parts.push(`min ${c.min}`);
    if (c.max !== undefined) parts.push(`max ${c.max}`);
    if (c.minLen !== undefined) parts.push(`min length ${c.minLen}`);
    if (c.maxLen !== undefined) parts.push(`max length ${c.maxLen}`);
    if (c.exactLen !== undefined) parts.push(`exact length ${c.exactLen}`);
    if (c.flagsMask !== undefined) parts.push(`flags within 0x${c.flagsMask.value.toString(16)}`);
    const hint = a.displayHint ? `Shown as ${a.displayHint}.` : undefined;
    return [parts.length > 0 ? `Checked before sending: ${parts.join(', ')}.` : undefined, hint].filter(Boolean).join(' ') || undefined;
  }

  private setDecl(s: AttrSet): string {
    const id = this.setType(s.name);
    const live = s.attributes.filter((a) => a.type !== 'pad' && a.type !== 'unused');
    const sameLevelSubs = live.filter((a) => a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector));
    const subProps = new Set(sameLevelSubs.map((a) => a.name));
    const fieldLines = live
      .filter((a) => !subProps.has(a.name))
      .map((a) => `${docComment([a.doc, this.checkDoc(a), `Attribute ${a.value}${a.multiAttr ? ', repeated' : ''}.`], '  ')}  ${propKey(this.prop(s.name, a.name))}?: ${this.attrTsType(a)};`);
    fieldLines.push('  /** Attributes this spec does not describe, kept verbatim (type number and payload). */\n  $unknown?: rt.UnknownAttr[];');
    let decl: string;
    if (sameLevelSubs.length === 0) {
      decl = `${docComment([s.doc ?? `Attributes of the \`${s.name}\` set.`])}export interface ${id} {\n${fieldLines.join('\n')}\n}\n`;
    } else {
      // Each same-level sub-message becomes a union discriminated by its selector's value.
      const base = `${id}Base`;
      const variants = sameLevelSubs.map((a, k) => {
        const sel = this.prop(s.name, a.selector!);
        const p = this.prop(s.name, a.name);
        const sm = this.subMessages.get(a.subMessage!)!;
        const known = sm.formats.map((fmt) => `  | { ${propKey(sel)}: ${str(fmt.value)}; ${propKey(p)}?: ${this.formatType(fmt)}; }`);
        known.push(`  | { ${propKey(sel)}?: string; ${propKey(p)}?: never; /** Payload of a ${sel} this spec does not know. */ ${propKey(`${p}Raw`)}?: Uint8Array; }`);
        // Groups after the first are indented one level deeper: the layout a TypeScript formatter gives them.
        return k === 0 ? `(\n${known.join('\n')}\n)` : `(\n${known.map((l) => `  ${l}`).join('\n')}\n  )`;
      });
      decl =
        `${docComment([`Attributes of \`${s.name}\` other than its selected sub-messages.`])}export interface ${base} {\n${fieldLines.join('\n')}\n}\n` +
        `${docComment([s.doc ?? `Attributes of the \`${s.name}\` set.`, `Sub-messages are typed by their selector's value: narrow on it to get the matching payload type.`])}` +
        `export type ${id} = ${base} & ${variants.join(' & ')};\n`;
    }
    return decl + this.setDecoder(s) + this.setEncoder(s);
  }

  /** TS type of one sub-message format: its fixed header's fields and/or its attributes. */
  private formatType(fmt: { fixedHeader?: string; attributeSet?: string }): string {
    const parts: string[] = [];
    if (fmt.fixedHeader) parts.push(this.defName(fmt.fixedHeader));
    if (fmt.attributeSet) parts.push(this.setType(fmt.attributeSet));
    return parts.length === 0 ? 'Record<string, never>' : parts.join(' & ');
  }

  private subMessageDecl(m: SubMessage): string {
    const id = this.scope.get(`sub:${m.name}`)!;
    const members = m.formats.map((fmt) => this.formatType(fmt));
    const union = [...new Set(members), 'Uint8Array'].join(' | ');
    const fn = (k: string) => `${k}${id}`;
    const dec = m.formats
      .map((fmt) => `    case ${str(fmt.value)}: return ${this.formatDecode(fmt)};`)
      .join('\n');
    const enc = m.formats
      .map((fmt) => `    case ${str(fmt.value)}: {\n${this.formatEncode(fmt, 'path')}\n      return;\n    }`)
      .join('\n');
    return (
      `${docComment([m.doc, `Payload formats of the \`${m.name}\` sub-message, chosen by a selector attribute's value; raw bytes for values this spec does not know.`])}` +
      `export type ${id} = ${union};\n` +
      `function ${fn('decode')}(sel: unknown, d: Uint8Array, v: DataView, p: number, e: number, c: rt.DecodeContext): ${id} {\n` +
      `  switch (sel) {\n${dec}\n    default: return d.slice(p, e);\n  }\n}\n` +
      `function ${fn('encode')}(sel: unknown, w: rt.AttrWriter, x: ${id}, path: string, ctx: Record<string, unknown>): void {\n` +
      `  if (x instanceof Uint8Array) { w.rawBytes(x); return; }\n` +
      `  const o = x as Record<string, any>;\n` +
      `  switch (sel) {\n${enc}\n    default: throw new rt.ValidationError(path, \`no format for selector value \${String(sel)}; pass raw bytes\`);\n  }\n}\n`
    );
  }

  private formatDecode(fmt: { fixedHeader?: string; attributeSet?: string }): string {
    if (!fmt.fixedHeader && !fmt.attributeSet) return '{}';
    if (fmt.fixedHeader && !fmt.attributeSet) return `${this.structFn('decode', fmt.fixedHeader)}(d, v, p, e)`;
    if (!fmt.fixedHeader) return `${this.setFn('decode', fmt.attributeSet!)}(d, v, p, e, c)`;
    const size = this.structs.get(fmt.fixedHeader)!.size;
    // The attributes are decoded into the header's object: one object per value, no spread copies.
    return `${this.setFn('decode', fmt.attributeSet!)}(d, v, Math.min(e, p + ${align4(size)}), e, c, ${this.structFn('decode', fmt.fixedHeader)}$into(new ${this.shapeOf.get(fmt.attributeSet!)}(false), d, v, p, Math.min(e, p + ${size}))) as ${this.defName(fmt.fixedHeader)} & ${this.setType(fmt.attributeSet!)}`;
  }

  private formatEncode(fmt: { fixedHeader?: string; attributeSet?: string }, path: string): string {
    const lines: string[] = [];
    // Header fields and attributes share one object: its keys are checked once, against both.
    lines.push(`      rt.checkKeys(o, ${this.keySet([...(fmt.fixedHeader ? this.structKeys(fmt.fixedHeader) : []), ...(fmt.attributeSet ? this.setKeys(fmt.attributeSet) : [])])}, ${path});`);
    if (fmt.fixedHeader) lines.push(`      ${this.structFn('encode', fmt.fixedHeader)}(w, o as any, ${path}, true);`);
    if (fmt.fixedHeader && fmt.attributeSet) lines.push(`      w.rawZeros((4 - (w.length & 3)) & 3);`);
    // Selector values of enclosing levels travel on (a veth peer's format is chosen by the outer linkinfo kind).
    if (fmt.attributeSet) lines.push(`      ${this.setFn('encode', fmt.attributeSet)}(w, o as any, ${path}, ctx, true);`);
    return lines.join('\n');
  }

  /** Decode expression for one value of attribute `a` with payload `[q, e)`. */
  private attrRead(s: AttrSet, a: Attr): string {
    const be = a.byteOrder === 'big-endian' ? ', true' : '';
    switch (a.type) {
      case 'flag':
        return 'true';
      case 'string':
        return 'rt.str(d, q, e)';
      case 'binary':
        if (a.struct) return `${this.structFn('decode', a.struct)}(d, v, q, e)`;
        if (a.subType && TYPED_ARRAY[a.subType]) {
          // The per-type copy (rt.u32ArrayOf …): one constructor per call site, which V8 inlines; the generic
          // typedArrayOf's constructor argument made every array decode a megamorphic construct.
          return `rt.${a.subType}ArrayOf(d, q, e)`;
        }
        return this.hintRead(a.displayHint, 'd', 'q', 'e') ?? 'rt.bytes(d, q, e)';
      case 'nest':
        return a.nestedAttributes ? `${this.setFn('decode', a.nestedAttributes)}(d, v, q, e, c)` : 'rt.bytes(d, q, e)';
      case 'indexed-array': {
        const item = this.arrayItemRead(a);
        return `((): ${this.attrValueType(a)} => { const arr: ${this.attrValueType(a)} = []; for (let ip = q; ip < e;) { const ie = rt.attrEnd(v, ip, e); const iq = ip + 4; arr.push(${item}); ip = (ie + 3) & ~3; } return arr; })()`;
      }
      case 'nest-type-value': {
        const depth = Math.max(1, a.typeValue?.length ?? 1);
        const leaf = a.nestedAttributes ? `${this.setFn('decode', a.nestedAttributes)}(d, v, lq, le, c)` : 'rt.bytes(d, lq, le)';
        return `rt.decodeTypeValue(d, v, q, e, ${depth}, (lq: number, le: number) => ${leaf}) as ${this.attrValueType(a)}`;
      }
      case 'bitfield32':
        return '{ value: rt.u32(v, q, e), selector: rt.u32(v, q + 4, e) }';
      case 'sub-message':
        // Selected at an outer level: the selector's value travels down in the decode context.
        return `decode${this.scope.get(`sub:${a.subMessage}`)}(c.sel[${str(a.selector ?? '')}], d, v, q, e, c)`;
      default: {
        if (!isInt(a.type)) return 'rt.bytes(d, q, e)';
        const raw = a.type === 'uint' || a.type === 'sint' ? `rt.${a.type}(v, q, e)` : `rt.${a.type}(v, q, e${INT_SIZE[a.type]! > 1 ? be : ''})`;
        if (a.displayHint === 'ipv4' && a.type === 'u32') return `rt.ipv4FromU32(rt.u32(v, q, e, true))`;
        return this.enumWrapRead(a.enum, a.enumAsFlags, a.type, raw);
      }
    }
  }

  private arrayItemRead(a: Attr): string {
    if (a.subType === 'nest' && a.nestedAttributes) return `${this.setFn('decode', a.nestedAttributes)}(d, v, iq, ie, c)`;
    if (a.subType === 'binary' && a.struct) return `${this.structFn('decode', a.struct)}(d, v, iq, ie)`;
    if (a.subType === 'string') return 'rt.str(d, iq, ie)';
    if (a.subType && isInt(a.subType)) {
      const be = a.byteOrder === 'big-endian' && INT_SIZE[a.subType]! > 1 ? ', true' : '';
      return a.subType === 'uint' || a.subType === 'sint' ? `rt.${a.subType}(v, iq, ie)` : `rt.${a.subType}(v, iq, ie${be})`;
    }
    return 'rt.bytes(d, iq, ie)';
  }

  private setDecoder(s: AttrSet): string {
    const id = this.setType(s.name);
    const cases: string[] = [];
    const deferred: string[] = [];
    const selectorNames = this.selectorNames;
    const locals: string[] = [];
    for (const a of s.attributes) {
      if (a.type === 'unused') continue;
      if (a.type === 'pad') {
        cases.push(`      case ${a.value}: break;`);
        continue;
      }
      const p = propKey(this.prop(s.name, a.name));
      const target = p.startsWith('[') ? `o${p}` : p.startsWith('"') ? `o[${p}]` : `o.${p}`;
      const sameLevel = a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector);
      if (sameLevel) {
        // The selector may come after the sub-message on the wire: decode it once the loop has seen both.
        const local = `sub${a.value}`;
        locals.push(`  let ${local}q = -1, ${local}e = -1;`);
        cases.push(`      case ${a.value}: ${local}q = q; ${local}e = e; break;`);
        const selProp = propKey(this.prop(s.name, a.selector!));
        const selRef = selProp.startsWith('[') ? `o${selProp}` : selProp.startsWith('"') ? `o[${selProp}]` : `o.${selProp}`;
        const sm = this.scope.get(`sub:${a.subMessage}`)!;
        const known = this.subMessages.get(a.subMessage!)!.formats.map((f) => str(f.value));
        const rawProp = propKey(`${this.prop(s.name, a.name)}Raw`);
        deferred.push(
          `  if (${local}q >= 0) {\n` +
            `    const sel = ${selRef};\n` +
            `    if (${known.length > 0 ? `${known.map((k) => `sel === ${k}`).join(' || ')}` : 'false'}) (o as any)[${str(this.prop(s.name, a.name))}] = decode${sm}(sel, d, v, ${local}q, ${local}e, c);\n` +
            `    else (o as any)[${str(rawProp.replace(/^"|"$/g, ''))}] = rt.bytes(d, ${local}q, ${local}e);\n` +
            `  }`,
        );
        continue;
      }
      const read = this.attrRead(s, a);
      const assign = a.multiAttr ? `(${target} ??= []).push(${read});` : `${target} = ${read};`;
      const selUpdate = selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type)) ? ` c = rt.withSelector(c, ${str(a.name)}, ${target});` : '';
      cases.push(`      case ${a.value}: ${assign}${selUpdate} break;`);
    }
    return (
      docComment([`Decodes the \`${s.name}\` attributes in \`[p, end)\`.`]) +
      `function ${this.setFn('decode', s.name)}(d: Uint8Array, v: DataView, p: number, end: number, c: rt.DecodeContext, into?: object): ${id} {\n` +
      `  const o = (into ?? ${this.shapeOf.has(s.name) ? `new ${this.shapeOf.get(s.name)}(false)` : '{}'}) as ${s.name && this.unionSets.has(s.name) ? 'any' : id};\n${locals.join('\n')}${locals.length ? '\n' : ''}` +
      `  while (p < end) {\n` +
      `    const e = rt.attrEnd(v, p, end);\n` +
      `    const q = p + 4;\n` +
      `    const t = v.getUint16(p + 2, true) & 0x3fff;\n` +
      `    switch (t) {\n${cases.join('\n')}\n` +
      `      default: if (c.strict) rt.unknownAttr(${str(s.name)}, t, p); (o.$unknown ??= []).push({ type: t, data: d.slice(q, e) });\n` +
      `    }\n    p = (e + 3) & ~3;\n  }\n${deferred.join('\n')}${deferred.length ? '\n' : ''}  return o;\n}\n`
    );
  }

  /** Statements that encode one value `x` of attribute `a` at `path` (pp). */
  private attrWrite(s: AttrSet, a: Attr, x: string, pp: string): string {
    const t = a.value;
    const ck = a.checks;
    switch (a.type) {
      case 'flag':
        return `if (rt.checkFlag(${x}, ${pp})) w.flag(${t});`;
      case 'string': {
        const min = ck.minLen ?? (ck.exactLen ?? 0);
        const max = ck.maxLen ?? ck.exactLen;
        const check = max !== undefined || min > 0 ? ` rt.checkLen(rt.utf8Length(${x}), ${min}, ${max ?? 'Infinity'}, ${pp});` : '';
        return `rt.checkString(${x}, ${pp});${check} w.string(${t}, ${x});`;
      }
      case 'binary': {
        if (a.struct) return `{ const m = w.beginAttr(${t}); ${this.structFn('encode', a.struct)}(w, ${x}, ${pp}); w.endAttr(m); }`;
        if (a.subType && TYPED_ARRAY[a.subType]) return `w.binary(${t}, rt.typedArrayBytes(${x}, ${TYPED_ARRAY[a.subType]}, ${pp}));`;
        const parsed = this.hintParse(a.displayHint, x, pp);
        const bytesExpr = parsed ?? `rt.checkBytes(${x}, ${pp})`;
        const min = ck.exactLen ?? ck.minLen;
        const max = ck.exactLen ?? ck.maxLen;
        if (min !== undefined || max !== undefined) return `{ const b = ${bytesExpr}; rt.checkLen(b.length, ${min ?? 0}, ${max ?? 'Infinity'}, ${pp}); w.binary(${t}, b); }`;
        return `w.binary(${t}, ${bytesExpr});`;
      }
      case 'nest':
        if (!a.nestedAttributes) return `{ const m = w.beginNest(${t}); w.rawBytes(rt.checkBytes(${x}, ${pp})); w.endNest(m); }`;
        return `{ const m = w.beginNest(${t}); ${this.setFn('encode', a.nestedAttributes)}(w, ${x}, ${pp}, sel); w.endNest(m); }`;
      case 'indexed-array': {
        const item = this.arrayItemWrite(a, 'it', `\`\${${pp}}[\${i}]\``);
        return `{ const m = w.beginNest(${t}); rt.checkArray(${x}, ${pp}).forEach((it, i) => { ${item} }); w.endNest(m); }`;
      }
      case 'nest-type-value': {
        const depth = Math.max(1, a.typeValue?.length ?? 1);
        const leaf = a.nestedAttributes ? `(lv: any, lp: string) => ${this.setFn('encode', a.nestedAttributes)}(w, lv, lp, sel)` : `(lv: any, lp: string) => w.rawBytes(rt.checkBytes(lv, lp))`;
        return `{ const m = w.beginNest(${t}); rt.encodeTypeValue(w, ${x}, ${depth}, ${pp}, ${leaf}); w.endNest(m); }`;
      }
      case 'bitfield32':
        return `{ rt.checkObject(${x}, ${pp}); w.bitfield32(${t}, rt.checkInt(${x}.value, 0, 4294967295, rt.join(${pp}, 'value')), rt.checkInt(${x}.selector, 0, 4294967295, rt.join(${pp}, 'selector'))); }`;
      case 'sub-message': {
        const sm = this.scope.get(`sub:${a.subMessage}`)!;
        const sameLevel = a.selector && s.attributes.some((b) => b.name === a.selector);
        const selExpr = sameLevel ? `(o as any)[${str(this.prop(s.name, a.selector!))}]` : `sel[${str(a.selector ?? '')}]`;
        const label = `\`\${${pp}}(\${String(${selExpr})})\``;
        return `{ const m = w.beginNest(${t}); encode${sm}(${selExpr}, w, ${x}, ${label}, sel); w.endNest(m); }`;
      }
      default: {
        if (!isInt(a.type)) return `w.binary(${t}, rt.checkBytes(${x}, ${pp}));`;
        const be = a.byteOrder === 'big-endian' ? ', true' : '';
        let [lo, hi] = INT_RANGE[a.type]!;
        const big = is64(a.type);
        if (ck.min !== undefined) lo = numLit(ck.min, big);
        if (ck.max !== undefined) hi = numLit(ck.max, big);
        if (a.displayHint === 'ipv4' && a.type === 'u32') return `w.u32(${t}, rt.ipv4ToU32(${x}, ${pp}), true);`;
        const val = this.enumWrapWrite(a.enum, a.enumAsFlags, a.type, x, pp);
        const checked = big ? `rt.checkBig(${val}, ${lo}, ${hi}, ${pp})` : `rt.checkInt(${val}, ${lo}, ${hi}, ${pp})`;
        const mask = ck.flagsMask && !big ? ` rt.checkMask(v, ${numLit(ck.flagsMask.value, false)}, ${pp});` : '';
        if (a.type === 'uint' || a.type === 'sint') return `w.${a.type}(${t}, ${checked});`;
        return `{ const v = ${checked};${mask} w.${a.type}(${t}, v${be}); }`;
      }
    }
  }

  private arrayItemWrite(a: Attr, x: string, pp: string): string {
    if (a.subType === 'nest' && a.nestedAttributes) return `const im = w.beginNest(i + 1); ${this.setFn('encode', a.nestedAttributes)}(w, ${x}, ${pp}, sel); w.endNest(im);`;
    if (a.subType === 'binary' && a.struct) return `const im = w.beginAttr(i + 1); ${this.structFn('encode', a.struct)}(w, ${x}, ${pp}); w.endAttr(im);`;
    if (a.subType === 'string') return `w.string(i + 1, rt.checkString(${x}, ${pp}));`;
    if (a.subType && isInt(a.subType)) {
      const [lo, hi] = INT_RANGE[a.subType]!;
      const be = a.byteOrder === 'big-endian' && INT_SIZE[a.subType]! > 1 ? ', true' : '';
      const checked = is64(a.subType) ? `rt.checkBig(${x}, ${lo}, ${hi}, ${pp})` : `rt.checkInt(${x}, ${lo}, ${hi}, ${pp})`;
      return a.subType === 'uint' || a.subType === 'sint' ? `w.${a.subType}(i + 1, ${checked});` : `w.${a.subType}(i + 1, ${checked}${be});`;
    }
    return `w.binary(i + 1, rt.checkBytes(${x}, ${pp}));`;
  }

  private setEncoder(s: AttrSet): string {
    const id = this.setType(s.name);
    const selectorNames = this.selectorNames;
    const lines: string[] = [];
    for (const a of s.attributes) {
      if (a.type === 'pad' || a.type === 'unused') continue;
      const prop = this.prop(s.name, a.name);
      const x = `o[${str(prop)}]`;
      const pp = `rt.join(path, ${str(prop)})`;
      if (selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type))) lines.push(`  if (${x} !== undefined) sel = { ...sel, ${propKey(a.name)}: ${x} };`);
      if (a.multiAttr) {
        lines.push(`  if (${x} !== undefined) rt.checkArray(${x}, ${pp}).forEach((it: any, i: number) => { const ip = \`\${${pp}}[\${i}]\`; ${this.attrWrite(s, a, 'it', 'ip')} });`);
      } else {
        // Read once into a block-scoped const: one property read, and one reference less for tsc to trace.
        lines.push(`  { const x = ${x}; if (x !== undefined) { ${this.attrWrite(s, a, 'x', pp)} } }`);
      }
      if (a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector)) {
        lines.push(`  if (o[${str(`${prop}Raw`)}] !== undefined) { const m = w.beginNest(${a.value}); w.rawBytes(rt.checkBytes(o[${str(`${prop}Raw`)}], ${pp})); w.endNest(m); }`);
      }
    }
    const unknownLine = `  if (o.$unknown !== undefined) rt.writeUnknown(w, o.$unknown, path);`;
    const fn = this.setFn('encode', s.name);
    // Selector values are a parameter every set encoder takes; one whose attributes never read it names it `_sel`.
    const selParam = (body: string) => (/\bsel\b/.test(body) ? 'sel' : '_sel');
    const head = (body: string) =>
      docComment([`Encodes the \`${s.name}\` attributes present in \`input\`, checking them against the spec first.`]) +
      `function ${fn}(w: rt.AttrWriter, input: Partial<${id}>, path: string, ${selParam(body)}: Record<string, unknown>, checked = false): void {\n` +
      `  const o: any = rt.checkObject(input, path);\n  if (!checked) rt.checkKeys(o, ${this.keySet(this.setKeys(s.name))}, path);\n${body}\n}\n`;
    if (lines.length <= ENCODE_RUN) return head([...lines, unknownLine].join('\n'));
    // Long sets are written in runs, each its own function: TypeScript's control-flow analysis walks every reference
    // back over each earlier `if` of its function, so one long if-chain costs the type-checker quadratic time (the
    // 340-attribute nl80211 set alone took a second). Runs keep that linear; the bytes and their order are the same.
    const calls: string[] = [];
    const parts: string[] = [];
    for (let i = 0; i * ENCODE_RUN < lines.length; i++) {
      const run = lines.slice(i * ENCODE_RUN, (i + 1) * ENCODE_RUN);
      const setsSel = run.some((l) => l.includes(' sel = { ...sel,'));
      calls.push(setsSel ? `  sel = ${fn}$${i}(w, o, path, sel);` : `  ${fn}$${i}(w, o, path, sel);`);
      const partBody = `${run.join('\n')}\n${setsSel ? '  return sel;\n' : ''}`;
      parts.push(
        `/** Part ${i} of {@link ${fn}}, in spec order${setsSel ? '; returns the selectors for the parts after it' : ''}. */\n` +
          `function ${fn}$${i}(w: rt.AttrWriter, o: any, path: string, ${selParam(partBody)}: Record<string, unknown>): ${setsSel ? 'Record<string, unknown>' : 'void'} {\n` +
          `${partBody}}\n`,
      );
    }
    return `${head([...calls, unknownLine].join('\n'))}${parts.join('')}`;
  }

  // ------------------------------------------------------------------------------------------------ operations

  private opFixedHeader(op: Operation): string | undefined {
    return op.fixedHeader ?? this.f.operations.fixedHeader;
  }

  /** The message type for a request or reply: fixed header fields (partial on input) + the listed attributes. */
  private messageType(op: Operation, attrs: string[], input: boolean): string {
    const parts: string[] = [];
    const fh = this.opFixedHeader(op);
    if (fh) parts.push(input ? `Partial<${this.defName(fh)}>` : this.defName(fh));
    if (op.attributeSet && this.sets.has(op.attributeSet)) {
      const setT = this.setType(op.attributeSet);
      const keys = attrs.filter((n) => this.props.get(op.attributeSet!)!.has(n)).flatMap((n) => {
        const p = this.prop(op.attributeSet!, n);
        const a = this.sets.get(op.attributeSet!)!.attributes.find((x) => x.name === n)!;
        if (a.type === 'pad' || a.type === 'unused') return [];
        const sameLevel = a.type === 'sub-message' && a.selector && this.sets.get(op.attributeSet!)!.attributes.some((b) => b.name === a.selector);
        return sameLevel ? [p, `${p}Raw`] : [p];
      });
      keys.push('$unknown');
      const pick = this.unionSets.has(op.attributeSet) ? 'rt.PickAttrs' : 'Pick';
      parts.push(`${pick}<${setT}, ${keys.map((k) => str(k)).join(' | ')}>`);
    }
    return parts.length === 0 ? 'Record<string, never>' : parts.join(' & ');
  }

  private opTypes(): string {
    const out: string[] = [];
    for (const op of this.f.operations.list) {
      for (const mode of ['do', 'dump'] as const) {
        const om = op[mode];
        if (!om) continue;
        if (om.request) {
          out.push(`${docComment([`Request of \`${op.name}\` (${mode}).`, op.doc])}export type ${this.scope.get(`req:${mode}:${op.name}`)} = ${this.messageType(op, om.request.attributes, true)};\n`);
        }
        if (om.reply) {
          out.push(`${docComment([`Reply of \`${op.name}\` (${mode}).`, op.doc])}export type ${this.scope.get(`rep:${mode}:${op.name}`)} = ${this.messageType(op, om.reply.attributes, false)};\n`);
        }
      }
      if (op.isNotification) {
        out.push(`${docComment([`Notification \`${op.name}\`.`, op.doc])}export type ${this.scope.get(`ntf:${op.name}`)} = ${this.notificationShape(op)};\n`);
      }
    }
    const ntfs = this.notifications();
    const nType = this.scope.get('notification')!;
    out.push(
      `${docComment([`Any notification of the ${this.f.name} family, discriminated by \`name\`.`])}export type ${nType} = ${
        ntfs.length > 0 ? ntfs.map((n) => `{ name: ${str(n.op.name)}; msg: ${this.scope.get(`ntf:${n.op.name}`)}; }`).join(' | ') : 'never'
      };\n`,
    );
    const groups = this.f.mcastGroups.map((g) => str(g.name));
    out.push(`${docComment([`Multicast groups of the ${this.f.name} family.`])}export type ${this.scope.get('group')} = ${groups.length > 0 ? groups.join(' | ') : 'never'};\n`);
    return out.join('\n');
  }

  /** The op whose reply shape a notification reuses (`notify`), or the notification itself (`event`). */
  private notificationShape(op: Operation): string {
    if (op.notify) {
      const target = this.f.operations.list.find((o) => o.name === op.notify);
      const attrs = target?.do?.reply?.attributes ?? target?.dump?.reply?.attributes ?? [];
      return this.messageType({ ...(target ?? op), fixedHeader: op.fixedHeader ?? target?.fixedHeader }, attrs, false);
    }
    return this.messageType(op, op.event?.attributes ?? [], false);
  }

  private notifications(): { op: Operation; id: number }[] {
    const seen = new Set<number>();
    const out: { op: Operation; id: number }[] = [];
    for (const op of this.f.operations.list) {
      if (!op.isNotification) continue;
      const id = op.value;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ op, id });
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ extack name tables

  /**
   * Plain data naming every attribute by set, so an extack bad-attribute offset can be turned into a property
   * path at run time: `[number, property, kind, child set, sub-message selector]` per attribute. Written as one JSON
   * string per set (parsed once when the module loads): the compiler checks a string in no time, where the same
   * data as nested Map and tuple literals was the most expensive thing in a generated module to type-check.
   */
  private nameTables(): string {
    const sets = [...this.sets.values()].map((s) => {
      const entries = s.attributes
        .filter((a) => a.type !== 'pad' && a.type !== 'unused')
        .map((a) => {
          const p = this.prop(s.name, a.name);
          if ((a.type === 'nest' || a.type === 'nest-type-value') && a.nestedAttributes) {
            return [a.value, p, a.type === 'nest' ? 'nest' : 'type-value', a.nestedAttributes];
          }
          if (a.type === 'indexed-array' && a.subType === 'nest' && a.nestedAttributes) return [a.value, p, 'array', a.nestedAttributes];
          if (a.type === 'sub-message' && a.subMessage) return a.selector ? [a.value, p, 'sub', a.subMessage, a.selector] : [a.value, p, 'sub', a.subMessage];
          return [a.value, p, 'leaf'];
        });
      const byName = s.attributes.map((a) => [a.name, a.value]);
      return `  ${jsonString([s.name, entries, byName])},`;
    });
    const subs = [...this.subMessages.values()].map((m) => {
      const formats = m.formats.map((f) => [f.value, f.attributeSet ?? null, f.fixedHeader ? align4(this.structs.get(f.fixedHeader)!.size) : 0]);
      return `  ${jsonString([m.name, formats])},`;
    });
    const list = (rows: string[]) => (rows.length === 0 ? '[]' : `[\n${rows.join('\n')}\n]`);
    return (
      `/** Attribute names per set and sub-message formats, for mapping extack offsets to property paths. */\n` +
      `const ATTR_NAMES: rt.AttrNameTables = rt.attrNameTables(${list(sets)}, ${list(subs)});\n` +
      [...this.extraTables.values()].join('')
    );
  }

  // ------------------------------------------------------------------------------------------------ client

  private client(): string {
    const f = this.f;
    const C = this.clientName;
    const methods: string[] = [];
    for (const op of f.operations.list) {
      if (op.do) methods.push(this.doMethod(op));
      if (op.dump) methods.push(this.dumpMethod(op));
    }
    const ntfs = this.notifications();
    const ntfCases = ntfs.map(({ op, id }) => `      case ${this.idConst(op, 'notification', id)}: return { name: ${str(op.name)}, msg: ${this.decodeMessageExpr(this.notifyLayout(op), 'm')} as ${this.scope.get(`ntf:${op.name}`)} };`);
    const nType = this.scope.get('notification')!;
    const gType = this.scope.get('group')!;
    const staticGroups = Object.fromEntries(f.mcastGroups.filter((g) => g.value !== undefined).map((g) => [g.name, g.value]));
    const openSocket = this.isGenl
      ? `    const socket = await rt.NetlinkSocket.open(rt.NETLINK_GENERIC, options);\n` +
        `    try {\n      const fam = await rt.resolveFamily(socket, ${str(f.kernelFamily ?? f.name)});\n      return new ${C}(socket, fam.id, fam.mcastGroups, options.strictDecoding ?? false, ATTR_NAMES);\n` +
        `    } catch (err) {\n      socket.close();\n      throw err;\n    }`
      : `    const socket = await rt.NetlinkSocket.open(${f.protonum}, options);\n    return new ${C}(socket, 0, new Map(), options.strictDecoding ?? false, ATTR_NAMES);`;
    return (
      `${docComment([`Client for the ${f.name} family (${f.protocol}).`, f.doc, `Open with {@link ${C}.open}; close with \`close()\` or \`await using\`.`])}` +
      `export class ${C} extends rt.FamilyClient<${nType}> {\n` +
      `  /** Spec name of the family. */\n  static readonly family = ${str(f.name)};\n\n` +
      `  /** Opens a socket (optionally inside a network namespace)${this.isGenl ? ' and resolves the family id' : ''}. */\n` +
      `  static async open(options: rt.ClientOptions = {}): Promise<${C}> {\n${openSocket}\n  }\n\n` +
      methods.join('\n') +
      `\n  /**\n   * Joins multicast groups and yields the family's notifications, typed and discriminated by \`name\`.\n` +
      `   * Overruns (the kernel dropped messages because the receive buffer was full) are yielded as \`{ name: 'overrun' }\`.\n` +
      `   * A live subscription keeps the process running, as a server's socket does; \`break\`, \`return()\` or \`close()\`\n` +
      `   * (also before the first \`next()\`) or the \`signal\` ends it and lets the process exit.\n   */\n` +
      `  subscribe(groups: readonly ${gType}[], options: rt.SubscribeOptions = {}): rt.MappedSubscription<${nType}> {\n` +
      `    return this.subscribeTo(groups, options, ${objectLiteral(staticGroups)});\n  }\n\n` +
      `  /** Decodes one notification message; undefined for message types this family does not notify with. */\n` +
      `  decodeNotification(m: rt.NetlinkMessage): ${nType} | undefined {\n` +
      `${ntfCases.length > 0 ? '    const c = this.decodeCtx;\n' : ''}    try {\n      switch (${this.isGenl ? 'm.data[m.start]' : 'm.type'}) {\n${ntfCases.map((l) => `  ${l}\n`).join('')}        default: return undefined;\n      }\n    } catch (e) {\n      throw rt.asDecodeError(e, m.start);\n    }\n  }\n` +
      `}\n` +
      `${docComment([`Everything about the ${f.name} family a tool may want at run time (names only, no behaviour).`])}` +
      `export const ${this.scope.claim('familyInfo', `${C}Info`)} = Object.freeze({ name: ${str(f.name)}, protocol: ${str(f.protocol)}, protonum: ${f.protonum}, ${this.isGenl ? `kernelFamily: ${str(f.kernelFamily ?? f.name)}, version: ${f.version ?? 1}, ` : ''}attrNames: ATTR_NAMES });\n`
    );
  }

  // ------------------------------------------------------------------------------------------------ codecs

  /**
   * The family's encoders and decoders as one frozen public object, keyed by camelCase spec names: `structs`,
   * `attributeSets`, and `operations.<op>.do|dump` (request encoder, reply decoder when there is a reply). The
   * message codecs reuse the very expressions the client methods run, so what a test proves holds for the client.
   */
  private codecs(): string {
    const id = this.scope.get('codecs')!;
    const structKeys = new NameScope();
    const structs = [...this.structs.values()].map((s) => {
      const t = this.defName(s.name);
      return `${docComment([`\`${s.name}\` (${s.size} byte${s.size === 1 ? '' : 's'}).`], '    ')}    ${propKey(structKeys.claim(s.name, camelCase(s.name)))}: rt.structCodec<${t}>(${str(s.name)}, ${s.size}, ${this.structFn('encode', s.name)}, ${this.structFn('decode', s.name)}),`;
    });
    const setKeys = new NameScope();
    const sets = [...this.sets.values()].map((s) => {
      const t = this.setType(s.name);
      return `${docComment([`The \`${s.name}\` attributes.`], '    ')}    ${propKey(setKeys.claim(s.name, camelCase(s.name)))}: rt.attrSetCodec<${t}>(${str(s.name)}, ${this.setFn('encode', s.name)}, ${this.setFn('decode', s.name)}),`;
    });
    const opKeys = new NameScope();
    const ops = this.f.operations.list
      .filter((op) => op.do || op.dump)
      .map((op) => {
        const modes: string[] = [];
        for (const mode of ['do', 'dump'] as const) {
          const om = op[mode];
          if (!om) continue;
          const { req, rep } = this.opPayloadTypes(op, mode);
          const enc = this.opFn('encreq', mode, op);
          modes.push(
            om.reply
              ? `      ${mode}: rt.messageCodec<${req}, ${rep}>(${enc}, ${this.opFn('decrep', mode, op)}),`
              : `      ${mode}: rt.requestCodec<${req}>(${enc}),`,
          );
        }
        return `${docComment([`\`${op.name}\`.`], '    ')}    ${propKey(opKeys.claim(op.name, camelCase(op.name)))}: Object.freeze({\n${modes.join('\n')}\n    }),`;
      });
    return (
      `${docComment([
        `Encoders and decoders of the ${this.f.name} family, usable without a socket: the same code {@link ${this.clientName}} runs.`,
        'Build a request payload (`operations.<op>.do.encodeRequest`), decode a captured reply (`decodeReply`), or code one struct or attribute set on its own. Keys are the camelCase spec names.',
      ])}` +
      `export const ${id} = Object.freeze({\n` +
      `  /** Fixed-layout structs by name. */\n  structs: Object.freeze({\n${structs.join('\n')}\n  }),\n` +
      `  /** Attribute sets by name (attributes only, no header). */\n  attributeSets: Object.freeze({\n${sets.join('\n')}\n  }),\n` +
      `  /** Operations by name: \`do\` and/or \`dump\`, each a request encoder (payload after the nlmsghdr) and, when the op has a reply, its decoder. */\n` +
      `  operations: Object.freeze({\n${ops.join('\n')}\n  }),\n});\n`
    );
  }

  /** Where a message's payload parts are: genl header, fixed header struct, attributes. */
  private layout(op: Operation): { hdr: number; fixed?: string; set?: string } {
    const fixed = this.opFixedHeader(op);
    const hdr = (this.isGenl ? 4 : 0) + (fixed ? align4(this.structs.get(fixed)!.size) : 0);
    return { hdr, fixed, set: op.attributeSet && this.sets.has(op.attributeSet) ? op.attributeSet : undefined };
  }

  private notifyLayout(op: Operation): { hdr: number; fixed?: string; set?: string } {
    if (op.notify) {
      const target = this.f.operations.list.find((o) => o.name === op.notify);
      if (target) return this.layout({ ...target, fixedHeader: op.fixedHeader ?? target.fixedHeader });
    }
    return this.layout(op);
  }

  /** Header members as structDecl names them: `[member, property]`, pads left out. */
  private structProps(s: StructDef): [StructMember, string][] {
    const local = new NameScope(['$extra']);
    const clashes = this.headerClashes.get(s.name);
    return s.members
      .filter((m) => m.type !== 'pad')
      .map((m) => [m, local.claim(m.name, clashes?.has(camelCase(m.name)) ? camelCase(`${s.name}-${m.name}`) : camelCase(m.name))]);
  }

  /**
   * The shapes of decoded objects, and the header decoders that fill a message object before its attributes.
   * An object made by `new F()` gets room in the object itself for every `this.x =` in F's body (counted when F is
   * parsed, whether or not the line runs), where a literal has room only for its own properties and grows a separate
   * property array, copied every few attributes, for the rest: an RTM_NEWLINK reply's ~50 attributes left 2 KB of such
   * copies per decode. The assignments never run (`never` is always false), so objects still have only the
   * properties the message carried, in wire order; V8 trims the room to what the first objects used.
   */
  private shapes(): string {
    const out: string[] = [];
    const headers = new Set([...this.headersOf.values()].flat());
    for (const h of [...this.structs.keys()].filter((x) => headers.has(x))) {
      const st = this.structs.get(h)!;
      const id = this.defName(h);
      const reads = this.structProps(st).map(([m, p]) => `  x[${str(p)}] = ${this.memberRead(m)};`);
      // As in the plain struct decoder: a short payload is read from a zero-filled copy by every member.
      const body = `  const x = out as Record<string, unknown>;\n${reads.join('\n')}\n  return out as ${id};\n`;
      out.push(
        `/** Decodes {@link ${id}} from \`[p, e)\` into \`out\`, the message object its attributes are decoded into next; a short payload reads as zero-filled. */\n` +
          `function ${this.structFn('decode', h)}$into(out: object, d: Uint8Array, ${usesView(body) ? 'v' : '_v'}: DataView, p: number, e: number): ${id} {\n` +
          `  let o = p;\n` +
          `  if (e - p < ${st.size}) [d, ${usesView(body) ? 'v' : '_v'}, o] = rt.structView(d, p, e, ${st.size});\n` +
          body +
          `}\n`,
      );
    }
    for (const [set, shape] of this.shapeOf) {
      const props = new Set<string>();
      for (const h of this.headersOf.get(set) ?? []) for (const [, p] of this.structProps(this.structs.get(h)!)) props.add(p);
      for (const a of this.sets.get(set)!.attributes) if (a.type !== 'pad' && a.type !== 'unused') props.add(this.prop(set, a.name));
      // Bracket access: the constructor's `this` is a Record, and strict configs forbid dotted index-signature access.
      const lines = [...props].map((p) => `this[${str(p)}] = undefined;`);
      out.push(
        docComment([
          `Makes the empty plain objects \`${set}\` attributes are decoded into. V8 gives an object made by \`new\` room for\nevery property its constructor assigns, although these lines never run: attributes are stored in place instead of\nin a property array grown and copied every few attributes.`,
        ]) +
          `const ${shape} = rt.objectShape(function(this: Record<string, unknown>, never: boolean) {\n  if (never) {\n${lines.map((l) => `    ${l}`).join('\n')}\n  }\n});\n`,
      );
    }
    return out.join('\n');
  }

  /** Expression decoding NetlinkMessage `m` with a given layout (uses `c` for the decode context). */
  private decodeMessageExpr(l: { hdr: number; fixed?: string; set?: string }, m: string): string {
    const g = this.isGenl ? 4 : 0;
    const setCall = (into: string) =>
      `${this.setFn('decode', l.set!)}(${m}.data, ${m}.view, Math.min(${m}.end, ${m}.start + ${l.hdr}), ${m}.end, c${into})`;
    if (!l.fixed) return l.set ? setCall('') : '{}';
    // With attributes after it, the header ends where its struct does (what follows is attributes, not `$extra`);
    // the attributes are decoded into the header's object: one object per message, no spread copies.
    const size = this.structs.get(l.fixed)!.size;
    const hdrEnd = l.set ? `Math.min(${m}.end, ${m}.start + ${g + size})` : `${m}.end`;
    if (!l.set) return `${this.structFn('decode', l.fixed)}(${m}.data, ${m}.view, ${m}.start + ${g}, ${hdrEnd})`;
    const header = `${this.structFn('decode', l.fixed)}$into(new ${this.shapeOf.get(l.set)}(false), ${m}.data, ${m}.view, ${m}.start + ${g}, ${hdrEnd})`;
    return setCall(`, ${header}`);
  }

  private encodeRequestBody(op: Operation, mode: 'do' | 'dump', cmd: number): string {
    const l = this.layout(op);
    const lines = ['  const w = new rt.AttrWriter();'];
    // Only the op's own request attributes and its header's fields: a plain-JS caller's typo or an attribute this op
    // does not take is an error here, not dropped or sent.
    const listed = (mode === 'do' ? op.do : op.dump)?.request.attributes ?? [];
    const keys = [...(l.fixed ? this.structKeys(l.fixed) : []), ...(l.set ? this.setKeys(l.set, listed) : [])];
    lines.push(`  rt.checkKeys(rt.checkObject(request, ''), ${this.keySet(keys)}, '');`);
    if (this.isGenl) lines.push(`  w.rawU8(${this.idConst(op, 'request', cmd)}); w.rawU8(${this.f.version ?? 1}); w.rawU16(0);`);
    if (l.fixed) lines.push(`  ${this.structFn('encode', l.fixed)}(w, request as any, '', true); w.rawZeros((4 - (w.length & 3)) & 3);`);
    if (l.set) lines.push(`  ${this.setFn('encode', l.set)}(w, request as any, '', {}, true);`);
    return lines.join('\n');
  }

  /** Name of an operation's request encoder (`encreq`) or reply decoder (`decrep`) function. */
  private opFn(kind: 'encreq' | 'decrep', mode: 'do' | 'dump', op: Operation): string {
    const type = this.scope.get(`${kind === 'encreq' ? 'req' : 'rep'}:${mode}:${op.name}`) ?? this.scope.get(`${kind}:${mode}:${op.name}`)!;
    return `${kind === 'encreq' ? 'encode' : 'decode'}${type}`;
  }

  /** Request and reply types of an operation mode as the client methods and codecs take and return them. */
  private opPayloadTypes(op: Operation, mode: 'do' | 'dump'): { req: string; rep: string } {
    const reqName = this.scope.get(`req:${mode}:${op.name}`) ?? 'Record<string, never>';
    return {
      req: mode === 'dump' ? `Partial<${reqName}>` : reqName,
      rep: this.scope.get(`rep:${mode}:${op.name}`) ?? (mode === 'dump' ? 'Record<string, never>' : 'void'),
    };
  }

  /**
   * One request encoder and one reply decoder function per operation mode, which both the client methods and the
   * codecs call: the code exists once (a type-checker and a reader each see it once), and what a codec test proves
   * holds for the client.
   */
  private opPayloadFunctions(): string {
    const out: string[] = [];
    for (const op of this.f.operations.list) {
      for (const mode of ['do', 'dump'] as const) {
        const om = op[mode];
        if (!om) continue;
        const { req, rep } = this.opPayloadTypes(op, mode);
        const cmd = om.request?.value ?? op.value;
        out.push(
          `${docComment([`Payload (after the nlmsghdr) of a \`${op.name}\` ${mode} request.`])}` +
            `function ${this.opFn('encreq', mode, op)}(request: ${req}): Uint8Array {\n  try {\n${this.encodeRequestBody(op, mode, cmd).replace(/^/gm, '  ')}\n    return w.finish();\n  } catch (e) {\n    throw rt.asValidationError(e);\n  }\n}\n`,
        );
        if (om.reply || mode === 'dump') {
          out.push(
            `${docComment([`Decodes one \`${op.name}\` ${mode} reply message.`])}` +
              `function ${this.opFn('decrep', mode, op)}(m: rt.MessageBytes, c: rt.DecodeContext): ${rep} {\n` +
              // Kernel bytes are untrusted: whatever goes wrong inside (a stack exhausted by deep nesting included)
              // leaves as a DecodeError.
              `  try {\n    return ${this.decodeMessageExpr(this.layout(op), 'm')} as ${rep};\n  } catch (e) {\n    throw rt.asDecodeError(e, m.start);\n  }\n}\n`,
          );
        }
      }
    }
    return out.join('');
  }

  private methodName(op: Operation, mode: 'do' | 'dump'): string {
    const base = camelCase(op.name);
    const name = mode === 'do' ? base : `${base}Dump`;
    // An op named like a member the client inherits (`close`, `subscribe`, `then`…) gets `Op` appended instead of
    // silently overriding it; `then` would even make every client a thenable that `await` unwraps.
    return CLIENT_MEMBERS.has(name) ? `${name}Op` : name;
  }

  private doMethod(op: Operation): string {
    const om = op.do!;
    const req = om.request ? this.scope.get(`req:do:${op.name}`)! : 'Record<string, never>';
    const rep = om.reply ? this.scope.get(`rep:do:${op.name}`)! : undefined;
    const cmd = om.request?.value ?? op.value;
    const l = this.layout(op);
    const raw = !this.isGenl;
    const optsType = raw ? 'rt.DoOptions & rt.RawRequestFlags' : 'rt.DoOptions';
    const flags = raw ? 'rt.rawRequestFlags(options)' : '0';
    const type = this.isGenl ? 'this.familyId' : this.idConst(op, 'request', Number(cmd));
    const rootSet = l.set ? str(l.set) : 'undefined';
    const payload = `${this.opFn('encreq', 'do', op)}(request)`;
    const inner = rep
      ? `      const res = await this.send(${type}, ${flags}, ${payload}, ${rootSet}, ${l.hdr}, options);\n      const m = res.messages[0];\n      if (m === undefined) throw new rt.NlgenError(${str(`${op.name}: the kernel sent no reply`)});\n      return ${this.opFn('decrep', 'do', op)}(m, this.decodeCtx);\n`
      : `      return await this.sendAck(${type}, ${flags}, ${payload}, ${rootSet}, ${l.hdr}, options);\n`;
    // Awaited inside try: a failure gets family, op, capability and a stack with the caller's frames (opError runs only
    // on failure; an awaited native promise costs no more than returning it from an async function).
    const cap = this.capabilityOf(op, Number(cmd));
    const body = `    try {\n${inner}    } catch (e) {\n      throw this.opError(e, ${str(op.name)}, ${cap === undefined ? 'undefined' : str(cap)});\n    }\n`;
    return (
      `${docComment([op.doc ?? `The \`${op.name}\` operation.`, op.flags.length ? `Kernel permission flags: ${op.flags.join(', ')}.` : undefined, `@throws NetlinkError (with \`path\` naming the rejected property when the kernel says which) or ValidationError.`], '  ')}` +
      `  async ${this.methodName(op, 'do')}(request: ${req}${om.request ? '' : ' = {}'}, options: ${optsType} = {}): Promise<${rep ?? 'void'}> {\n${body}  }\n`
    );
  }

  /**
   * The constant naming an op's message id (`RTM_NEWLINK`, `NETDEV_CMD_DEV_GET`), as the kernel's headers name it:
   * the ops' `name-prefix` (default `<family>-cmd-` for genetlink, none for raw) before the op's name. `kind` tells
   * requests from notifications, which may reuse a request's number under their own name.
   */
  private idConst(op: Operation, kind: 'request' | 'notification', value: number): string {
    const key = `id:${kind}:${op.name}`;
    const known = this.scope.get(key);
    if (known) return known;
    const prefix = this.f.operations.namePrefix ?? (this.isGenl ? `${this.f.name}-cmd-` : '');
    const id = this.scope.claim(key, upperSnake(`${prefix}${op.name}`));
    this.idConsts.push(`${docComment([kind === 'request' ? `The \`${op.name}\` request's ${this.isGenl ? 'command' : 'message type'}.` : `The \`${op.name}\` notification's ${this.isGenl ? 'command' : 'message type'}.`])}export const ${id} = ${value};\n`);
    return id;
  }

  /**
   * The capability the kernel checks before running a do op, when the spec or the protocol says: genetlink's
   * admin-perm/uns-admin-perm flags; rtnetlink wants CAP_NET_ADMIN for every message type but the gets (type & 3 ≠ 2,
   * rtnetlink_rcv_msg); nfnetlink for every message.
   */
  private capabilityOf(op: Operation, type: number): string | undefined {
    if (this.isGenl) {
      if (op.flags.includes('admin-perm')) return 'CAP_NET_ADMIN';
      if (op.flags.includes('uns-admin-perm')) return 'CAP_NET_ADMIN in the user namespace that owns the network namespace';
      return undefined;
    }
    if (this.f.protonum === 0) return (type & 3) === 2 ? undefined : 'CAP_NET_ADMIN';
    if (this.f.protonum === 12) return 'CAP_NET_ADMIN';
    return undefined;
  }

  private dumpMethod(op: Operation): string {
    const om = op.dump!;
    const req = om.request ? this.scope.get(`req:dump:${op.name}`)! : 'Record<string, never>';
    const rep = om.reply ? this.scope.get(`rep:dump:${op.name}`)! : 'Record<string, never>';
    const cmd = om.request?.value ?? op.value;
    const l = this.layout(op);
    const type = this.isGenl ? 'this.familyId' : this.idConst(op, 'request', Number(cmd));
    return (
      `${docComment([op.doc ?? `The \`${op.name}\` dump.`, 'Streams the replies as they arrive; `for await` them, or use `.batches()` to handle one datagram’s worth at a time.'], '  ')}` +
      `  ${this.methodName(op, 'dump')}(request: Partial<${req}> = {}, options: rt.DumpOptions = {}): rt.TypedDump<${rep}> {\n` +
      `    const c = this.decodeCtx;\n` +
      `    return this.dumpOf(${type}, ${this.opFn('encreq', 'dump', op)}(request), options, (m) => ${this.opFn('decrep', 'dump', op)}(m, c));\n  }\n`
    );
  }
}

/**
 * `enumCode` without the module-private lookup tables (`X_BY_NAME`, `X_BY_VALUE`, `X_BITS`) that `rest` never
 * mentions: an enum no attribute codes needs none of them, and each costs load time and type-check time.
 */
function dropUnusedTables(enumCode: string, rest: string): string {
  const used = new Set(rest.match(/\b[A-Za-z0-9]+_(?:BY_NAME|BY_VALUE|BITS)\b/g) ?? []);
  return enumCode
    .split('\n')
    .filter((line) => {
      const m = /^const ([A-Za-z0-9]+_(?:BY_NAME|BY_VALUE|BITS)): /.exec(line);
      return !m || used.has(m[1]!);
    })
    .join('\n');
}

/** Whether generated statements read through the DataView `v` (else the parameter is named `_v`: strict configs flag unused parameters). */
function usesView(code: string): boolean {
  return /\bv\b/.test(code);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
