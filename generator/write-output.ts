// Writing generated modules: atomic replace, removal of stale generated files, and the drift check.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_MARK } from './print-module.js';

/** File name → content of everything one run produces. */
export type OutputFiles = Map<string, string>;

/** `.<module>.<pid>.tmp`: the temp file `writeOutput` renames over a module. */
const TEMP_NAME = /^\..+\.ts\.(\d+)\.tmp$/;

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

/**
 * Writes every file through a temp file + rename (an interrupted run leaves each module either old or new, never
 * half-written), then deletes generated `.ts` files no spec produces any more. Hand-written files are never touched.
 */
export function writeOutput(dir: string, files: OutputFiles): { written: string[]; removed: string[] } {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of files) {
    const target = join(dir, name);
    if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, target);
    written.push(name);
  }
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const leftover = TEMP_NAME.exec(name);
    // A temp file of a run that was killed before its rename: ours by name, and its writer is gone.
    if (leftover && !processAlive(Number(leftover[1]))) {
      rmSync(join(dir, name), { force: true });
      continue;
    }
    if (!name.endsWith('.ts') || files.has(name)) continue;
    if (isGenerated(join(dir, name))) {
      rmSync(join(dir, name));
      removed.push(name);
    }
  }
  return { written, removed };
}

/** Differences between `dir` and what the specs produce: changed, missing and extra generated files. */
export function checkOutput(dir: string, files: OutputFiles): string[] {
  const problems: string[] = [];
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
