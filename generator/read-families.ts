// Reading many spec files at once (files and folders), collecting every error instead of stopping at the first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareSpecErrors, InvalidSpecError, type SpecError } from './diagnostics.js';
import { loadSpec } from './load.js';
import type { Family } from './model.js';
import { resolveFamily } from './resolve.js';

/** Expands folders to their `*.yaml` / `*.yml` files (sorted); files are kept as given. */
export function specPaths(paths: readonly string[]): { files: string[]; errors: SpecError[] } {
  const files: string[] = [];
  const errors: SpecError[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      errors.push({ file: p, line: 0, col: 0, message: 'no such file or folder', pointer: '' });
      continue;
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    const found = readdirSync(p)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(p, f));
    if (found.length === 0) errors.push({ file: p, line: 0, col: 0, message: 'folder holds no .yaml or .yml spec files', pointer: '' });
    files.push(...found);
  }
  return { files, errors };
}

/**
 * Loads, validates and resolves every spec in `paths` (files, or folders of `*.yaml`/`*.yml`). Returns the
 * families that resolved and ALL errors across all files (sorted by file and position); never throws
 * for bad input. Duplicate family names across files are errors too. `warnings` lists problems the
 * kernel's own tools tolerate (the affected entries are left out of the model).
 */
export function readFamilies(paths: readonly string[]): { families: Family[]; errors: SpecError[]; warnings: SpecError[] } {
  const { files, errors } = specPaths(paths);
  const warnings: SpecError[] = [];
  const families: Family[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    try {
      const family = resolveFamily(loadSpec(file), { warnings });
      const other = seen.get(family.name);
      if (other !== undefined) {
        errors.push({ file, line: 1, col: 1, message: `family "${family.name}" is also defined in ${other}`, pointer: '/name' });
        continue;
      }
      seen.set(family.name, file);
      families.push(family);
    } catch (e) {
      if (e instanceof InvalidSpecError) errors.push(...e.errors);
      else errors.push({ file, line: 0, col: 0, message: `internal error: ${(e as Error)?.message ?? String(e)}`, pointer: '' });
    }
  }
  return { families, errors: errors.sort(compareSpecErrors), warnings: warnings.sort(compareSpecErrors) };
}
