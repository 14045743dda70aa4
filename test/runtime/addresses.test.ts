// Address text the generated decoders produce (display hints ipv4/ipv6): hand-written expectations, including the
// byte values at the edges of the lookup tables the IPv4 path uses.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DecodeError, generatedSupport as rt, ValidationError } from '@nlgen/runtime';

describe('IPv4 text', () => {
  test('documentation addresses and edge octets', () => {
    const b = Uint8Array.of(9, 192, 0, 2, 1, 0, 0, 0, 0, 255, 255, 255, 255, 198, 51, 100, 7);
    expect(rt.ipv4String(b, 1, 5)).toBe('192.0.2.1');
    expect(rt.ipv4String(b, 5, 9)).toBe('0.0.0.0');
    expect(rt.ipv4String(b, 9, 13)).toBe('255.255.255.255');
    expect(rt.ipv4String(b, 13, 17)).toBe('198.51.100.7');
    expect(rt.ipv4FromU32(0xcb007105)).toBe('203.0.113.5');
    expect(rt.ipv4FromU32(0)).toBe('0.0.0.0');
    expect(rt.ipv4FromU32(0xffffffff)).toBe('255.255.255.255');
  });

  test('a payload that is not 4 bytes is a DecodeError', () => {
    const b = Uint8Array.of(192, 0, 2, 1, 0);
    expect(() => rt.ipv4String(b, 0, 3)).toThrow(DecodeError);
    expect(() => rt.ipv4String(b, 0, 5)).toThrow(DecodeError);
  });

  test('every address: bytes and u32 forms agree with the dotted quad built by hand, and parse back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const bytes = Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
        const text = [...bytes].map((x) => x.toString(10)).join('.');
        expect(rt.ipv4String(bytes, 0, 4)).toBe(text);
        expect(rt.ipv4FromU32(n)).toBe(text);
        expect([...rt.parseIpv4(text, 'x')]).toEqual([...bytes]);
      }),
      { numRuns: 2000 },
    );
  });

  test('IPv4 text that is not four dot-separated groups of 1–3 digits up to 255 is rejected', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3', '256.0.0.1', '1.2.3.1000', '0001.2.3.4', '1.2.3.4\n', ' 1.2.3.4', '1.2.3.a', '1.2.3.٣', '+1.2.3.4']) {
      expect(() => rt.parseIpv4(bad, 'x'), bad).toThrow(ValidationError);
    }
    expect(() => rt.parseIpv4(7 as unknown as string, 'x')).toThrow(ValidationError);
    expect([...rt.parseIpv4('010.0.00.255', 'x')]).toEqual([10, 0, 0, 255]);
  });

  test('runs of addresses sharing or changing their first three octets (the remembered prefix) decode each one right', () => {
    // Neighbours differ in one octet at a time, so every position changes right after a run that kept it.
    const octet = fc.integer({ min: 0, max: 255 });
    const step = fc.tuple(fc.integer({ min: 0, max: 3 }), octet);
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.array(step, { maxLength: 40 }), (first, steps) => {
        const cur = [...first];
        const seq = [[...cur]];
        for (const [pos, value] of steps) {
          cur[pos] = value;
          seq.push([...cur]);
        }
        // Also the same bytes read at another offset of another buffer.
        const buf = new Uint8Array(seq.length * 4 + 1);
        seq.forEach((a, i) => buf.set(a, 1 + i * 4));
        seq.forEach((a, i) => {
          const text = a.join('.');
          expect(rt.ipv4String(Uint8Array.from(a), 0, 4)).toBe(text);
          expect(rt.ipv4String(buf, 1 + i * 4, 5 + i * 4)).toBe(text);
        });
      }),
      { numRuns: 500 },
    );
    const b = Uint8Array.of(192, 0, 2, 1, 192, 0, 2, 200, 192, 0, 3, 200, 193, 0, 3, 200, 192, 0, 2, 1);
    expect([0, 4, 8, 12, 16].map((o) => rt.ipv4String(b, o, o + 4))).toEqual(['192.0.2.1', '192.0.2.200', '192.0.3.200', '193.0.3.200', '192.0.2.1']);
  });
});

describe('IPv6 text', () => {
  /** The WHATWG URL parser's serialisation of an IPv6 host: the same compression rule, implemented independently. */
  const viaUrl = (groups: number[]) => new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1);
  const bytesOf = (groups: number[]) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 255]));

  test('documentation addresses, zero runs, ties and the edges', () => {
    const cases: [number[], string][] = [
      [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
      [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
      [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
      [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], '2001:db8::'],
      [[0x2001, 0xdb8, 0, 1, 0, 0, 0, 1], '2001:db8:0:1::1'], // a single zero group is not compressed
      [[0x2001, 0, 0, 1, 0, 0, 1, 2], '2001::1:0:0:1:2'], // equal runs: the first one
      [[0x2001, 0, 0, 1, 0, 0, 0, 2], '2001:0:0:1::2'], // the longer run wins
      [[0xffff, 0xabcd, 0x0a0b, 0x00f0, 0x1000, 0x0100, 0x0010, 0x0001], 'ffff:abcd:a0b:f0:1000:100:10:1'],
    ];
    for (const [groups, text] of cases) {
      const b = new Uint8Array(19);
      b.set(bytesOf(groups), 3);
      expect(rt.ipv6String(b, 3, 19)).toBe(text);
      expect(rt.ipString(b, 3, 19)).toBe(text);
    }
    expect(() => rt.ipv6String(new Uint8Array(16), 0, 15)).toThrow(DecodeError);
  });

  test('any address: the text the URL parser gives, and it parses back to the same bytes', () => {
    // Groups biased towards zero so that runs, ties and edges come up often.
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const bytes = bytesOf(groups);
        const text = rt.ipv6String(bytes, 0, 16);
        expect(text).toBe(viaUrl(groups));
        expect([...rt.parseIp(text, 'x')]).toEqual([...bytes]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('hardware address text', () => {
  test('any length 0–20: two lower-case hex digits per byte, colon-separated (hand-built reference)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.integer({ min: 0, max: 5 }), (bytes, pad) => {
        const b = new Uint8Array(pad + bytes.length + 1).fill(0xee);
        b.set(bytes, pad);
        const want = [...bytes].map((x) => '0123456789abcdef'[x >> 4]! + '0123456789abcdef'[x & 15]!).join(':');
        expect(rt.macString(b, pad, pad + bytes.length)).toBe(want);
      }),
      { numRuns: 3000 },
    );
    expect(rt.macString(Uint8Array.of(0x02, 0xfc, 0x00, 0x0a, 0xff, 0x01), 0, 6)).toBe('02:fc:00:0a:ff:01');
  });
});
