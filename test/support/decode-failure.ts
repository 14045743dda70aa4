// What a decoder threw: the DecodeError's reason and offset, for comparing with values derived by hand.
import { expect } from 'vitest';
import { DecodeError } from '../../runtime/wire/attrs.js';

/** Runs `f`, which must throw a DecodeError; returns its reason and offset (fails the test otherwise). */
export function decodeFailure(f: () => unknown): { reason: string; offset: number } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return { reason: (e as DecodeError).reason, offset: (e as DecodeError).offset };
  }
  throw new Error('decoded without an error');
}
