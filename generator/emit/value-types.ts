// TypeScript types of values: struct members, attributes, sub-message formats, operation messages, notifications.
import type { Attr, Operation, StructMember } from '../model.js';
import { str } from '../names.js';
import type { EmitContext } from './context.js';
import { TYPED_ARRAY, is64, isInt } from './int-types.js';
import { hintRead } from './display-hints.js';
import { enumMode } from './enum-values.js';

/** TS type of a struct member. */
export function memberTsType(ctx: EmitContext, m: StructMember): string {
  if (m.struct) return ctx.defName(m.struct);
  if (m.type === 'binary') return m.displayHint && ['ipv4', 'ipv6', 'ipv4-or-v6', 'mac', 'uuid'].includes(m.displayHint) ? 'string' : 'Uint8Array';
  if (m.type === 'string') return 'string';
  if (m.displayHint === 'ipv4' && m.type === 'u32') return 'string';
  const num = is64(m.type) ? 'bigint' : 'number';
  const mode = enumMode(ctx, m.enum, m.enumAsFlags, m.type);
  if (mode === 'enum') return `${ctx.defName(m.enum!)} | ${num}`;
  if (mode === 'flags') return `(${ctx.defName(m.enum!)} | ${num})[]`;
  return num;
}

/** TS type of one value of an attribute (before multi-attr makes it an array). */
export function attrValueType(ctx: EmitContext, a: Attr): string {
  switch (a.type) {
    case 'flag':
      return 'boolean';
    case 'string':
      return 'string';
    case 'binary':
      if (a.struct) return ctx.defName(a.struct);
      if (a.subType && TYPED_ARRAY[a.subType]) return TYPED_ARRAY[a.subType]!;
      return hintRead(ctx, a.displayHint, '', '', '') ? 'string' : 'Uint8Array';
    case 'nest':
      return a.nestedAttributes ? ctx.setType(a.nestedAttributes) : 'Uint8Array';
    case 'indexed-array': {
      if (a.subType === 'nest' && a.nestedAttributes) return `${ctx.setType(a.nestedAttributes)}[]`;
      if (a.subType === 'binary' && a.struct) return `${ctx.defName(a.struct)}[]`;
      if (a.subType === 'string') return 'string[]';
      if (a.subType && isInt(a.subType)) return is64(a.subType) ? 'bigint[]' : 'number[]';
      return 'Uint8Array[]';
    }
    case 'nest-type-value': {
      const inner = a.nestedAttributes ? ctx.setType(a.nestedAttributes) : 'Uint8Array';
      const depth = Math.max(1, a.typeValue?.length ?? 1);
      let t = inner;
      for (let i = 0; i < depth; i++) t = `Record<number, ${t}>`;
      return t;
    }
    case 'bitfield32':
      return 'rt.Bitfield32';
    case 'sub-message':
      return a.subMessage ? ctx.scope.get(`sub:${a.subMessage}`)! : 'Uint8Array';
    default:
      if (isInt(a.type)) {
        if (a.displayHint === 'ipv4' && a.type === 'u32') return 'string';
        // 64-bit values are bigint throughout, enum names and flag arrays included.
        const num = is64(a.type) ? 'bigint' : 'number';
        const mode = enumMode(ctx, a.enum, a.enumAsFlags, a.type);
        if (mode === 'enum') return `${ctx.defName(a.enum!)} | ${num}`;
        if (mode === 'flags') return `(${ctx.defName(a.enum!)} | ${num})[]`;
        return num;
      }
      return 'Uint8Array';
  }
}

/** TS type of an attribute (an array when it repeats). */
export function attrTsType(ctx: EmitContext, a: Attr): string {
  const t = attrValueType(ctx, a);
  return a.multiAttr ? `(${t})[]` : t;
}

/** Doc text for an attribute's checks and display hint. */
export function checkDoc(ctx: EmitContext, a: Attr): string | undefined {
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

/** TS type of one sub-message format: its fixed header's fields and/or its attributes. */
export function formatType(ctx: EmitContext, fmt: { fixedHeader?: string; attributeSet?: string }): string {
  const parts: string[] = [];
  if (fmt.fixedHeader) parts.push(ctx.defName(fmt.fixedHeader));
  if (fmt.attributeSet) parts.push(ctx.setType(fmt.attributeSet));
  return parts.length === 0 ? 'Record<string, never>' : parts.join(' & ');
}

/** The message type for a request or reply: fixed header fields (partial on input) + the listed attributes. */
export function messageType(ctx: EmitContext, op: Operation, attrs: string[], input: boolean): string {
  const parts: string[] = [];
  const fh = ctx.opFixedHeader(op);
  if (fh) parts.push(input ? `Partial<${ctx.defName(fh)}>` : ctx.defName(fh));
  if (op.attributeSet && ctx.sets.has(op.attributeSet)) {
    const setT = ctx.setType(op.attributeSet);
    const keys = attrs.filter((n) => ctx.props.get(op.attributeSet!)!.has(n)).flatMap((n) => {
      const p = ctx.prop(op.attributeSet!, n);
      const a = ctx.sets.get(op.attributeSet!)!.attributes.find((x) => x.name === n)!;
      if (a.type === 'pad' || a.type === 'unused') return [];
      const sameLevel = a.type === 'sub-message' && a.selector && ctx.sets.get(op.attributeSet!)!.attributes.some((b) => b.name === a.selector);
      return sameLevel ? [p, `${p}Raw`] : [p];
    });
    keys.push('$unknown');
    const pick = ctx.unionSets.has(op.attributeSet) ? 'rt.PickAttrs' : 'Pick';
    parts.push(`${pick}<${setT}, ${keys.map((k) => str(k)).join(' | ')}>`);
  }
  return parts.length === 0 ? 'Record<string, never>' : parts.join(' & ');
}

/** The op whose reply shape a notification reuses (`notify`), or the notification itself (`event`). */
export function notificationShape(ctx: EmitContext, op: Operation): string {
  if (op.notify) {
    const target = ctx.f.operations.list.find((o) => o.name === op.notify);
    const attrs = target?.do?.reply?.attributes ?? target?.dump?.reply?.attributes ?? [];
    return messageType(ctx, { ...(target ?? op), fixedHeader: op.fixedHeader ?? target?.fixedHeader }, attrs, false);
  }
  return messageType(ctx, op, op.event?.attributes ?? [], false);
}

