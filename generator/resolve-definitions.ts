// Resolving `definitions`: constants, enums and flags with their values computed, and structs laid out.
import type { ByteOrder, ConstDef, Definition, DisplayHint, EnumDef, EnumEntry, IntType, StructDef, StructMember } from './model.js';
import { intSize, toNum, type ResolveContext } from './resolve-context.js';
import type { YDefinition } from './resolve-input.js';

/** Resolves every definition, in spec order. Errors go to the context. */
export function resolveDefinitions(ctx: ResolveContext): Definition[] {
  const defs = ctx.spec.definitions ?? [];
  const base = '/definitions';
  // Names first, so anything may refer to a definition written further down.
  defs.forEach((d, i) => {
    if (ctx.definitionKinds.has(d.name)) {
      ctx.error(`${base}/${i}/name`, `duplicate definition name "${d.name}"`);
    } else {
      ctx.definitionKinds.set(d.name, d.type);
    }
  });
  // Constants next: enum starts and struct lengths may use them.
  const consts = new Map<number, ConstDef>();
  defs.forEach((d, i) => {
    if (d.type === 'const') consts.set(i, resolveConst(ctx, d, `${base}/${i}`));
  });
  const structs = new StructLayouts(ctx, defs);
  return defs.map((d, i) => {
    const at = `${base}/${i}`;
    switch (d.type) {
      case 'const':
        return consts.get(i)!;
      case 'enum':
      case 'flags':
        return resolveEnum(ctx, d, at);
      case 'struct':
        return structs.get(d.name)!;
    }
  });
}

function resolveConst(ctx: ResolveContext, d: YDefinition, at: string): ConstDef {
  let value: ConstDef['value'];
  if (d.value === undefined) {
    ctx.error(at, `constant "${d.name}" needs a value`);
    value = 0;
  } else if (typeof d.value === 'number') {
    value = d.value;
  } else {
    value = d.value;
  }
  if (typeof value === 'number') {
    // Specs refer to a constant by its name or by its prefixed (C) name, e.g. `wg-key-len` for
    // `key-len` with name-prefix `wg-`.
    for (const alias of [d.name, d['name-prefix'] !== undefined ? d['name-prefix'] + d.name : undefined]) {
      if (alias !== undefined && !ctx.numericConsts.has(alias)) ctx.numericConsts.set(alias, BigInt(value));
    }
  }
  return {
    kind: 'const',
    name: d.name,
    value,
    ...opt('doc', d.doc),
    ...opt('header', d.header),
    ...opt('namePrefix', d['name-prefix']),
    pos: ctx.pos(at),
  };
}

function resolveEnum(ctx: ResolveContext, d: YDefinition, at: string): EnumDef {
  const isFlags = d.type === 'flags';
  if (!d.entries) ctx.error(at, `${d.type} "${d.name}" needs entries`, false);
  const start = d['value-start'] === undefined ? 0n : ctx.evaluate(d['value-start'], `${at}/value-start`, 'value-start') ?? 0n;
  const entries: EnumEntry[] = [];
  const names = new Set<string>();
  let next = start;
  let mask = 0n;
  (d.entries ?? []).forEach((e, j) => {
    const name = typeof e === 'string' ? e : e.name;
    const explicit = typeof e === 'string' ? undefined : e.value;
    const n = explicit === undefined ? next : BigInt(explicit);
    next = n + 1n;
    if (names.has(name)) ctx.error(`${at}/entries/${j}`, `duplicate entry "${name}" in ${d.type} "${d.name}"`);
    names.add(name);
    if (isFlags && (n < 0n || n > 63n)) {
      ctx.error(`${at}/entries/${j}`, `flag "${name}" has bit position ${n}; must be 0..63`);
    }
    const bits = isFlags && n >= 0n && n <= 63n ? 1n << n : 0n;
    mask |= bits;
    const value = toNum(isFlags ? bits : n);
    entries.push({ name, value, ...opt('doc', typeof e === 'string' ? undefined : e.doc) });
  });
  if (isFlags && !ctx.flagsMasks.has(d.name)) ctx.flagsMasks.set(d.name, mask);
  return {
    kind: isFlags ? 'flags' : 'enum',
    name: d.name,
    ...opt('doc', d.doc),
    ...opt('header', d.header),
    ...opt('namePrefix', d['name-prefix']),
    ...(d['enum-name'] !== undefined ? { enumName: d['enum-name'] ?? '' } : {}),
    entries,
    pos: ctx.pos(at),
  };
}

// Lays out structs on demand so members may name structs defined later, and detects cycles.
class StructLayouts {
  private readonly done = new Map<string, StructDef>();
  private readonly inProgress: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly ctx: ResolveContext,
    private readonly defs: YDefinition[],
  ) {
    defs.forEach((d, i) => {
      if (d.type === 'struct' && !this.index.has(d.name)) this.index.set(d.name, i);
    });
  }

  /** The laid-out struct, or undefined for an unknown or cyclic one (errors already reported). */
  get(name: string): StructDef | undefined {
    const cached = this.done.get(name);
    if (cached) return cached;
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    if (this.inProgress.includes(name)) return undefined;
    this.inProgress.push(name);
    const s = this.layout(this.defs[i], `/definitions/${i}`);
    this.inProgress.pop();
    this.done.set(name, s);
    return s;
  }

  private layout(d: YDefinition, at: string): StructDef {
    const ctx = this.ctx;
    let offset = 0;
    let structAlign = 1;
    const members: StructMember[] = [];
    const seen = new Set<string>();
    (d.members ?? []).forEach((m, j) => {
      const mat = `${at}/members/${j}`;
      if (seen.has(m.name) && m.type !== 'pad') ctx.error(`${mat}/name`, `duplicate member "${m.name}" in struct "${d.name}"`);
      seen.add(m.name);
      let size = 0;
      if (m.type in intSize) {
        size = intSize[m.type];
        if (m.len !== undefined) ctx.error(`${mat}/len`, `member "${m.name}" of type ${m.type} has a fixed size; remove len`);
      } else if (m.struct !== undefined) {
        size = this.memberStruct(m.struct, `${mat}/struct`, d.name);
        if (m.len !== undefined) {
          const n = ctx.evaluate(m.len, `${mat}/len`, 'len');
          if (n !== undefined && Number(n) !== size) {
            ctx.error(`${mat}/len`, `len ${n} differs from the size ${size} of struct "${m.struct}"`);
          }
        }
      } else if (m.len !== undefined) {
        const n = ctx.evaluate(m.len, `${mat}/len`, 'len');
        if (n !== undefined && n < 0n) ctx.error(`${mat}/len`, `len evaluates to ${n}; must not be negative`);
        else if (n !== undefined) size = Number(n);
      } else {
        ctx.error(mat, `member "${m.name}" of type ${m.type} needs a len`);
      }
      if (m.struct !== undefined && m.type !== 'binary') {
        ctx.error(`${mat}/struct`, `only binary members can hold a struct, not ${m.type}`);
      }
      if (m.enum !== undefined) checkEnumRef(ctx, m.enum, `${mat}/enum`);
      // Natural alignment, as the C compiler places the member in the uapi struct.
      const align = m.type in intSize ? intSize[m.type] : m.struct !== undefined ? (this.get(m.struct)?.align ?? 1) : 1;
      structAlign = Math.max(structAlign, align);
      offset = Math.ceil(offset / align) * align;
      members.push({
        name: m.name,
        type: m.type as IntType | 'binary' | 'string' | 'pad',
        offset,
        size,
        ...opt('byteOrder', m['byte-order'] as ByteOrder | undefined),
        ...opt('doc', m.doc),
        ...opt('enum', m.enum),
        ...opt('enumAsFlags', m['enum-as-flags']),
        ...opt('struct', m.struct),
        ...opt('displayHint', m['display-hint'] as DisplayHint | undefined),
      });
      offset += size;
    });
    return {
      kind: 'struct',
      name: d.name,
      ...opt('doc', d.doc),
      ...opt('header', d.header),
      members,
      size: Math.ceil(offset / structAlign) * structAlign,
      align: structAlign,
      pos: ctx.pos(at),
    };
  }

  private memberStruct(name: string, pointer: string, owner: string): number {
    if (!this.index.has(name)) {
      this.ctx.error(pointer, `unknown struct "${name}"${kindHint(this.ctx, name)}`);
      return 0;
    }
    if (this.inProgress.includes(name)) {
      const cycle = [...this.inProgress.slice(this.inProgress.indexOf(name)), name].join(' → ');
      this.ctx.error(pointer, `struct "${owner}" contains itself (${cycle}); its size would be infinite`);
      return 0;
    }
    return this.get(name)?.size ?? 0;
  }
}

/** Reports a reference to an enum/flags definition that does not exist. */
export function checkEnumRef(ctx: ResolveContext, name: string, pointer: string): void {
  const kind = ctx.definitionKinds.get(name);
  if (kind === 'enum' || kind === 'flags') return;
  ctx.error(pointer, `unknown enum "${name}"${kindHint(ctx, name)}`);
}

/** Reports a reference to a struct definition that does not exist. */
export function checkStructRef(ctx: ResolveContext, name: string, pointer: string): boolean {
  if (ctx.definitionKinds.get(name) === 'struct') return true;
  ctx.error(pointer, `unknown struct "${name}"${kindHint(ctx, name)}`);
  return false;
}

function kindHint(ctx: ResolveContext, name: string): string {
  const kind = ctx.definitionKinds.get(name);
  return kind ? ` ("${name}" is a ${kind} definition)` : '';
}

/** `{ key: value }` when value is defined, else `{}` — keeps optional model fields absent, not undefined. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
