// Spec files are untrusted: what nlgen does with files that are not specs, with documents built to exhaust it, and
// with families whose names would collide in the output folder. Each gets one clear line at file:line:col (or the
// file) and exit 2 — no hang, no memory blow-up, no internal error, nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/corpus.js';
import { oneOpSpec } from '../support/one-op-spec.js';

const work = mkdtempSync(join(tmpdir(), 'nlgen-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const dir = () => {
  const d = join(work, `c${++n}`);
  mkdirSync(d);
  return d;
};

const run = runCli;

const spec = (name: string) => oneOpSpec({ name, op: 'get' });

describe('files that are not specs', () => {
  test('a FIFO is refused at once (never opened for a blocking read)', async () => {
    const d = dir();
    expect(spawnSync('mkfifo', [join(d, 'x.yaml')]).status).toBe(0);
    const r = await run(['validate', d]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(d, 'x.yaml')}: cannot read spec: not a regular file`);
  });

  test('a symlink to /dev/zero is refused, not read', async () => {
    const d = dir();
    symlinkSync('/dev/zero', join(d, 'zero.yaml'));
    const r = await run(['validate', join(d, 'zero.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read spec: not a regular file');
  });

  test('a file over the size limit is refused by its size', async () => {
    const d = dir();
    writeFileSync(join(d, 'big.yaml'), `name: big\ndoc: "${'x'.repeat(9 * 1024 * 1024)}"\n`);
    const r = await run(['validate', join(d, 'big.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read spec: \d+ bytes, larger than the 8388608-byte limit/);
  });

  test('bytes that are not UTF-8 are an error at their line and column', async () => {
    const d = dir();
    writeFileSync(join(d, 'latin1.yaml'), Buffer.concat([Buffer.from('name: demo\ndoc: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await run(['validate', join(d, 'latin1.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(d, 'latin1.yaml')}:2:9: spec is not valid UTF-8 (byte 0xe9 at offset 19)`);
  });

  test('a folder', async () => {
    const d = dir();
    mkdirSync(join(d, 'sub.yaml'));
    const r = await run(['validate', join(d, 'sub.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('internal error');
  });
});

describe('documents built to exhaust the generator', () => {
  test('YAML alias amplification (a billion-laughs document) is refused quickly in bounded memory', () => {
    const d = dir();
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    writeFileSync(join(d, 'laughs.yaml'), `${lines.join('\n')}\nname: demo\ndoc: x\n`);
    // 10^9 nodes if expanded; the heap cap makes a blow-up a crash (exit code ≠ 2), the timeout a hang guard.
    const r = spawnSync(process.execPath, ['--max-old-space-size=200', join(repoRoot, 'generator/bin/nlgen.js'), 'validate', join(d, 'laughs.yaml')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('YAML aliases expand too much');
  });

  test('thousands of schema errors are reported as the first 50 and a count', async () => {
    const d = dir();
    const sets = Array.from({ length: 3000 }, (_, i) => `  - name: s${i}\n    bogus: 1\n    attributes: []\n`).join('');
    writeFileSync(join(d, 'many.yaml'), `name: demo\ndoc: x\nattribute-sets:\n${sets}operations:\n  list: []\n`);
    const r = await run(['validate', join(d, 'many.yaml')]);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(52); // 50 errors, the count, the summary
    expect(lines[50]).toMatch(/: … and \d+ more schema errors not shown \(fix the ones above first\)$/);
  });

  test('a 200,000-line doc is generated (docs are text, not a limit)', async () => {
    const d = dir();
    const doc = Array.from({ length: 200_000 }, (_, i) => `  line ${i}`).join('\n');
    writeFileSync(join(d, 'long.yaml'), spec('long-doc').replace('doc: Demo.', `doc: |\n${doc}`));
    const r = await run([d, '--out', join(d, 'out')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(join(d, 'out')).sort()).toEqual(['index.ts', 'long-doc.ts']);
  });
});

describe('families whose output would collide', () => {
  const generate = async (specs: Record<string, string>) => {
    const d = dir();
    for (const [file, text] of Object.entries(specs)) writeFileSync(join(d, file), text);
    const r = await run([d, '--out', join(d, 'out')]);
    return { ...r, d, wrote: existsSync(join(d, 'out')) };
  };

  test('a family named index', async () => {
    const r = await generate({ 'a.yaml': spec('index') });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(r.d, 'a.yaml')}:1:7: family name "index" would be written as index.ts, which is the generated index module; rename the family`);
    expect(r.wrote).toBe(false);
  });

  test('two families whose module files differ only in case', async () => {
    const r = await generate({ 'a.yaml': spec('Demo'), 'b.yaml': spec('demo') });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(r.d, 'b.yaml')}:1:7: family "demo" and family "Demo" (${join(r.d, 'a.yaml')}:1:7) both become the module file demo.ts`);
  });

  test('two families whose names map to one file name', async () => {
    const r = await generate({ 'a.yaml': spec('my/fam'), 'b.yaml': spec('my_fam') });
    expect(r.code).toBe(2);
    expect(r.err).toContain('both become the module file my_fam.ts');
  });

  test('two families with one index export name', async () => {
    const r = await generate({ 'a.yaml': spec('my-fam'), 'b.yaml': spec('my.fam') });
    expect(r.code).toBe(2);
    expect(r.err).toContain('both become `myFam` in the generated index module');
  });

  test('a family name too long for a file name', async () => {
    const r = await generate({ 'a.yaml': spec('f'.repeat(300)) });
    expect(r.code).toBe(2);
    expect(r.err).toContain('its module file name would exceed the 255-byte limit of file systems');
    expect(r.err).not.toContain('internal error');
  });
});
