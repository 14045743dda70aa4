// fast-check arbitraries of valid typed values for any family, built from the resolved spec model (not from the
// generated code): each yields an input for a generated encoder and the object its decoder must give back.
//
// The two differ only where the wire legitimately loses a distinction; every such case is named where it is made:
// - a known enum value given as a number decodes as its name (the wire carries the number only);
// - flags given in any order, or as raw bits a name covers, decode as names in table order, then unknown bits;
// - a 64-bit value given as a `number` decodes as a `bigint` (encoders accept both, decoders give bigint).
import fc from 'fast-check';
import type { Attr, AttrSet, EnumDef, Family, StructDef, StructMember, SubMessageFormat } from '../../generator/model.js';
import { NameScope, camelCase } from '../../generator/names.js';

/** An encoder input and the value its decoder must return. */
export interface Pair {
  in: unknown;
  out: unknown;
}

type PairArb = fc.Arbitrary<Pair>;

const same = (a: fc.Arbitrary<unknown>): PairArb => a.map((v) => ({ in: v, out: v }));
const EMPTY: PairArb = fc.constant({ in: {}, out: {} });

const INT_BOUNDS: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n],
  u16: [0n, 65535n],
  u32: [0n, 4294967295n],
  s8: [-128n, 127n],
  s16: [-32768n, 32767n],
  s32: [-2147483648n, 2147483647n],
  u64: [0n, 18446744073709551615n],
  s64: [-9223372036854775808n, 9223372036854775807n],
  uint: [0n, 18446744073709551615n],
  sint: [-9223372036854775808n, 9223372036854775807n],
};
const TYPED: Record<string, { size: number; make: (n: number[] | bigint[]) => ArrayBufferView; big: boolean }> = {
  u8: { size: 1, make: (n) => Uint8Array.from(n as number[]), big: false },
  s8: { size: 1, make: (n) => Int8Array.from(n as number[]), big: false },
  u16: { size: 2, make: (n) => Uint16Array.from(n as number[]), big: false },
  s16: { size: 2, make: (n) => Int16Array.from(n as number[]), big: false },
  u32: { size: 4, make: (n) => Uint32Array.from(n as number[]), big: false },
  s32: { size: 4, make: (n) => Int32Array.from(n as number[]), big: false },
  u64: { size: 8, make: (n) => BigUint64Array.from(n as bigint[]), big: true },
  s64: { size: 8, make: (n) => BigInt64Array.from(n as bigint[]), big: true },
};
const is64 = (t: string) => t === 'u64' || t === 's64' || t === 'uint' || t === 'sint';
const isInt = (t: string) => t in INT_BOUNDS;
const utf8Len = (s: string) => Buffer.byteLength(s, 'utf8');

/** Deepest nesting the arbitraries build (specs are recursive: nftables expressions, tc actions). */
const MAX_DEPTH = 3;

/** Text with no NUL (decoders stop at the first one) and a UTF-8 length within [min, max]. */
export function textArb(min: number, max: number): fc.Arbitrary<string> {
  const cap = Math.min(max, 24);
  return fc
    .string({ unit: 'grapheme', minLength: 0, maxLength: cap })
    .map((s) => s.replace(/\0/g, ''))
    .filter((s) => utf8Len(s) >= min && utf8Len(s) <= max)
    .chain((s) => (utf8Len(s) >= min ? fc.constant(s) : fc.constant('x'.repeat(min))));
}

/** Canonical text of an IPv6 address by Node's own WHATWG URL parser: RFC 5952 compression, lower-case hex. */
export function canonicalIpv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

const ipv4Arb = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => [...b].join('.'));
const ipv6Arb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(canonicalIpv6);
const hexBytes = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')));
const macArb = (n: number) => hexBytes(n).map((h) => h.join(':'));
const uuidArb = hexBytes(16).map((h) => {
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
});
const bytesArb = (min = 0, max = 24) => fc.uint8Array({ minLength: min, maxLength: Math.min(max, Math.max(min, 24)) });

/** Builds arbitraries for one family's structs, attribute sets and operations, with the generator's property names. */
export class ModelArbitraries {
  private readonly enums = new Map<string, EnumDef>();
  private readonly structs = new Map<string, StructDef>();
  private readonly sets = new Map<string, AttrSet>();
  private readonly setProps = new Map<string, Map<string, string>>();
  private readonly structProps = new Map<string, Map<string, string>>();
  /** Names of attributes that select a sub-message somewhere in the family. */
  private readonly selectorNames: Set<string>;
  private readonly memo = new Map<string, PairArb>();

  constructor(readonly family: Family) {
    for (const d of family.definitions) {
      if (d.kind === 'struct') this.structs.set(d.name, d);
      else if (d.kind === 'enum' || d.kind === 'flags') this.enums.set(d.name, d);
    }
    for (const s of family.attributeSets) {
      this.sets.set(s.name, s);
      // Same rule as the emitter: camelCase names claimed in attribute order, `$unknown` reserved.
      const local = new NameScope(['$unknown']);
      this.setProps.set(s.name, new Map(s.attributes.map((a) => [a.name, local.claim(a.name, camelCase(a.name))])));
    }
    // Header fields named like an attribute of the same message carry their struct's name (the generator's rule).
    const clashes = new Map<string, Set<string>>();
    const clash = (struct: string | undefined, set: string | undefined) => {
      if (!struct || !set || !this.structs.has(struct) || !this.setProps.has(set)) return;
      const props = new Set(this.setProps.get(set)!.values());
      for (const m of this.structs.get(struct)!.members) {
        if (m.type !== 'pad' && props.has(camelCase(m.name))) clashes.set(struct, (clashes.get(struct) ?? new Set()).add(camelCase(m.name)));
      }
    };
    for (const op of family.operations.list) clash(op.fixedHeader ?? family.operations.fixedHeader, op.attributeSet);
    for (const m of family.subMessages) for (const fmt of m.formats) clash(fmt.fixedHeader, fmt.attributeSet);
    for (const s of this.structs.values()) {
      const local = new NameScope(['$extra']);
      const named = (m: StructMember) => (clashes.get(s.name)?.has(camelCase(m.name)) ? camelCase(`${s.name}-${m.name}`) : camelCase(m.name));
      this.structProps.set(s.name, new Map(s.members.filter((m) => m.type !== 'pad').map((m) => [m.name, local.claim(m.name, named(m))])));
    }
    this.selectorNames = new Set(family.attributeSets.flatMap((s) => s.attributes.filter((a) => a.type === 'sub-message' && a.selector).map((a) => a.selector!)));
  }

  // ------------------------------------------------------------------------------------------------ scalars

  /** An integer (number for ≤ 32 bits, bigint for 64-bit and uint/sint) within the type and the spec's checks. */
  private intArb(type: string, min?: number | bigint, max?: number | bigint, mask?: number | bigint): PairArb {
    let [lo, hi] = INT_BOUNDS[type]!;
    if (min !== undefined && BigInt(min) > lo) lo = BigInt(min);
    if (max !== undefined && BigInt(max) < hi) hi = BigInt(max);
    if (is64(type)) {
      // A 64-bit value given as a number is accepted; the decoder gives a bigint.
      return fc.bigInt({ min: lo, max: hi }).chain((v) =>
        v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? fc.constantFrom<Pair>({ in: v, out: v }, { in: Number(v), out: v })
          : fc.constant<Pair>({ in: v, out: v }),
      );
    }
    let arb = fc.integer({ min: Number(lo), max: Number(hi) });
    if (mask !== undefined) {
      const m = Number(mask) >>> 0;
      arb = arb.map((v) => (v & m) >>> 0).filter((v) => v >= Number(lo) && v <= Number(hi));
    }
    return same(arb);
  }

  /** An integer that an enum describes: a name, or a number (a known one decodes as its name). */
  private enumArb(e: EnumDef, type: string, asFlags: boolean, mask?: number | bigint): PairArb {
    const [lo, hi] = INT_BOUNDS[type]!;
    if (is64(type)) return this.wideEnumArb(e, type, asFlags);
    if (e.kind === 'flags' || asFlags) {
      // Bits as the generated tables list them: the masks themselves for `flags`, 1 << value for enum-as-flags.
      const width = BigInt(hi);
      const table = e.entries
        .map((x) => [x.name, e.kind === 'flags' ? BigInt(x.value) : 1n << BigInt(x.value)] as const)
        .filter(([, m]) => m > 0n && m <= width && (mask === undefined || (m & ~BigInt(mask)) === 0n))
        .map(([n, m]) => [n, Number(m)] as const);
      const byName = new Map(table.map(([n, m]) => [n, m]));
      const known = table.reduce((acc, [, m]) => acc | m, 0) >>> 0;
      const allowed = mask === undefined ? Number(hi) : Number(BigInt(mask) & BigInt(hi));
      const spareBits: number[] = [];
      for (let b = 0; b < 32; b++) {
        const m = 2 ** b;
        if (m <= Number(hi) && (known & m) === 0 && (allowed & m) !== 0) spareBits.push(m);
      }
      return fc
        .tuple(fc.subarray([...new Set(table.map(([n]) => n))]), fc.subarray(spareBits, { maxLength: Math.min(2, spareBits.length) }))
        .chain(([names, bits]) => fc.shuffledSubarray([...names, ...bits], { minLength: names.length + bits.length }))
        .map((flags) => {
          let value = 0;
          for (const f of flags) value = (value | (typeof f === 'number' ? f : byName.get(f)!)) >>> 0;
          // Decoded as flagNames does: known names in table order, each clearing its bits, then leftover bits.
          const out: (string | number)[] = [];
          let rest = value;
          for (const [n, m] of table) {
            if ((rest & m) !== 0) {
              out.push(n);
              rest = (rest & ~m) >>> 0;
            }
          }
          for (let b = 0; rest !== 0 && b < 32; b++) {
            if ((rest & 2 ** b) !== 0) {
              out.push(2 ** b);
              rest = (rest & ~(2 ** b)) >>> 0;
            }
          }
          return { in: flags, out };
        });
    }
    // Decoders map a value to a name through a Map built from the entries, so the last name of a value wins.
    const byValue = new Map(e.entries.map((x) => [Number(x.value), x.name]));
    const names = e.entries.filter((x) => BigInt(x.value) >= lo && BigInt(x.value) <= hi).map((x) => ({ n: x.name, v: Number(x.value) }));
    const byNumber = fc.integer({ min: Number(lo), max: Number(hi) }).map((v) => ({ in: v, out: byValue.get(v) ?? v }));
    if (names.length === 0) return byNumber;
    return fc.oneof(fc.constantFrom(...names).map(({ n, v }) => ({ in: n, out: byValue.get(v)! })), byNumber);
  }

  /** The same for an enum in a 64-bit attribute: names, and bigint where a number would be. */
  private wideEnumArb(e: EnumDef, type: string, asFlags: boolean): PairArb {
    const [lo, hi] = INT_BOUNDS[type]!;
    if (e.kind === 'flags' || asFlags) {
      const table = e.entries
        .map((x) => [x.name, e.kind === 'flags' ? BigInt(x.value) : 1n << BigInt(x.value)] as const)
        .filter(([, m]) => m > 0n && m <= hi);
      const byName = new Map(table);
      const known = table.reduce((acc, [, m]) => acc | m, 0n);
      const spare: bigint[] = [];
      for (let b = 0n; 1n << b <= hi && spare.length < 8; b++) if ((known & (1n << b)) === 0n) spare.push(1n << b);
      return fc
        .tuple(fc.subarray([...new Set(table.map(([n]) => n))]), fc.subarray(spare, { maxLength: Math.min(2, spare.length) }))
        .map(([names, bits]) => {
          const flags: (string | bigint)[] = [...names, ...bits];
          let value = 0n;
          for (const f of flags) value |= typeof f === 'bigint' ? f : byName.get(f)!;
          const out: (string | bigint)[] = [];
          let rest = value;
          for (const [n, m] of table) {
            if ((rest & m) !== 0n) {
              out.push(n);
              rest &= ~m;
            }
          }
          for (let b = 1n; rest !== 0n; b <<= 1n) {
            if ((rest & b) !== 0n) {
              out.push(b);
              rest &= ~b;
            }
          }
          return { in: flags, out };
        });
    }
    const byValue = new Map(e.entries.map((x) => [BigInt(x.value), x.name]));
    const byNumber = fc.bigInt({ min: lo, max: hi }).map((v) => ({ in: v, out: byValue.get(v) ?? v }));
    const names = e.entries.filter((x) => BigInt(x.value) >= lo && BigInt(x.value) <= hi);
    if (names.length === 0) return byNumber;
    return fc.oneof(fc.constantFrom(...names).map((x) => ({ in: x.name, out: byValue.get(BigInt(x.value))! })), byNumber);
  }

  private scalarArb(type: string, enumName: string | undefined, asFlags: boolean | undefined, hint: string | undefined, checks?: Attr['checks']): PairArb {
    if (hint === 'ipv4' && type === 'u32') return same(ipv4Arb);
    const e = enumName ? this.enums.get(enumName) : undefined;
    if (e) return this.enumArb(e, type, !!asFlags, is64(type) ? undefined : checks?.flagsMask?.value);
    return this.intArb(type, checks?.min, checks?.max, is64(type) ? undefined : checks?.flagsMask?.value);
  }

  // ------------------------------------------------------------------------------------------------ structs

  /** A complete struct value (decoders return every member); `$extra` trailing bytes only where the decoder keeps them. */
  structArb(name: string, withExtra: boolean): PairArb {
    const key = `struct:${name}:${withExtra}`;
    const known = this.memo.get(key);
    if (known) return known;
    const s = this.structs.get(name)!;
    const props = this.structProps.get(name)!;
    const fields: Record<string, PairArb> = {};
    for (const m of s.members) {
      if (m.type === 'pad') continue;
      fields[props.get(m.name)!] = this.memberArb(m);
    }
    if (withExtra) fields.$extra = fc.option(same(bytesArb(1, 8)), { nil: undefined }).map((p) => p ?? { in: undefined, out: undefined });
    const arb = fc.record(fields, { noNullPrototype: true }).map((r) => split(r));
    this.memo.set(key, arb);
    return arb;
  }

  private memberArb(m: StructMember): PairArb {
    if (m.struct) return this.structArb(m.struct, false);
    if (m.type === 'binary') {
      if (m.displayHint === 'ipv4' && m.size === 4) return same(ipv4Arb);
      if ((m.displayHint === 'ipv6' || m.displayHint === 'ipv4-or-v6') && m.size === 16) return same(ipv6Arb);
      if (m.displayHint === 'mac') return same(macArb(m.size));
      if (m.displayHint === 'uuid' && m.size === 16) return same(uuidArb);
      return same(bytesArb(m.size, m.size));
    }
    // A fixed-size string reads up to its first NUL; one byte is left for it.
    if (m.type === 'string') return same(textArb(0, Math.max(0, m.size - 1)));
    return this.scalarArb(m.type, m.enum, m.enumAsFlags, m.displayHint);
  }

  // ------------------------------------------------------------------------------------------------ attribute sets

  /** Attributes of a set the arbitraries fill in: no pad/unused, first of any duplicated type number. */
  liveAttrs(set: string): Attr[] {
    const seen = new Set<number>();
    return this.sets.get(set)!.attributes.filter((a) => {
      if (a.type === 'pad' || a.type === 'unused' || seen.has(a.value)) return false;
      seen.add(a.value);
      return true;
    });
  }

  /**
   * A value of attribute set `set` (optionally restricted to the names in `only`). `sel` carries selector values
   * chosen by enclosing sets, for sub-messages selected at an outer level.
   */
  setArb(set: string, depth = 0, sel: Record<string, unknown> = {}, only?: ReadonlySet<string>): PairArb {
    const selKey = Object.entries(sel).map(([k, v]) => `${k}=${String(v)}`).join(';');
    // `only` empty (a request with no attributes) and absent (every attribute) must not share a memo entry.
    const key = `set:${set}:${depth}:${selKey}:${only ? `only=${[...only].join(',')}` : 'all'}`;
    const known = this.memo.get(key);
    if (known) return known;
    // Built on first use: specs nest recursively, so building eagerly would never end.
    let built: PairArb | undefined;
    const arb = fc.constant(null).chain(() => (built ??= this.buildSetArb(set, depth, sel, only)));
    this.memo.set(key, arb);
    return arb;
  }

  private buildSetArb(set: string, depth: number, sel: Record<string, unknown>, only?: ReadonlySet<string>): PairArb {
    const s = this.sets.get(set)!;
    const props = this.setProps.get(set)!;
    const attrs = this.liveAttrs(set).filter((a) => !only || only.has(a.name));
    const selectors = attrs.filter((a) => this.selectorNames.has(a.name) && !a.multiAttr && (a.type === 'string' || isInt(a.type)));
    // Selector values first: they decide which payload the sub-messages below them carry.
    const selectorArbs: Record<string, fc.Arbitrary<unknown>> = {};
    for (const a of selectors) selectorArbs[a.name] = this.selectorValueArb(a);
    return fc.record(selectorArbs, { requiredKeys: [], noNullPrototype: true }).chain((chosen) => {
      const inner = { ...sel, ...chosen };
      const fields: Record<string, PairArb> = {};
      for (const a of selectors) if (a.name in chosen) fields[props.get(a.name)!] = fc.constant({ in: chosen[a.name], out: chosen[a.name] });
      for (const a of attrs) {
        if (selectors.includes(a)) continue;
        const p = props.get(a.name)!;
        if (a.type === 'sub-message') {
          const sameLevel = s.attributes.some((b) => b.name === a.selector);
          const selValue = sameLevel ? chosen[a.selector!] : inner[a.selector!];
          const fmt = this.family.subMessages.find((m) => m.name === a.subMessage)?.formats.find((f) => f.value === selValue);
          if (fmt && depth < MAX_DEPTH) fields[p] = this.formatArb(fmt, depth + 1, inner);
          else if (!fmt && sameLevel) fields[`${p}Raw`] = same(bytesArb()); // a kind this spec does not know: raw bytes
          else if (!fmt) fields[p] = same(bytesArb());
          continue;
        }
        const value = this.attrValueArb(a, depth, inner);
        if (!value) continue;
        fields[p] = a.multiAttr ? fc.array(value, { minLength: 1, maxLength: 3 }).map((xs) => ({ in: xs.map((x) => x.in), out: xs.map((x) => x.out) })) : value;
      }
      // Attributes the spec does not describe: kept under $unknown in wire order.
      const taken = new Set(s.attributes.map((a) => a.value));
      fields.$unknown = fc.array(
        fc.record({ type: fc.integer({ min: 1, max: 0x3fff }).filter((t) => !taken.has(t)), data: bytesArb(0, 12) }, { noNullPrototype: true }),
        { minLength: 1, maxLength: 2 },
      ).map((u) => ({ in: u, out: u }));
      // Selector values were decided above and the payloads below depend on them: they are never left out.
      const requiredKeys = selectors.filter((a) => a.name in chosen).map((a) => props.get(a.name)!);
      return fc.record(fields, { requiredKeys, noNullPrototype: true }).map((r) => split(r));
    });
  }

  /** Values a selector attribute takes: the format names sub-messages know, or a value none knows. */
  private selectorValueArb(a: Attr): fc.Arbitrary<unknown> {
    const values = [...new Set(this.family.subMessages.flatMap((m) => m.formats.map((f) => f.value)))];
    if (a.type !== 'string') {
      // An integer selector with an enum travels as the entry's name (formats are named after entries); a value no
      // entry has stays a number and selects nothing.
      const e = a.enum ? this.enums.get(a.enum) : undefined;
      const [lo, hi] = INT_BOUNDS[a.type]!;
      const plain = fc.integer({ min: Number(lo), max: Number(hi) > 2 ** 31 ? 2 ** 31 : Number(hi) });
      if (!e || e.kind === 'flags' || is64(a.type) || e.entries.length === 0) return plain;
      const taken = new Set(e.entries.map((x) => Number(x.value)));
      const names = [...new Map(e.entries.map((x) => [Number(x.value), x.name])).values()];
      return fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 4 }, { arbitrary: plain.filter((v) => !taken.has(v)), weight: 1 });
    }
    const unknown = textArb(1, 12).filter((t) => !values.includes(t));
    return values.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 4 }, { arbitrary: unknown, weight: 1 }) : unknown;
  }

  /** A sub-message payload: its fixed header's fields and/or its attributes, merged into one object. */
  private formatArb(fmt: SubMessageFormat, depth: number, sel: Record<string, unknown>): PairArb {
    if (!fmt.fixedHeader && !fmt.attributeSet) return EMPTY;
    if (fmt.fixedHeader && !fmt.attributeSet) return this.structArb(fmt.fixedHeader, true);
    if (!fmt.fixedHeader) return this.setArb(fmt.attributeSet!, depth, sel);
    return fc.tuple(this.structArb(fmt.fixedHeader, false), this.setArb(fmt.attributeSet!, depth, sel)).map(([h, a]) => merge(h, a));
  }

  /** One value of attribute `a` (before multi-attr repeats it); undefined when nesting is already deep enough. */
  private attrValueArb(a: Attr, depth: number, sel: Record<string, unknown>): PairArb | undefined {
    const ck = a.checks;
    const deeper = depth + 1 <= MAX_DEPTH;
    switch (a.type) {
      case 'flag':
        // `false` is "absent" on the wire, so only `true` survives a round trip.
        return same(fc.constant(true));
      case 'string':
        return same(textArb(ck.minLen ?? ck.exactLen ?? 0, ck.maxLen ?? ck.exactLen ?? 24));
      case 'binary': {
        if (a.struct) return this.structArb(a.struct, true);
        const typed = a.subType ? TYPED[a.subType] : undefined;
        if (typed) {
          const [lo, hi] = INT_BOUNDS[a.subType!]!;
          const item = typed.big ? fc.bigInt({ min: lo, max: hi }) : fc.integer({ min: Number(lo), max: Number(hi) });
          return same(fc.array(item as fc.Arbitrary<number | bigint>, { maxLength: 6 }).map((xs) => typed.make(xs as number[])));
        }
        if (a.displayHint === 'ipv4') return same(ipv4Arb);
        if (a.displayHint === 'ipv6') return same(ipv6Arb);
        if (a.displayHint === 'ipv4-or-v6') return same(fc.oneof(ipv4Arb, ipv6Arb));
        if (a.displayHint === 'mac') return same(macArb(6));
        if (a.displayHint === 'uuid') return same(uuidArb);
        return same(bytesArb(ck.exactLen ?? ck.minLen ?? 0, ck.exactLen ?? ck.maxLen ?? 24));
      }
      case 'nest':
        if (!a.nestedAttributes) return same(bytesArb());
        return deeper ? this.setArb(a.nestedAttributes, depth + 1, sel) : undefined;
      case 'indexed-array': {
        let item: PairArb | undefined;
        if (a.subType === 'nest' && a.nestedAttributes) item = deeper ? this.setArb(a.nestedAttributes, depth + 1, sel) : undefined;
        else if (a.subType === 'binary' && a.struct) item = this.structArb(a.struct, false);
        else if (a.subType === 'string') item = same(textArb(0, 16));
        else if (a.subType && isInt(a.subType)) item = this.intArb(a.subType);
        else item = same(bytesArb());
        if (!item) return undefined;
        return fc.array(item, { maxLength: 3 }).map((xs) => ({ in: xs.map((x) => x.in), out: xs.map((x) => x.out) }));
      }
      case 'nest-type-value': {
        if (!deeper) return undefined;
        const leaf: PairArb = a.nestedAttributes ? this.setArb(a.nestedAttributes, depth + 1, sel) : same(bytesArb());
        let level = leaf;
        for (let i = 0; i < Math.max(1, a.typeValue?.length ?? 1); i++) {
          const inner = level;
          level = fc
            .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 0x3fff }), inner), { selector: (t) => t[0], maxLength: 3 })
            .map((entries) => ({
              in: Object.fromEntries(entries.map(([k, v]) => [k, v.in])),
              out: Object.fromEntries(entries.map(([k, v]) => [k, v.out])),
            }));
        }
        return level;
      }
      case 'bitfield32':
        return same(fc.record({ value: fc.integer({ min: 0, max: 0xffffffff }), selector: fc.integer({ min: 0, max: 0xffffffff }) }, { noNullPrototype: true }));
      default:
        if (isInt(a.type)) return this.scalarArb(a.type, a.enum, a.enumAsFlags, a.displayHint, ck);
        return same(bytesArb());
    }
  }

  /** A request of `op` (`do` or `dump`): fixed header fields and the attributes the request lists. */
  requestArb(opName: string, mode: 'do' | 'dump'): PairArb {
    const op = this.family.operations.list.find((o) => o.name === opName)!;
    const fixed = op.fixedHeader ?? this.family.operations.fixedHeader;
    const attrs = op[mode]!.request.attributes;
    const set = op.attributeSet && this.sets.has(op.attributeSet) ? this.setArb(op.attributeSet, 0, {}, new Set(attrs)) : EMPTY;
    // Replies decode every header field, so the request gives them all (no $extra: the attributes follow the header).
    const head = fixed ? this.structArb(fixed, false) : EMPTY;
    return fc.tuple(head, set).map(([h, s]) => merge(h, s));
  }
}

/** A record of pairs → the pair of records (undefined members dropped). */
function split(r: Partial<Record<string, Pair>>): Pair {
  const i: Record<string, unknown> = {};
  const o: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(r)) {
    if (p === undefined) continue;
    if (p.in !== undefined) i[k] = p.in;
    if (p.out !== undefined) o[k] = p.out;
  }
  return { in: i, out: o };
}

function merge(a: Pair, b: Pair): Pair {
  return { in: { ...(a.in as object), ...(b.in as object) }, out: { ...(a.out as object), ...(b.out as object) } };
}
