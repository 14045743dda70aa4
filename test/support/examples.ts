// Compiling example programs for tests that run them as child processes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

/**
 * Compiles examples/<name>.ts for each of `names` (and what they import) the way tsconfig.build.json compiles them
 * into dist/, but into a private directory laid out like the package (package.json for the self-references,
 * node_modules for koffi): other tests rebuild the shared dist/ (npm pack runs prepare), and a file being rewritten
 * must not be loaded half-written. Returns the directory; the programs are at dist/examples/<name>.js in it.
 */
export function buildExamples(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nlgen-examples-'));
  copyFileSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const files = names.map((n) => join(repoRoot, 'examples', `${n}.ts`));
  const tsconfig = { extends: join(repoRoot, 'tsconfig.build.json'), compilerOptions: { rootDir: repoRoot, outDir: join(dir, 'dist'), sourceMap: false }, include: [], files };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  // tsc emits even when an unrelated file has a type error; what matters is that every program came out.
  for (const n of names) {
    if (!existsSync(join(dir, 'dist/examples', `${n}.js`))) throw new Error(`building the examples failed:\n${tsc.stdout}${tsc.stderr}`);
  }
  return dir;
}
