// The gen section: `nlgen <corpus> --out DIR` as a process, then `tsc --noEmit` (strict) on what it wrote, typed
// against the built runtime's declarations the way an application using the package sees them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { childEnv, repoRoot } from '../lib/context.js';
import { median, now } from '../lib/report.js';

/** The kernel spec corpus: `$NLGEN_KERNEL_SPECS/specs` or `../shared/kernel-specs/specs` beside the repository. */
export function corpusSpecs(): string {
  return join(resolve(process.env.NLGEN_KERNEL_SPECS ?? join(repoRoot, '..', 'shared', 'kernel-specs')), 'specs');
}

/** Runs the gen section. */
export async function genSection(ctx: BenchContext): Promise<SectionResult> {
  const specs = corpusSpecs();
  const what = 'corpus generation + type-check';
  if (!existsSync(specs)) return { rows: [], skipped: [{ section: 'gen', what, why: `kernel spec corpus not found at ${specs} (set NLGEN_KERNEL_SPECS)` }] };
  const runtimeTypes = join(repoRoot, 'runtime', 'dist', 'index.d.ts');
  if (!existsSync(join(repoRoot, 'generator', 'dist', 'cli.js')) || !existsSync(runtimeTypes)) {
    return { rows: [], skipped: [{ section: 'gen', what, why: 'not built (run through `npm run bench`)' }] };
  }
  const specCount = readdirSync(specs).filter((f) => f.endsWith('.yaml')).length;
  const work = mkdtempSync(join(tmpdir(), 'nlgen-bench-gen-'));
  const out = join(work, 'out');
  const cfg = join(work, 'tsconfig.json');
  // An ESM app, as users' are (verbatimModuleSyntax needs the module kind to be known).
  writeFileSync(join(work, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    cfg,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        // The flags a careful user's project has (generated modules live in it).
        noUnusedLocals: true,
        noUnusedParameters: true,
        noPropertyAccessFromIndexSignature: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
        paths: { '@nlgen/runtime': [runtimeTypes] },
      },
      include: [join(out, '*.ts')],
    }),
  );
  try {
    const gen: number[] = [];
    const tsc: number[] = [];
    const sum: number[] = [];
    const tsc59: number[] = [];
    const runs = Math.min(3, ctx.runs);
    for (let r = 0; r < runs; r++) {
      rmSync(out, { recursive: true, force: true });
      let t = now();
      const g = spawnSync(process.execPath, [join(repoRoot, 'generator', 'bin', 'nlgen.js'), specs, '--out', out], { encoding: 'utf8', env: childEnv });
      const gMs = now() - t;
      if (g.status !== 0) throw new Error(`nlgen on the corpus exited ${g.status}: ${g.stderr.slice(0, 500)}`);
      const modules = readdirSync(out).filter((f) => f.endsWith('.ts') && f !== 'index.ts').length;
      if (modules !== specCount) throw new Error(`nlgen wrote ${modules} modules for ${specCount} specs`);
      t = now();
      const c = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript-7', 'bin', 'tsc'), '-p', cfg], { encoding: 'utf8', env: childEnv });
      const cMs = now() - t;
      if (c.status !== 0) throw new Error(`tsc on the generated corpus failed: ${(c.stdout + c.stderr).slice(0, 800)}`);
      gen.push(gMs / 1000);
      tsc.push(cMs / 1000);
      sum.push((gMs + cMs) / 1000);
      if (r === 0) {
        t = now();
        const c59 = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', cfg], { encoding: 'utf8', env: childEnv });
        tsc59.push((now() - t) / 1000);
        if (c59.status !== 0) throw new Error(`tsc 5.9 on the generated corpus failed: ${(c59.stdout + c59.stderr).slice(0, 800)}`);
      }
    }
    const note = `${specCount} specs`;
    return {
      rows: [
        { section: 'gen', name: '`nlgen <corpus> --out DIR` (process)', value: median(gen), unit: 's', note },
        { section: 'gen', name: 'TypeScript 7 `tsc --noEmit` (strict flags) on the generated corpus', value: median(tsc), unit: 's' },
        { section: 'gen', name: 'generation + TypeScript 7 type-check, total', value: median(sum), unit: 's', target: { below: 3 } },
        { section: 'gen', name: 'TypeScript 5.9 `tsc --noEmit` on the same (information)', value: median(tsc59), unit: 's' },
      ],
      skipped: [],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
