// Generates a module from spec text and imports it, for tests that run the codecs of a spec written in the test.
// The module is written under the repository's `.tmp/` (ignored by git) so that its `@nlgen/runtime` import resolves
// as the committed modules' does.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecText, resolveFamily } from '../../generator/index.js';
import { printFamilyModule } from '../../generator/print-module.js';
import { repoRoot } from './corpus.js';

let seq = 0;

/** The generated module of `spec` (YAML text), imported. */
export async function loadGenerated(spec: string): Promise<Record<string, any>> {
  const text = printFamilyModule(resolveFamily(loadSpecText(spec, 'test.yaml')));
  const dir = join(repoRoot, '.tmp', 'generated-in-tests');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `m${process.pid}-${++seq}.ts`);
  writeFileSync(file, text);
  try {
    return (await import(file)) as Record<string, any>;
  } finally {
    rmSync(file, { force: true });
  }
}
