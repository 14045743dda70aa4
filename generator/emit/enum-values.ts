// Enum- and flag-typed integers: how a value is presented (name, flag names or number) and the lookup tables the
// conversions use, registered once per enum and kind (64-bit values get bigint tables).
import { str } from '../names.js';
import type { EmitContext } from './context.js';
import { is64 } from './int-types.js';

/** How an enum-typed integer is presented: 'enum' (name or number), 'flags' (array), or undefined (plain number). */
export function enumMode(ctx: EmitContext, enumName: string | undefined, asFlags: boolean | undefined, type: string): 'enum' | 'flags' | undefined {
  if (!enumName || !ctx.enums.has(enumName)) return undefined;
  const e = ctx.enums.get(enumName)!;
  return e.kind === 'flags' || asFlags ? 'flags' : 'enum';
}

/** Bit masks of an enum used as flags: `1 << value` for enum-as-flags, the masks themselves for `flags`. */
export function flagTable(ctx: EmitContext, enumName: string, asFlags: boolean): string {
  const e = ctx.enums.get(enumName)!;
  const id = ctx.defName(enumName);
  if (e.kind === 'flags' || !asFlags) return `${id}_BITS`;
  const key = `bits:${enumName}`;
  if (!ctx.extraTables.has(key)) {
    ctx.extraTables.set(
      key,
      `const ${id}_AS_FLAGS: readonly (readonly [${id}, number])[] = [${e.entries.map((x) => `[${str(x.name)}, ${Number(1n << BigInt(x.value))}]`).join(', ')}];\n` +
        `const ${id}_FLAG_BY_NAME: ReadonlyMap<string, number> = new Map(${id}_AS_FLAGS);\n`,
    );
  }
  return `${id}_AS_FLAGS`;
}

/** Tables for an enum carried in a 64-bit attribute: value → name, and name/bits as bigint masks. */
export function wideTable(ctx: EmitContext, enumName: string, kind: 'byValue' | 'bits' | 'bitsByName', asFlags: boolean): string {
  const e = ctx.enums.get(enumName)!;
  const id = ctx.defName(enumName);
  if (kind === 'byValue') {
    const key = `wide-values:${enumName}`;
    if (!ctx.extraTables.has(key)) {
      ctx.extraTables.set(key, `const ${id}_BY_VALUE64: ReadonlyMap<bigint, ${id}> = new Map<bigint, ${id}>([${e.entries.map((x) => `[${BigInt(x.value)}n, ${str(x.name)}]`).join(', ')}]);\n`);
    }
    return `${id}_BY_VALUE64`;
  }
  // `flags` entries are masks already; an enum used as flags names bit numbers.
  const masks = e.kind === 'flags' || !asFlags;
  const table = `${id}_${masks ? 'MASKS64' : 'AS_FLAGS64'}`;
  const key = `wide-bits:${enumName}:${masks}`;
  if (!ctx.extraTables.has(key)) {
    ctx.extraTables.set(
      key,
      `const ${table}: readonly (readonly [${id}, bigint])[] = [${e.entries.map((x) => `[${str(x.name)}, ${masks ? BigInt(x.value) : 1n << BigInt(x.value)}n]`).join(', ')}];\n` +
        `const ${table}_BY_NAME: ReadonlyMap<string, bigint> = new Map(${table});\n`,
    );
  }
  return kind === 'bits' ? table : `${table}_BY_NAME`;
}

/** `raw` presented as its enum name or flag names when the value is enum-typed. */
export function enumWrapRead(ctx: EmitContext, enumName: string | undefined, asFlags: boolean | undefined, type: string, raw: string): string {
  const mode = enumMode(ctx, enumName, asFlags, type);
  if (mode && is64(type)) {
    return mode === 'enum'
      ? `rt.enumName64(${wideTable(ctx, enumName!, 'byValue', !!asFlags)}, ${raw})`
      : `rt.flagNames64(${wideTable(ctx, enumName!, 'bits', !!asFlags)}, ${raw})`;
  }
  if (mode === 'enum') return `rt.enumName(${ctx.defName(enumName!)}_BY_VALUE, ${raw})`;
  if (mode === 'flags') return `rt.flagNames(${flagTable(ctx, enumName!, !!asFlags)}, ${raw})`;
  return raw;
}

/** `val` (a name, flag names or number) turned into the number to write, checked against the enum. */
export function enumWrapWrite(ctx: EmitContext, enumName: string | undefined, asFlags: boolean | undefined, type: string, val: string, path: string): string {
  const mode = enumMode(ctx, enumName, asFlags, type);
  const id = enumName ? ctx.defName(enumName) : '';
  if (mode && is64(type)) {
    return mode === 'enum'
      ? `rt.enumValue64(${id}_BY_NAME, ${val}, ${path})`
      : `rt.flagValue64(${wideTable(ctx, enumName!, 'bitsByName', !!asFlags)}, ${val}, ${path})`;
  }
  if (mode === 'enum') return `rt.enumValue(${id}_BY_NAME, ${val}, ${path})`;
  if (mode === 'flags') {
    const e = ctx.enums.get(enumName!)!;
    const byName = e.kind === 'flags' || !asFlags ? `${id}_BY_NAME` : (flagTable(ctx, enumName!, true), `${id}_FLAG_BY_NAME`);
    return `rt.flagValue(${byName}, ${val}, ${path})`;
  }
  return val;
}

