// Locates the kernel's spec corpus (a compatibility corpus for tests only, never copied into the project).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Root of the corpus: `$NLGEN_KERNEL_SPECS` or `../shared/kernel-specs` beside the repository. */
export const corpusRoot = resolve(process.env.NLGEN_KERNEL_SPECS ?? join(repoRoot, '..', 'shared', 'kernel-specs'));
export const corpusSpecsDir = join(corpusRoot, 'specs');
export const corpusAvailable = existsSync(corpusSpecsDir);

/**
 * Why corpus tests skip, or undefined when they can run. Under CI=true a missing corpus is a failure,
 * not a skip: this throws so the test file fails loudly.
 */
export function corpusSkipReason(): string | undefined {
  if (corpusAvailable) return undefined;
  const why = `kernel spec corpus not found at ${corpusSpecsDir} (set NLGEN_KERNEL_SPECS to its folder)`;
  if (process.env.CI === 'true') throw new Error(`${why}; CI=true requires it`);
  console.warn(`SKIP: ${why}`);
  return why;
}

/** Absolute paths of every corpus spec, sorted. */
export function corpusSpecFiles(): string[] {
  if (!corpusAvailable) return [];
  return readdirSync(corpusSpecsDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(corpusSpecsDir, f));
}

export { repoRoot };
