// Decode expressions, one place per wire type: struct members, attribute payloads, array items, sub-message formats,
// and whole messages (genl header, fixed header, attributes).
import type { Attr, AttrSet, StructMember } from '../model.js';
import { str } from '../names.js';
import type { EmitContext } from './context.js';
import { align4, INT_SIZE, isInt, TYPED_ARRAY } from './int-types.js';
import { hintRead } from './display-hints.js';
import { enumWrapRead } from './enum-values.js';
import { attrValueType } from './value-types.js';

/** Decode expression for a struct member at its offset from `o`. */
export function memberRead(ctx: EmitContext, m: StructMember): string {
  const at = `o + ${m.offset}`;
  const end = `o + ${m.offset + m.size}`;
  if (m.struct) return `${ctx.structFn('decode', m.struct)}(d, v, ${at}, ${end})`;
  if (m.type === 'binary') return hintRead(ctx, m.displayHint, 'd', at, end) ?? `d.slice(${at}, ${end})`;
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
  return enumWrapRead(ctx, m.enum, m.enumAsFlags, m.type, raw);
}

/** Decode expression for one value of attribute `a` with payload `[q, e)`. */
export function attrRead(ctx: EmitContext, s: AttrSet, a: Attr): string {
  const be = a.byteOrder === 'big-endian' ? ', true' : '';
  switch (a.type) {
    case 'flag':
      return 'true';
    case 'string':
      return 'rt.str(d, q, e)';
    case 'binary':
      if (a.struct) return `${ctx.structFn('decode', a.struct)}(d, v, q, e)`;
      if (a.subType && TYPED_ARRAY[a.subType]) {
        // The per-type copy (rt.u32ArrayOf …): one constructor per call site, which V8 inlines; the generic
        // typedArrayOf's constructor argument made every array decode a megamorphic construct.
        return `rt.${a.subType}ArrayOf(d, q, e)`;
      }
      return hintRead(ctx, a.displayHint, 'd', 'q', 'e') ?? 'rt.bytes(d, q, e)';
    case 'nest':
      return a.nestedAttributes ? `${ctx.setFn('decode', a.nestedAttributes)}(d, v, q, e, c)` : 'rt.bytes(d, q, e)';
    case 'indexed-array': {
      const item = arrayItemRead(ctx, a);
      return `((): ${attrValueType(ctx, a)} => { const arr: ${attrValueType(ctx, a)} = []; for (let ip = q; ip < e;) { const ie = rt.attrEnd(v, ip, e); const iq = ip + 4; arr.push(${item}); ip = (ie + 3) & ~3; } return arr; })()`;
    }
    case 'nest-type-value': {
      const depth = Math.max(1, a.typeValue?.length ?? 1);
      const leaf = a.nestedAttributes ? `${ctx.setFn('decode', a.nestedAttributes)}(d, v, lq, le, c)` : 'rt.bytes(d, lq, le)';
      return `rt.decodeTypeValue(d, v, q, e, ${depth}, (lq: number, le: number) => ${leaf}) as ${attrValueType(ctx, a)}`;
    }
    case 'bitfield32':
      return '{ value: rt.u32(v, q, e), selector: rt.u32(v, q + 4, e) }';
    case 'sub-message':
      // Selected at an outer level: the selector's value travels down in the decode context.
      return `decode${ctx.scope.get(`sub:${a.subMessage}`)}(c.sel[${str(a.selector ?? '')}], d, v, q, e, c)`;
    default: {
      if (!isInt(a.type)) return 'rt.bytes(d, q, e)';
      const raw = a.type === 'uint' || a.type === 'sint' ? `rt.${a.type}(v, q, e)` : `rt.${a.type}(v, q, e${INT_SIZE[a.type]! > 1 ? be : ''})`;
      if (a.displayHint === 'ipv4' && a.type === 'u32') return `rt.ipv4FromU32(rt.u32(v, q, e, true))`;
      return enumWrapRead(ctx, a.enum, a.enumAsFlags, a.type, raw);
    }
  }
}

/** Decode expression for one item `[iq, ie)` of an indexed array. */
export function arrayItemRead(ctx: EmitContext, a: Attr): string {
  if (a.subType === 'nest' && a.nestedAttributes) return `${ctx.setFn('decode', a.nestedAttributes)}(d, v, iq, ie, c)`;
  if (a.subType === 'binary' && a.struct) return `${ctx.structFn('decode', a.struct)}(d, v, iq, ie)`;
  if (a.subType === 'string') return 'rt.str(d, iq, ie)';
  if (a.subType && isInt(a.subType)) {
    const be = a.byteOrder === 'big-endian' && INT_SIZE[a.subType]! > 1 ? ', true' : '';
    return a.subType === 'uint' || a.subType === 'sint' ? `rt.${a.subType}(v, iq, ie)` : `rt.${a.subType}(v, iq, ie${be})`;
  }
  return 'rt.bytes(d, iq, ie)';
}

/** Decode expression for one sub-message format (its fixed header and/or attributes, into one object). */
export function formatDecode(ctx: EmitContext, fmt: { fixedHeader?: string; attributeSet?: string }): string {
  if (!fmt.fixedHeader && !fmt.attributeSet) return '{}';
  if (fmt.fixedHeader && !fmt.attributeSet) return `${ctx.structFn('decode', fmt.fixedHeader)}(d, v, p, e)`;
  if (!fmt.fixedHeader) return `${ctx.setFn('decode', fmt.attributeSet!)}(d, v, p, e, c)`;
  const size = ctx.structs.get(fmt.fixedHeader)!.size;
  // The attributes are decoded into the header's object: one object per value, no spread copies.
  return `${ctx.setFn('decode', fmt.attributeSet!)}(d, v, Math.min(e, p + ${align4(size)}), e, c, ${ctx.structFn('decode', fmt.fixedHeader)}$into(new ${ctx.shapeOf.get(fmt.attributeSet!)}(false), d, v, p, Math.min(e, p + ${size}))) as ${ctx.defName(fmt.fixedHeader)} & ${ctx.setType(fmt.attributeSet!)}`;
}

/** Expression decoding NetlinkMessage `m` with a given layout (uses `c` for the decode context). */
export function decodeMessageExpr(ctx: EmitContext, l: { hdr: number; fixed?: string; set?: string }, m: string): string {
  const g = ctx.isGenl ? 4 : 0;
  const setCall = (into: string) =>
    `${ctx.setFn('decode', l.set!)}(${m}.data, ${m}.view, Math.min(${m}.end, ${m}.start + ${l.hdr}), ${m}.end, c${into})`;
  if (!l.fixed) return l.set ? setCall('') : '{}';
  // With attributes after it, the header ends where its struct does (what follows is attributes, not `$extra`);
  // the attributes are decoded into the header's object: one object per message, no spread copies.
  const size = ctx.structs.get(l.fixed)!.size;
  const hdrEnd = l.set ? `Math.min(${m}.end, ${m}.start + ${g + size})` : `${m}.end`;
  if (!l.set) return `${ctx.structFn('decode', l.fixed)}(${m}.data, ${m}.view, ${m}.start + ${g}, ${hdrEnd})`;
  const header = `${ctx.structFn('decode', l.fixed)}$into(new ${ctx.shapeOf.get(l.set)}(false), ${m}.data, ${m}.view, ${m}.start + ${g}, ${hdrEnd})`;
  return setCall(`, ${header}`);
}

