// Writing generated modules: one generation is all or nothing for the output folder as a whole, stale generated files
// are removed, hand-written files are never touched, and `--check` reports drift.
//
// How a generation commits: (1) every new or changed module is written to a temp file in the folder; (2) a journal
// naming every rename and removal is put in place with one atomic rename — the commit point; (3) the renames and
// removals are carried out; (4) the journal is removed. A run killed before (2) leaves every module as it was (its temp
// files are removed by the next run); a run killed after (2) is completed by the next run, or reported by `--check`.
// Either way no two generations are ever left mixed once nlgen has run again.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_MARK } from './print-module.js';

/** File name → content of everything one run produces. */
export type OutputFiles = Map<string, string>;

/** `.<module>.<pid>.tmp`: a module's new text before its rename. */
const TEMP_NAME = /^\..+\.ts\.(\d+)\.tmp$/;
/** The journal of a committed generation; its presence means the renames it lists are still to be done. */
export const JOURNAL = '.nlgen-commit.json';

interface Journal {
  pid: number;
  /** Temp file → module file. */
  renames: [string, string][];
  /** Stale generated modules to remove. */
  removals: string[];
}

/** A file-system failure while writing output: one line for the user, exit code 1. */
export class OutputError extends Error {
  override name = 'OutputError';
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isGenerated(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').startsWith(GENERATED_MARK);
  } catch {
    return false;
  }
}

/** Writes `text` to `path` and flushes it to disk (a journal must not point at files the kernel has not written). */
function writeDurable(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    const b = Buffer.from(text);
    for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Carries out a journal's renames and removals (each is done at most once; done ones are skipped). */
function applyJournal(dir: string, j: Journal): void {
  for (const [tmp, name] of j.renames) if (existsSync(join(dir, tmp))) renameSync(join(dir, tmp), join(dir, name));
  for (const name of j.removals) rmSync(join(dir, name), { force: true });
  rmSync(join(dir, JOURNAL), { force: true });
}

function readJournal(dir: string): Journal | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, JOURNAL), 'utf8')) as Journal;
  } catch {
    return undefined;
  }
}

/**
 * Finishes what a killed run left: completes a committed generation (its journal) and removes temp files of runs that
 * never committed. Returns what it did, for the user to see.
 */
export function recoverOutput(dir: string): string[] {
  const notes: string[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return notes;
  const j = readJournal(dir);
  if (j && !processAlive(j.pid)) {
    applyJournal(dir, j);
    notes.push(`completed an interrupted generation (pid ${j.pid}) in ${dir}`);
  }
  for (const name of readdirSync(dir)) {
    const m = TEMP_NAME.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
  return notes;
}

/**
 * Writes every changed module and removes generated `.ts` files no spec produces any more, all or nothing (see the
 * top of this file). Hand-written files are never touched. File-system failures become an OutputError with one clear
 * line, and leave no temp file behind.
 */
export function writeOutput(dir: string, files: OutputFiles): { written: string[]; removed: string[] } {
  const created: string[] = [];
  try {
    prepareDir(dir);
    recoverOutput(dir);
    const renames: [string, string][] = [];
    for (const [name, text] of files) {
      const target = join(dir, name);
      if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
      const tmp = `.${name}.${process.pid}.tmp`;
      created.push(join(dir, tmp));
      writeDurable(join(dir, tmp), text);
      renames.push([tmp, name]);
    }
    const removals: string[] = [];
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.ts') && !files.has(name) && isGenerated(join(dir, name))) removals.push(name);
    }
    if (renames.length > 0 || removals.length > 0) {
      const journal: Journal = { pid: process.pid, renames, removals };
      const jtmp = `${JOURNAL}.${process.pid}.tmp`;
      created.push(join(dir, jtmp));
      writeDurable(join(dir, jtmp), JSON.stringify(journal));
      renameSync(join(dir, jtmp), join(dir, JOURNAL)); // the commit point
      created.length = 0; // from here on the journal owns the temp files: a later run completes them
      applyJournal(dir, journal);
    }
    return { written: renames.map(([, n]) => n), removed: removals };
  } catch (e) {
    for (const f of created) rmSync(f, { force: true });
    if (e instanceof OutputError) throw e;
    throw new OutputError(describeIoError(e, dir));
  }
}

/** Creates the output folder, or says in one line why it cannot be one. */
function prepareDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!st.isDirectory()) throw new OutputError(`cannot write to ${dir}: it is ${st.isFile() ? 'a file, not a folder' : 'not a folder'}`);
}

/** One line for a file-system error while writing `dir`. */
function describeIoError(e: unknown, dir: string): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'a file is in the way',
    ENAMETOOLONG: 'a file name is too long',
    EIO: 'an I/O error',
  };
  const reason = (err.code && why[err.code]) ?? err.message ?? String(e);
  return `cannot write to ${dir}: ${reason}${err.code ? ` (${err.code}${err.path ? `, ${err.path}` : ''})` : ''}`;
}

/** Differences between `dir` and what the specs produce: changed, missing and extra generated files. */
export function checkOutput(dir: string, files: OutputFiles): string[] {
  const problems: string[] = [];
  if (existsSync(join(dir, JOURNAL))) problems.push(`interrupted: ${join(dir, JOURNAL)} (a generation was killed after it committed; any nlgen run completes it)`);
  for (const [name, text] of files) {
    const target = join(dir, name);
    if (!existsSync(target)) {
      problems.push(`missing: ${join(dir, name)}`);
      continue;
    }
    const have = readFileSync(target, 'utf8');
    if (have !== text) problems.push(`differs: ${join(dir, name)}\n${shortDiff(have, text)}`);
  }
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.ts') && !files.has(name) && isGenerated(join(dir, name))) problems.push(`extra: ${join(dir, name)} (no spec produces it)`);
    }
  }
  return problems;
}

/** The first differing line, with its neighbours, as a short unified-style excerpt. */
function shortDiff(have: string, want: string): string {
  const a = have.split('\n');
  const b = want.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const out: string[] = [`  @@ line ${i + 1} @@`];
  for (let k = i; k < Math.min(i + 3, a.length); k++) out.push(`  - ${a[k]}`);
  for (let k = i; k < Math.min(i + 3, b.length); k++) out.push(`  + ${b[k]}`);
  return out.join('\n');
}
