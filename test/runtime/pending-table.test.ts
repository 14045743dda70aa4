// The socket's table of requests awaiting replies, held to a plain Map driven by the same random operations.
import { describe, expect, test } from 'vitest';
import { PendingTable } from '../../runtime/socket/pending-table.js';

interface Entry {
  seq: number;
  id: number;
}

describe('PendingTable', () => {
  test('entries whose slots collide (seq 1024 apart) are all found, removed and listed', () => {
    const t = new PendingTable<Entry>();
    const a = { seq: 5, id: 1 };
    const b = { seq: 5 + 1024, id: 2 };
    const c = { seq: 5 + 4096, id: 3 };
    t.add(a);
    t.add(b);
    t.add(c);
    expect(t.size).toBe(3);
    expect([t.get(5), t.get(1029), t.get(4101), t.get(2053)]).toEqual([a, b, c, undefined]);
    expect(t.delete(5)).toBe(true);
    expect(t.delete(5)).toBe(false);
    expect(t.get(1029)).toBe(b);
    // The slot is free again, while b still lives in the overflow.
    const d = { seq: 5 + 2048, id: 4 };
    t.add(d);
    expect(t.get(2053)).toBe(d);
    expect(t.values().map((e) => e.id).sort()).toEqual([2, 3, 4]);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.get(1029)).toBeUndefined();
  });

  test('random adds and deletes agree with a Map', () => {
    const t = new PendingTable<Entry>();
    const m = new Map<number, Entry>();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let next = 0xfffff000; // runs past 2^32 - 1 like the socket's counter
    for (let i = 0; i < 20000; i++) {
      if (rand(3) > 0 || m.size === 0) {
        // Mostly consecutive numbers, sometimes a jump, never one in use (as the socket hands them out).
        next = (next + 1 + (rand(10) === 0 ? rand(5000) : 0)) >>> 0;
        if (m.has(next)) continue;
        const e = { seq: next, id: i };
        t.add(e);
        m.set(next, e);
      } else {
        const keys = [...m.keys()];
        const k = rand(4) === 0 ? rand(1 << 30) : keys[rand(keys.length)]!;
        expect(t.delete(k)).toBe(m.delete(k));
      }
      expect(t.size).toBe(m.size);
      const probe = rand(2) === 0 ? next : (next - rand(3000)) >>> 0;
      expect(t.get(probe)).toBe(m.get(probe));
      expect(t.has(probe)).toBe(m.has(probe));
    }
    expect(t.values().sort((x, y) => x.id - y.id)).toEqual([...m.values()].sort((x, y) => x.id - y.id));
  });
});
