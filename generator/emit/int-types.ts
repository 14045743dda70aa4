// Facts about the spec's integer types that several emitters need: ranges, sizes, typed arrays, literals.

/** Smallest and largest value of each integer type, as TypeScript literals (bigint ones for 64-bit types). */
export const INT_RANGE: Record<string, [string, string]> = {
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

/** Bytes of each fixed-size integer type. */
export const INT_SIZE: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8 };

/** The typed array a binary attribute with this `sub-type` decodes into. */
export const TYPED_ARRAY: Record<string, string> = {
  u8: 'Uint8Array',
  u16: 'Uint16Array',
  u32: 'Uint32Array',
  u64: 'BigUint64Array',
  s8: 'Int8Array',
  s16: 'Int16Array',
  s32: 'Int32Array',
  s64: 'BigInt64Array',
};

/** Whether values of the type are bigint in TypeScript. */
export const is64 = (t: string): boolean => t === 'u64' || t === 's64' || t === 'uint' || t === 'sint';

/** Whether the type is an integer type. */
export const isInt = (t: string): boolean => t in INT_RANGE;

/** A number as a TypeScript literal: bigint (`5n`) when `big`, else a plain number when it is exact. */
export function numLit(v: number | bigint, big: boolean): string {
  if (big) return `${BigInt(v)}n`;
  return typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? String(Number(v)) : `${v}`) : String(v);
}

/** `n` rounded up to a multiple of 4 (netlink alignment). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}
