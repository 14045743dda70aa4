// Shared state of one resolution: the spec, the errors found so far, and lookups by name.
import type { SpecError } from './diagnostics.js';
import type { SpecDocument } from './load.js';
import type { Num } from './model.js';
import type { YSpec } from './resolve-input.js';

/** Converts a bigint to a plain number when that is exact. */
export function toNum(v: bigint): Num {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** `u8-max`, `s32-min`, ...: the limits of each fixed-width type. */
export function typeLimit(name: string): bigint | undefined {
  const m = /^([su])(8|16|32|64)-(min|max)$/.exec(name);
  if (!m) return undefined;
  const bits = BigInt(m[2]);
  if (m[1] === 'u') return m[3] === 'min' ? 0n : (1n << bits) - 1n;
  return m[3] === 'min' ? -(1n << (bits - 1n)) : (1n << (bits - 1n)) - 1n;
}

/** Byte size of each fixed-width integer type. */
export const intSize: Readonly<Record<string, number>> = {
  u8: 1,
  s8: 1,
  u16: 2,
  s16: 2,
  u32: 4,
  s32: 4,
  u64: 8,
  s64: 8,
};

/** State carried through one resolution. */
export class ResolveContext {
  readonly errors: SpecError[] = [];
  /** Problems the kernel's own tools tolerate (e.g. an exact duplicate); reported, not fatal. */
  readonly warnings: SpecError[] = [];
  /** Numeric constants by name (string constants are not usable in arithmetic). */
  readonly numericConsts = new Map<string, bigint>();
  /** Every definition name and its kind. */
  readonly definitionKinds = new Map<string, 'const' | 'enum' | 'flags' | 'struct'>();
  /** Each flags definition's mask (all its bits), for `checks: flags-mask`. */
  readonly flagsMasks = new Map<string, bigint>();

  constructor(
    readonly doc: SpecDocument,
    readonly spec: YSpec,
  ) {}

  /** Records an error at a JSON pointer (at the key itself with `key: true`). */
  error(pointer: string, message: string, key = false): void {
    this.errors.push(this.doc.error(pointer, message, { key }));
  }

  /** Records a warning at a JSON pointer. */
  warn(pointer: string, message: string): void {
    this.warnings.push(this.doc.error(pointer, message));
  }

  /** Source position of the value at `pointer`. */
  pos(pointer: string): { file: string; line: number; col: number } {
    const { line, col } = this.doc.locate(pointer);
    return { file: this.doc.file, line, col };
  }

  /**
   * Evaluates a number, constant name, type limit or `a - b`/`a + b` sum (as written in `len` and
   * `checks`). Reports unknown names at `pointer` and returns undefined then.
   */
  evaluate(expr: number | string, pointer: string, what: string): bigint | undefined {
    if (typeof expr === 'number') return BigInt(expr);
    const parts = expr.trim().split(/ ([-+]) /);
    let total = 0n;
    let sign = 1n;
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 1) {
        sign = parts[i] === '-' ? -1n : 1n;
        continue;
      }
      const v = this.term(parts[i]);
      if (v === undefined) {
        ok = false;
        const known = this.definitionKinds.get(parts[i]);
        this.error(
          pointer,
          known
            ? `${what}: "${parts[i]}" is a ${known} definition, not a numeric constant`
            : `${what}: unknown constant "${parts[i]}"`,
        );
        continue;
      }
      total += sign * v;
    }
    return ok ? total : undefined;
  }

  private term(t: string): bigint | undefined {
    if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) return BigInt(t);
    return typeLimit(t) ?? this.numericConsts.get(t);
  }
}
