// Reading many spec files at once (files and folders), collecting every error instead of stopping at the first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareSpecErrors, InvalidSpecError, type SpecError } from './diagnostics.js';
import { loadSpec } from './load.js';
import type { Family } from './model.js';
import { resolveFamily } from './resolve.js';
import { camelCase, identifierName, moduleFileName } from './names.js';
import { applyOverlays, blamePatches, loadOverlays, overlaidSha256, overlayNames, type Overlay, type PatchedAt } from './apply-overlays.js';

/** Options of {@link readFamilies}. */
export interface ReadOptions {
  /** Overlay files or folders of them, applied to the spec of the family each names (see apply-overlays.ts). */
  overlays?: readonly string[];
  /** An overlay for a family none of the specs defines: an error (default), or ignored (a CLI picking one family). */
  unusedOverlays?: 'error' | 'ignore';
}

/** Longest file name (bytes) Linux file systems accept. */
const MAX_FILE_NAME_BYTES = 255;

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
    if (found.length === 0) {
      // Folders are not searched recursively; say where the specs are when they sit one level down.
      const sub = readdirSync(p, { withFileTypes: true })
        .filter((d) => d.isDirectory() && readdirSync(join(p, d.name)).some((f) => /\.ya?ml$/.test(f)))
        .map((d) => join(p, d.name))
        .sort();
      const hint = sub.length > 0 ? `; its subfolder${sub.length === 1 ? '' : 's'} ${sub.join(', ')} ${sub.length === 1 ? 'has' : 'have'} some (folders are not searched recursively: name them)` : '';
      errors.push({ file: p, line: 0, col: 0, message: `folder holds no .yaml or .yml spec files${hint}`, pointer: '' });
    }
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
export function readFamilies(paths: readonly string[], opts: ReadOptions = {}): { families: Family[]; errors: SpecError[]; warnings: SpecError[] } {
  const { files, errors } = specPaths(paths);
  const loaded = opts.overlays === undefined || opts.overlays.length === 0 ? { overlays: [], errors: [] } : loadOverlays(opts.overlays);
  errors.push(...loaded.errors);
  const usedOverlays = new Set<Overlay>();
  const warnings: SpecError[] = [];
  const families: Family[] = [];
  // Each family becomes `<file>.ts` exporting under `<ident>` in index.ts: both must be unique, the file name also
  // on case-insensitive file systems, and neither may be the index itself.
  const byName = new Map<string, { file: string; at: SpecError }>();
  const byModule = new Map<string, { name: string; at: SpecError }>();
  const byIdent = new Map<string, { name: string; at: SpecError }>();
  for (const file of files) {
    try {
      const doc = loadSpec(file);
      const specName = (doc.data as { name?: unknown } | null)?.name;
      const mine = loaded.overlays.filter((o) => o.family === specName);
      let patched: PatchedAt[] = [];
      if (mine.length > 0) {
        mine.forEach((o) => usedOverlays.add(o));
        const r = applyOverlays(doc, mine);
        if (r.errors.length > 0) {
          errors.push(...r.errors);
          continue;
        }
        patched = r.patched;
        doc.sha256 = overlaidSha256(doc, mine);
      }
      let family: Family;
      try {
        family = resolveFamily(doc, { warnings });
      } catch (e) {
        if (e instanceof InvalidSpecError && patched.length > 0) throw new InvalidSpecError(blamePatches(e.errors, patched));
        throw e;
      }
      if (mine.length > 0) family.source.overlays = overlayNames(mine);
      const at = (message: string): SpecError => doc.error('/name', message);
      const other = byName.get(family.name);
      if (other !== undefined) {
        errors.push(at(`family "${family.name}" is also defined in ${other.file}:${other.at.line}:${other.at.col}`));
        continue;
      }
      const module = moduleFileName(family);
      const ident = identifierName(family.name);
      const clash = (seen: Map<string, { name: string; at: SpecError }>, key: string, what: string): boolean => {
        const first = seen.get(key);
        if (first === undefined) return false;
        errors.push(at(`family "${family.name}" and family "${first.name}" (${first.at.file}:${first.at.line}:${first.at.col}) both become ${what}; rename one`));
        return true;
      };
      if (module.toLowerCase() === 'index') {
        errors.push(at(`family name "${family.name}" would be written as index.ts, which is the generated index module; rename the family`));
        continue;
      }
      if (Buffer.byteLength(`${module}.ts`) > MAX_FILE_NAME_BYTES) {
        errors.push(at(`family name is ${Buffer.byteLength(module)} bytes long; its module file name would exceed the ${MAX_FILE_NAME_BYTES}-byte limit of file systems`));
        continue;
      }
      if (clash(byModule, module.toLowerCase(), `the module file ${module}.ts (file names are compared ignoring case)`)) continue;
      if (clash(byIdent, ident, `\`${ident}\` in the generated index module`)) continue;
      byName.set(family.name, { file, at: at('') });
      byModule.set(module.toLowerCase(), { name: family.name, at: at('') });
      byIdent.set(ident, { name: family.name, at: at('') });
      families.push(family);
    } catch (e) {
      if (e instanceof InvalidSpecError) errors.push(...e.errors);
      else errors.push({ file, line: 0, col: 0, message: `internal error: ${(e as Error)?.message ?? String(e)}`, pointer: '' });
    }
  }
  if (opts.unusedOverlays !== 'ignore') {
    for (const o of loaded.overlays) {
      if (!usedOverlays.has(o) && !o.optional) errors.push(o.doc.error('/family', `none of the specs given defines family "${o.family}"; the overlay applies to nothing`));
    }
  }
  return { families, errors: errors.sort(compareSpecErrors), warnings: warnings.sort(compareSpecErrors) };
}
