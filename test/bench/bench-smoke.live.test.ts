// The benchmark's in-process sections run at a tiny size and give rows with finite, positive numbers; the table
// helpers judge targets the way the README table reads them. No timing is asserted: speed belongs to `npm run bench`.
import { describe, expect, test } from 'vitest';
import { formatTable, meetsTarget, median, type BenchRow } from '../../bench/lib/report.js';
import { routeSpec, ROUTES_PER_TABLE } from '../../bench/lib/netns.js';
import { parseOnly, runSuite, SECTIONS } from '../../bench/suite.js';
import { liveSkipReason } from '../support/netns.js';

describe('bench helpers', () => {
  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  test('targets: at most, at least, below', () => {
    const row = (ratio: number | undefined, target: BenchRow['target'], value = 1): BenchRow => ({ section: 's', name: 'n', value, unit: 'ms', ratio, target });
    expect(meetsTarget(row(1.3, { max: 1.3 }))).toBe(true);
    expect(meetsTarget(row(1.31, { max: 1.3 }))).toBe(false);
    expect(meetsTarget(row(49, { min: 50 }))).toBe(false);
    expect(meetsTarget(row(51, { min: 50 }))).toBe(true);
    expect(meetsTarget(row(undefined, { below: 150 }, 149))).toBe(true);
    expect(meetsTarget(row(undefined, { below: 150 }, 150))).toBe(false);
    expect(meetsTarget(row(Number.NaN, { max: 2 }))).toBe(false);
    expect(meetsTarget(row(1, undefined))).toBeUndefined();
    const table = formatTable([row(2, { max: 1.5 })], [{ section: 'gen', what: 'corpus', why: 'absent' }]);
    expect(table).toContain('| 2.00× | ≤ 1.5× ✗ |');
    expect(table).toContain('- corpus [gen]: absent');
  });

  test('--only parsing', () => {
    expect([...parseOnly(undefined)]).toEqual([...SECTIONS]);
    expect([...parseOnly('dump,peers')].sort()).toEqual(['dump', 'npm-netlink', 'pyroute2']);
    expect(() => parseOnly('dump,nope')).toThrow(/unknown section "nope"/);
  });

  test('route i maps to distinct (table, prefix) pairs; past one table the prefixes repeat in the next', () => {
    expect(routeSpec(0)).toEqual({ dst: '198.18.0.0', table: 254 });
    expect(routeSpec(65_536 + 258)).toEqual({ dst: '198.19.1.2', table: 254 });
    expect(routeSpec(ROUTES_PER_TABLE)).toEqual({ dst: '198.18.0.0', table: 1001 });
    const seen = new Set<string>();
    for (let i = 0; i < 2 * ROUTES_PER_TABLE; i += 997) {
      const { dst, table } = routeSpec(i);
      seen.add(`${table} ${dst}`);
    }
    expect(seen.size).toBe(Math.ceil((2 * ROUTES_PER_TABLE) / 997));
  });
});

const skip = liveSkipReason();

describe.skipIf(skip !== undefined)('bench sections at tiny size, live', () => {
  test('dump, round trip and adds at 1,000 routes give finite ratios', async () => {
    const lines: string[] = [];
    const r = await runSuite({ routes: 1000, runs: 2, only: parseOnly('dump,rt,adds,cli'), log: (s) => lines.push(s) });
    const bySection = (s: string) => r.rows.filter((x) => x.section === s);
    expect(bySection('dump').map((x) => x.name)).toEqual([
      'blocking recv loop, count only (floor)',
      'runtime dump, count only',
      'runtime dump, full attribute walk',
      'typed dump through the generated rt-route client',
      '`ip -4 -j route show table all` (whole process, output discarded)',
    ]);
    expect(bySection('rt')).toHaveLength(5);
    expect(bySection('adds')).toHaveLength(2);
    // The nlgen command's rows: its dump against ip -j, and start-up (Node alone has no ratio).
    expect(bySection('cli').map((x) => x.ratio === undefined)).toEqual([false, false, true, false, false]);
    for (const row of r.rows) {
      expect(Number.isFinite(row.value) && row.value > 0, row.name).toBe(true);
      if (row.section !== 'cli' || row.ratio !== undefined) expect(Number.isFinite(row.ratio) && row.ratio! > 0, row.name).toBe(true);
    }
    expect(r.rows.find((x) => x.section === 'dump')!.note).toBe('1,000 routes');
    // Sections not asked for are listed as skipped, with the reason.
    expect(r.skipped.map((s) => s.section).sort()).toEqual(['gen', 'json', 'npm-netlink', 'pyroute2', 'rss']);
    expect(lines).toContain('bench: cli…');
    expect(r.skipped.every((s) => s.why === 'not selected (--only)')).toBe(true);
    expect(r.machine.cpus).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('adding 1,000 routes'))).toBe(true);
  });
});
