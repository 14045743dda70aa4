// Generated modules live in the user's source tree, so the user's compiler and flags apply to them. Our modules and
// every corpus module must type-check with zero errors under TypeScript 5.9 and 7, with every strictness flag a
// careful project turns on, for both `module: nodenext` and `module: preserve` + `moduleResolution: bundler`; and the
// runtime's declarations must type-check under TypeScript 7's defaults (no `types`: no @types/node, no DOM).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { printFamilyModule, printIndexModule, moduleFileName } from '../../generator/print-module.js';
import { readFamilies } from '../../generator/read-families.js';
import { corpusSkipReason, corpusSpecFiles, repoRoot } from '../support/corpus.js';

const compilers = {
  '5.9': join(repoRoot, 'node_modules/typescript/bin/tsc'),
  '7': join(repoRoot, 'node_modules/typescript-7/bin/tsc'),
};
const strictFlags = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  erasableSyntaxOnly: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'ES2022',
  lib: ['ES2023'],
};
const moduleModes = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  'preserve+bundler': { module: 'preserve', moduleResolution: 'bundler' },
};

const work = join(repoRoot, '.tmp', `strict-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A scratch app folder holding `files` (name → text), typed against the built runtime's declarations. */
function app(name: string, files: Map<string, string>): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const [f, text] of files) writeFileSync(join(dir, 'src', f), text);
  return dir;
}

function tsc(compiler: keyof typeof compilers, dir: string, options: Record<string, unknown>): string[] {
  const cfg = join(dir, `tsconfig.${compiler}.${String(options.module)}.json`);
  writeFileSync(
    cfg,
    JSON.stringify({
      compilerOptions: { ...options, paths: { '@nlgen/runtime': [join(repoRoot, 'runtime/dist/index.d.ts')] } },
      include: ['src/**/*.ts'],
    }),
  );
  const r = spawnSync(process.execPath, [compilers[compiler], '-p', cfg], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l));
}

function modulesOf(paths: string[]): Map<string, string> {
  const { families, errors } = readFamilies(paths);
  expect(errors).toEqual([]);
  const files = new Map(families.map((f) => [`${moduleFileName(f)}.ts`, printFamilyModule(f)]));
  files.set('index.ts', printIndexModule(families));
  return files;
}

describe('generated code under every compiler and strict flag set', () => {
  const shipped = app('shipped', modulesOf([join(repoRoot, 'specs')]));
  const corpus = corpusSkipReason() === undefined ? app('corpus', modulesOf(corpusSpecFiles())) : undefined;

  for (const compiler of Object.keys(compilers) as (keyof typeof compilers)[]) {
    for (const [mode, options] of Object.entries(moduleModes)) {
      test(`our families: TypeScript ${compiler}, ${mode}`, () => {
        expect(tsc(compiler, shipped, { ...strictFlags, ...options, types: ['node'] })).toEqual([]);
      });
      test.skipIf(!corpus)(`the corpus: TypeScript ${compiler}, ${mode}`, () => {
        expect(tsc(compiler, corpus!, { ...strictFlags, ...options, types: ['node'] })).toEqual([]);
      });
    }
  }

  test('a flag set that is not clean is caught (the check can fail)', () => {
    const bad = app('bad', new Map([['x.ts', 'export function f(unused: number): void {}\nconst o: Record<string, number> = {};\nexport const y = o.key;\n']]));
    const errors = tsc('7', bad, { ...strictFlags, ...moduleModes.nodenext });
    expect(errors.some((e) => e.includes('TS6133'))).toBe(true);
    expect(errors.some((e) => e.includes('TS4111'))).toBe(true);
  });

  test("the runtime's declarations under TypeScript 7's defaults (no types, default lib)", () => {
    const dir = app(
      'defaults',
      new Map([
        [
          'app.ts',
          "import { NetlinkSocket, NETLINK_ROUTE } from '@nlgen/runtime';\nimport { RtLink } from '../../../../generated/rt-link.js';\nexport async function main(): Promise<void> {\n  await using sock = await NetlinkSocket.open(NETLINK_ROUTE);\n  const link = await RtLink.open();\n  link.close();\n  void sock;\n}\n",
        ],
      ]),
    );
    expect(tsc('7', dir, { strict: true, module: 'nodenext', noEmit: true, skipLibCheck: false, target: 'ES2022' })).toEqual([]);
  });
});
