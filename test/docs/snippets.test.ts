// Every TypeScript block in README.md, the packages' READMEs and docs/*.md, extracted from the Markdown (never copied here), type-checks under
// strict flags; the README's blocks also run, inside a throwaway namespace in place of their `myns`.
//
// A block's relative imports are resolved from the folder its document says the code lives in (the map below: a
// guide's example lives in its example folder), so the block compiles exactly as a reader would use it there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { createNetns, liveSkipReason } from '../support/netns.js';

/** Where the code of a document's blocks lives (for their relative imports); the repository root otherwise. */
const homeOf: Record<string, string> = {
  'docs/writing-specs.md': 'examples/my-family',
  'docs/vm-tests.md': 'test/vm',
};

interface Block {
  doc: string;
  index: number;
  line: number;
  code: string;
}

function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(repoRoot, doc), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    out.push({ doc, index: out.length, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

const docs = ['README.md', 'runtime/README.md', 'generated/README.md', 'generator/README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = docs.flatMap(blocksOf);
const work = join(repoRoot, '.tmp', `snippets-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The block with its relative imports made absolute (resolved from its document's code folder). */
function placed(b: Block): string {
  const home = join(repoRoot, homeOf[b.doc] ?? '.');
  return b.code.replace(/(from\s+')(\.{1,2}\/[^']+)'/g, (_m, pre: string, rel: string) => `${pre}${resolve(home, rel)}'`);
}

const fileOf = (b: Block) => join(work, `${b.doc.replace(/[^A-Za-z0-9]+/g, '-')}-${b.index}.ts`);

describe('TypeScript blocks in the documentation', () => {
  test('there are blocks to check, in README.md and docs/', () => {
    expect(blocks.filter((b) => b.doc === 'README.md').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.doc.startsWith('docs/')).length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((b) => b.doc === 'generated/README.md').length).toBeGreaterThanOrEqual(1);
  });

  test('every block type-checks under strict flags (TypeScript 7)', () => {
    mkdirSync(work, { recursive: true });
    for (const b of blocks) writeFileSync(fileOf(b), `${placed(b)}\nexport {};\n`);
    const cfg = join(work, 'tsconfig.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules/@types')],
          // The runtime as an app sees it (its declarations); generated modules as sources, as they sit in an app.
          paths: { '@nlgen/runtime': [join(repoRoot, 'runtime/dist/index.d.ts')], '@nlgen/families/*': [join(repoRoot, 'generated/*.ts')] },
        },
        files: blocks.map(fileOf),
      }),
    );
    const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript-7/bin/tsc'), '-p', cfg], { encoding: 'utf8' });
    // Name the document and line for each error, not the scratch file.
    const errors = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => /error TS\d+/.test(l))
      .map((l) => {
        const b = blocks.find((x) => l.includes(fileOf(x).split('/').pop()!));
        const m = /\((\d+),(\d+)\)/.exec(l);
        return b && m ? `${b.doc}:${b.line + Number(m[1]) - 1}: ${l.replace(/^[^:]*: /, '')}` : l;
      });
    expect(errors).toEqual([]);
  });

  const runnable = blocks.filter((b) => b.doc === 'README.md' && b.code.includes("netns: 'myns'"));
  test.skipIf(liveSkipReason() !== undefined)('the README blocks run, in a throwaway namespace', async () => {
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    const ns = createNetns('nlsnip');
    const logged: unknown[][] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args);
    try {
      mkdirSync(work, { recursive: true });
      for (const b of runnable) {
        const file = join(work, `run-${b.index}.ts`);
        writeFileSync(file, `${placed(b).replaceAll("netns: 'myns'", `netns: ${JSON.stringify(ns.name)}`)}\nexport {};\n`);
        await import(file);
      }
    } finally {
      console.log = log;
      ns.dispose();
    }
    // The first block's last line: the vxlan id the kernel refused, named as a property path.
    expect(logged).toContainEqual(['ERANGE', 'linkinfo.data(vxlan).id']);
    // The second: three blackhole routes added, none failed (so nothing was logged for them).
    expect(logged.some((l) => typeof l[0] === 'string' && /newroute/.test(l[0]))).toBe(false);
  });
});
