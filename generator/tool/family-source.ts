// Where a family named on the command line comes from: a spec file (`--spec`), a spec in a folder the user gave
// (`--specs DIR` or NLGEN_SPECS), or the families nlgen ships (prebuilt clients in @nlgen/families, their specs
// copied beside the CLI). The model is read only by commands that need it; do/dump/subscribe of a shipped family
// load no YAML at all.
import { basename, delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Family } from '../model.js';
import { moduleFileName } from '../names.js';
import { ToolError, EXIT_USAGE, EXIT_SPEC } from './tool-error.js';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { existsSync, readdirSync, readFileSync } = process.getBuiltinModule('node:fs');

/** A family the CLI will work with: its spec file, and whether a prebuilt client ships for it. */
export interface FamilySource {
  /** The family's spec name (`rt-link`). */
  readonly name: string;
  /** Its spec file. */
  readonly specFile: string;
  /** The module of the prebuilt client (`@nlgen/families/rt-link`), for shipped families used as shipped. */
  readonly shippedModule: string | undefined;
  /** Overlays to apply (the client is then generated from the patched spec). */
  readonly overlays: readonly string[];
}

/** Options every family command takes. */
export interface FamilyOptions {
  family?: string;
  spec?: string;
  /** Folders of user specs (`--specs`), searched before NLGEN_SPECS and before the shipped families. */
  specs?: string[];
  /** Overlay files or folders applied to the family's spec (`--overlay`). */
  overlays?: string[];
}

/** The folder of the specs nlgen ships: dist/specs in the package, the repository's specs/ when run from sources. */
export function shippedSpecsDir(): string | undefined {
  for (const rel of ['../specs/', '../../specs/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'rt-link.yaml'))) return dir;
  }
  return undefined;
}

/** The spec folders to search, in order: `--specs`, then NLGEN_SPECS (colon-separated). */
export function userSpecDirs(specs: readonly string[] = []): string[] {
  const env = process.env.NLGEN_SPECS;
  return [...specs, ...(env ? env.split(delimiter).filter((d) => d !== '') : [])];
}

/** `name:` of a spec file, read from its text without parsing YAML (for finding a family by name quickly). */
function declaredName(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^name:[ \t]*['"]?([^'"\s#]+)['"]?[ \t]*(?:#.*)?$/m.exec(text);
  return m?.[1];
}

/** Every spec file in `dir` (`*.yaml`, `*.yml`), sorted. */
function specFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    throw new ToolError(`${dir}: no such folder of specs`, EXIT_USAGE);
  }
}

/** The spec in `dirs` that defines family `name` (its file name first, then any file whose `name:` says so). */
function findIn(dirs: readonly string[], name: string): string | undefined {
  for (const dir of dirs) {
    const files = specFilesIn(dir);
    const byFile = files.find((f) => basename(f).replace(/\.ya?ml$/, '') === name && declaredName(f) === name);
    if (byFile) return byFile;
    const byName = files.find((f) => declaredName(f) === name);
    if (byName) return byName;
  }
  return undefined;
}

/** Families nlgen ships, by name, with their spec files. */
export function shippedFamilies(): Map<string, string> {
  const dir = shippedSpecsDir();
  const out = new Map<string, string>();
  if (dir === undefined) return out;
  for (const f of specFilesIn(dir)) {
    const name = declaredName(f);
    if (name !== undefined) out.set(name, f);
  }
  return out;
}

/** Resolves `--family NAME` or `--spec FILE` to a source; a clear ToolError when neither names one. */
export function findFamily(opts: FamilyOptions): FamilySource {
  if (opts.spec !== undefined && opts.family !== undefined) throw new ToolError('give --family NAME or --spec FILE, not both', EXIT_USAGE);
  if (opts.spec !== undefined) {
    const file = resolve(opts.spec);
    if (!existsSync(file)) throw new ToolError(`${opts.spec}: no such spec file`, EXIT_USAGE);
    return { name: declaredName(file) ?? basename(file), specFile: file, shippedModule: undefined, overlays: opts.overlays ?? [] };
  }
  const name = opts.family;
  if (name === undefined) throw new ToolError('name the family: --family NAME (see `nlgen list-families`) or --spec FILE', EXIT_USAGE);
  const user = findIn(userSpecDirs(opts.specs), name);
  const overlays = opts.overlays ?? [];
  if (user !== undefined) return { name, specFile: user, shippedModule: undefined, overlays };
  // A shipped family's spec is named after it: look there before reading every shipped spec.
  const dir = shippedSpecsDir();
  const direct = dir === undefined ? undefined : join(dir, `${moduleFileName({ name })}.yaml`);
  const shipped = direct !== undefined && existsSync(direct) && declaredName(direct) === name ? direct : shippedFamilies().get(name);
  if (shipped !== undefined) return { name, specFile: shipped, shippedModule: overlays.length > 0 ? undefined : `@nlgen/families/${moduleFileName({ name })}`, overlays };
  const known = [...shippedFamilies().keys()].sort().join(', ');
  throw new ToolError(`no family named "${name}": nlgen ships ${known}; give --spec FILE, or --specs DIR / NLGEN_SPECS for your own`, EXIT_USAGE);
}

/** Reads, validates and resolves the family's spec; spec errors become one ToolError listing them (exit 2). */
export async function loadModel(src: FamilySource): Promise<Family> {
  const { readFamilies } = await import('../read-families.js');
  const { formatSpecError } = await import('../diagnostics.js');
  const { families, errors } = readFamilies([src.specFile], { overlays: src.overlays, unusedOverlays: 'ignore' });
  if (errors.length > 0 || families.length !== 1) {
    throw new ToolError(errors.map(formatSpecError).join('\n') || `${src.specFile}: no family`, EXIT_SPEC);
  }
  return families[0]!;
}
