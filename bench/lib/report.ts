// Rows, statistics and formatting shared by every benchmark section.
import { cpus, loadavg, release } from 'node:os';
import { readFileSync } from 'node:fs';

/** One line of the benchmark table: a median and its ratio to a baseline measured in the same run. */
export interface BenchRow {
  /** Which section produced it (`dump`, `json`, …; the `--only` key). */
  section: string;
  name: string;
  /** Median over runs. */
  value: number;
  unit: 'ms' | 'µs/op' | 'MB' | 's';
  /** Ratio to `baseline` (a median of per-run ratios where the runs were interleaved). */
  ratio?: number;
  /** What the ratio divides by. */
  baseline?: string;
  /** The goal: `ratio <= max`, `ratio >= min`, or `value < below`. */
  target?: { max?: number; min?: number; below?: number };
  /** Anything a reader must know to read the number right (route count, where it was measured). */
  note?: string;
}

/** A measurement that was not taken, and why. */
export interface Skipped {
  section: string;
  what: string;
  why: string;
}

/** The machine the numbers were taken on. */
export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  kernel: string;
  node: string;
  /** 1-minute load average when the run ended: other work on a shared machine slows every variant alike, but a
   * reader should know it was there. */
  load1: number;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Monotonic milliseconds. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Describes this machine from the OS and /proc/cpuinfo. */
export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // keep os.cpus()'s name
  }
  return { date: new Date().toISOString(), cpus: cpus().length, cpuModel, kernel: release(), node: process.version, load1: loadavg()[0]! };
}

/** Whether a row meets its target (undefined when it has none). */
export function meetsTarget(r: BenchRow): boolean | undefined {
  const t = r.target;
  if (!t) return undefined;
  if (t.below !== undefined) return r.value < t.below;
  if (r.ratio === undefined || !Number.isFinite(r.ratio)) return false;
  if (t.max !== undefined && r.ratio > t.max) return false;
  if (t.min !== undefined && r.ratio < t.min) return false;
  return true;
}

function formatValue(r: BenchRow): string {
  switch (r.unit) {
    case 'ms':
      return r.value >= 100 ? `${r.value.toFixed(0)} ms` : `${r.value.toFixed(1)} ms`;
    case 'µs/op':
      return `${r.value.toFixed(2)} µs/op`;
    case 'MB':
      return `${r.value.toFixed(1)} MB`;
    case 's':
      return `${r.value.toFixed(2)} s`;
  }
}

function formatTarget(r: BenchRow): string {
  const t = r.target;
  if (!t) return '';
  const goal = t.below !== undefined ? `< ${t.below} ${r.unit}` : t.max !== undefined ? `≤ ${t.max}×` : `≥ ${t.min}×`;
  return `${goal} ${meetsTarget(r) ? '✓' : '✗'}`;
}

/** The rows as one Markdown table, followed by what was skipped. */
export function formatTable(rows: readonly BenchRow[], skipped: readonly Skipped[]): string {
  const out = ['| measurement | median | ratio | target |', '|---|---:|---:|---:|'];
  for (const r of rows) {
    const name = r.note ? `${r.name} (${r.note})` : r.name;
    const ratio = r.ratio === undefined ? '' : `${r.ratio >= 100 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}× ${r.baseline ?? ''}`.trim();
    out.push(`| ${name} | ${formatValue(r)} | ${ratio} | ${formatTarget(r)} |`);
  }
  if (skipped.length > 0) {
    out.push('', 'Skipped:');
    for (const s of skipped) out.push(`- ${s.what === s.section ? s.what : `${s.what} [${s.section}]`}: ${s.why}`);
  }
  return out.join('\n');
}

/** One line naming the machine and the date. */
export function formatMachine(m: MachineInfo): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpus} × ${m.cpuModel} · Linux ${m.kernel} · Node ${m.node} · load average ${m.load1.toFixed(1)}`;
}
