// Encode statements, one place per wire type: struct members, attribute values (checked against the spec before
// anything is written), array items, sub-message formats.
import type { Attr, AttrSet, StructMember } from '../model.js';
import { propKey, str } from '../names.js';
import type { EmitContext } from './context.js';
import { INT_RANGE, INT_SIZE, TYPED_ARRAY, is64, isInt, numLit } from './int-types.js';
import { hintParse } from './display-hints.js';
import { enumWrapWrite } from './enum-values.js';

/** Statements writing a struct member (zeros when absent; fixed-size fields never cut or padded silently). */
export function memberWrite(ctx: EmitContext, m: StructMember, prop: string): string {
  if (m.type === 'pad') return `  w.rawZeros(${m.size});`;
  const val = `s.${propKey(prop).startsWith('[') || propKey(prop).startsWith('"') ? `[${str(prop)}]` : prop}`;
  const path = `rt.join(path, ${str(prop)})`;
  if (m.struct) return `  if (${val} === undefined) w.rawZeros(${m.size});\n  else ${ctx.structFn('encode', m.struct)}(w, ${val}, ${path});`;
  // Fixed-size members: a value that does not fit is an error, never cut (a shorter string is NUL-padded).
  if (m.type === 'binary') {
    const hint = hintParse(ctx, m.displayHint, val, path);
    return `  w.rawBytes(${val} === undefined ? new Uint8Array(0) : rt.fixedBytes(${hint ?? `rt.checkBytes(${val}, ${path})`}, ${m.size}, ${path}), ${m.size});`;
  }
  if (m.type === 'string') return `  w.rawBytes(${val} === undefined ? new Uint8Array(0) : rt.fixedString(rt.utf8Bytes(rt.checkString(${val}, ${path})), ${m.size}, ${path}), ${m.size});`;
  const be = m.byteOrder === 'big-endian' ? ', true' : '';
  const fn = `raw${m.type[0]!.toUpperCase()}${m.type.slice(1)}`;
  let expr: string;
  if (m.displayHint === 'ipv4' && m.type === 'u32') expr = `rt.ipv4ToU32(${val}, ${path})`;
  else expr = enumWrapWrite(ctx, m.enum, m.enumAsFlags, m.type, val, path);
  const [lo, hi] = INT_RANGE[m.type]!;
  const checked = is64(m.type) ? `rt.checkBig(${expr}, ${lo}, ${hi}, ${path})` : `rt.checkInt(${expr}, ${lo}, ${hi}, ${path})`;
  return `  w.${fn}(${val} === undefined ? ${is64(m.type) ? '0n' : '0'} : ${checked}${be});`;
}

/** Statements that encode one value `x` of attribute `a` at `path` (pp). */
export function attrWrite(ctx: EmitContext, s: AttrSet, a: Attr, x: string, pp: string): string {
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
      if (a.struct) return `{ const m = w.beginAttr(${t}); ${ctx.structFn('encode', a.struct)}(w, ${x}, ${pp}); w.endAttr(m); }`;
      if (a.subType && TYPED_ARRAY[a.subType]) return `w.binary(${t}, rt.typedArrayBytes(${x}, ${TYPED_ARRAY[a.subType]}, ${pp}));`;
      const parsed = hintParse(ctx, a.displayHint, x, pp);
      const bytesExpr = parsed ?? `rt.checkBytes(${x}, ${pp})`;
      const min = ck.exactLen ?? ck.minLen;
      const max = ck.exactLen ?? ck.maxLen;
      if (min !== undefined || max !== undefined) return `{ const b = ${bytesExpr}; rt.checkLen(b.length, ${min ?? 0}, ${max ?? 'Infinity'}, ${pp}); w.binary(${t}, b); }`;
      return `w.binary(${t}, ${bytesExpr});`;
    }
    case 'nest':
      if (!a.nestedAttributes) return `{ const m = w.beginNest(${t}); w.rawBytes(rt.checkBytes(${x}, ${pp})); w.endNest(m); }`;
      return `{ const m = w.beginNest(${t}); ${ctx.setFn('encode', a.nestedAttributes)}(w, ${x}, ${pp}, sel); w.endNest(m); }`;
    case 'indexed-array': {
      const item = arrayItemWrite(ctx, a, 'it', `\`\${${pp}}[\${i}]\``);
      return `{ const m = w.beginNest(${t}); rt.checkArray(${x}, ${pp}).forEach((it, i) => { ${item} }); w.endNest(m); }`;
    }
    case 'nest-type-value': {
      const depth = Math.max(1, a.typeValue?.length ?? 1);
      const leaf = a.nestedAttributes ? `(lv: any, lp: string) => ${ctx.setFn('encode', a.nestedAttributes)}(w, lv, lp, sel)` : `(lv: any, lp: string) => w.rawBytes(rt.checkBytes(lv, lp))`;
      return `{ const m = w.beginNest(${t}); rt.encodeTypeValue(w, ${x}, ${depth}, ${pp}, ${leaf}); w.endNest(m); }`;
    }
    case 'bitfield32':
      return `{ rt.checkObject(${x}, ${pp}); w.bitfield32(${t}, rt.checkInt(${x}.value, 0, 4294967295, rt.join(${pp}, 'value')), rt.checkInt(${x}.selector, 0, 4294967295, rt.join(${pp}, 'selector'))); }`;
    case 'sub-message': {
      const sm = ctx.scope.get(`sub:${a.subMessage}`)!;
      const sameLevel = a.selector && s.attributes.some((b) => b.name === a.selector);
      const selExpr = sameLevel ? `(o as any)[${str(ctx.prop(s.name, a.selector!))}]` : `sel[${str(a.selector ?? '')}]`;
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
      const val = enumWrapWrite(ctx, a.enum, a.enumAsFlags, a.type, x, pp);
      const checked = big ? `rt.checkBig(${val}, ${lo}, ${hi}, ${pp})` : `rt.checkInt(${val}, ${lo}, ${hi}, ${pp})`;
      const mask = ck.flagsMask && !big ? ` rt.checkMask(v, ${numLit(ck.flagsMask.value, false)}, ${pp});` : '';
      if (a.type === 'uint' || a.type === 'sint') return `w.${a.type}(${t}, ${checked});`;
      return `{ const v = ${checked};${mask} w.${a.type}(${t}, v${be}); }`;
    }
  }
}

/** Statements encoding one item `x` of an indexed array at index `i`. */
export function arrayItemWrite(ctx: EmitContext, a: Attr, x: string, pp: string): string {
  if (a.subType === 'nest' && a.nestedAttributes) return `const im = w.beginNest(i + 1); ${ctx.setFn('encode', a.nestedAttributes)}(w, ${x}, ${pp}, sel); w.endNest(im);`;
  if (a.subType === 'binary' && a.struct) return `const im = w.beginAttr(i + 1); ${ctx.structFn('encode', a.struct)}(w, ${x}, ${pp}); w.endAttr(im);`;
  if (a.subType === 'string') return `w.string(i + 1, rt.checkString(${x}, ${pp}));`;
  if (a.subType && isInt(a.subType)) {
    const [lo, hi] = INT_RANGE[a.subType]!;
    const be = a.byteOrder === 'big-endian' && INT_SIZE[a.subType]! > 1 ? ', true' : '';
    const checked = is64(a.subType) ? `rt.checkBig(${x}, ${lo}, ${hi}, ${pp})` : `rt.checkInt(${x}, ${lo}, ${hi}, ${pp})`;
    return a.subType === 'uint' || a.subType === 'sint' ? `w.${a.subType}(i + 1, ${checked});` : `w.${a.subType}(i + 1, ${checked}${be});`;
  }
  return `w.binary(i + 1, rt.checkBytes(${x}, ${pp}));`;
}

/** Statements encoding one sub-message format: keys checked once against header and attributes, then each part. */
export function formatEncode(ctx: EmitContext, fmt: { fixedHeader?: string; attributeSet?: string }, path: string): string {
  const lines: string[] = [];
  // Header fields and attributes share one object: its keys are checked once, against both.
  lines.push(`      rt.checkKeys(o, ${ctx.keySet([...(fmt.fixedHeader ? ctx.structKeys(fmt.fixedHeader) : []), ...(fmt.attributeSet ? ctx.setKeys(fmt.attributeSet) : [])])}, ${path});`);
  if (fmt.fixedHeader) lines.push(`      ${ctx.structFn('encode', fmt.fixedHeader)}(w, o as any, ${path}, true);`);
  if (fmt.fixedHeader && fmt.attributeSet) lines.push(`      w.rawZeros((4 - (w.length & 3)) & 3);`);
  // Selector values of enclosing levels travel on (a veth peer's format is chosen by the outer linkinfo kind).
  if (fmt.attributeSet) lines.push(`      ${ctx.setFn('encode', fmt.attributeSet)}(w, o as any, ${path}, ctx, true);`);
  return lines.join('\n');
}

