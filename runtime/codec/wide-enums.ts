// Enums and flags carried in 64-bit attributes (u64/s64/uint/sint): the same presentation as narrower ones — names,
// arrays of names — with bigint where a number would be (64-bit values are bigint everywhere in generated code).
import { describeValue, ValidationError } from './codec-support.js';

const U64 = (1n << 64n) - 1n;

/** Name of a 64-bit enum value, or the value itself when the spec does not know it. */
export function enumName64<N extends string>(byValue: ReadonlyMap<bigint, N>, value: bigint): N | bigint {
  return byValue.get(value) ?? value;
}

/** Value of a 64-bit enum given by name, or by number/bigint (passed through). */
export function enumValue64(byName: ReadonlyMap<string, number | bigint>, name: string | number | bigint, path: string): bigint {
  if (typeof name === 'bigint') return name;
  if (typeof name === 'number') {
    if (!Number.isSafeInteger(name)) throw new ValidationError(path, `${name} is not a safe integer; pass a bigint`);
    return BigInt(name);
  }
  const v = byName.get(name);
  if (v === undefined) throw new ValidationError(path, `${typeof name === 'string' ? `unknown name ${JSON.stringify(name)}` : `expected a name or a number, got ${describeValue(name)}`}; expected one of ${[...byName.keys()].join(', ')}`);
  return BigInt(v);
}

/** A 64-bit mask as the names of its known bits (table order), then each unknown bit as its own bigint, low to high. */
export function flagNames64<N extends string>(bits: readonly (readonly [N, bigint])[], value: bigint): (N | bigint)[] {
  const out: (N | bigint)[] = [];
  let rest = value & U64;
  for (const [name, mask] of bits) {
    if ((rest & mask) !== 0n) {
      out.push(name);
      rest &= ~mask;
    }
  }
  for (let bit = 1n; rest !== 0n; bit <<= 1n) {
    if ((rest & bit) !== 0n) {
      out.push(bit);
      rest &= ~bit;
    }
  }
  return out;
}

/** Flag names (and raw bits as bigint or number) back to a 64-bit mask. */
export function flagValue64(byName: ReadonlyMap<string, bigint>, flags: readonly (string | number | bigint)[], path: string): bigint {
  if (!Array.isArray(flags)) throw new ValidationError(path, 'expected an array of flag names');
  let v = 0n;
  for (const f of flags) {
    if (typeof f === 'string') {
      const m = byName.get(f);
      if (m === undefined) throw new ValidationError(path, `${typeof f === 'string' ? `unknown flag ${JSON.stringify(f)}` : `expected a flag name or a number, got ${describeValue(f)}`}; expected one of ${[...byName.keys()].join(', ')}`);
      v |= m;
    } else v |= enumValue64(byName, f, path);
  }
  return v;
}
