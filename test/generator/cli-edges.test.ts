// The command line's edges: version, per-command help, unknown options, --strict, where output went, folders of
// folders, and --watch (regenerates on change; a broken spec prints its errors and the last good output stays).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { oneOpSpec } from '../support/one-op-spec.js';

const work = mkdtempSync(join(tmpdir(), 'nlgen-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = join(repoRoot, 'generator', 'bin', 'nlgen.js');
const nlgen = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const spec = (extra = '') => oneOpSpec({ requestAttributes: `id${extra}` });

describe('nlgen command line', () => {
  test('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(nlgen('--version')).toEqual({ code: 0, out: `nlgen ${pkg.version}\n`, err: '' });
  });

  test('validate --help is its own text', () => {
    const r = nlgen('validate', '--help');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Usage: nlgen validate <spec files or folders>... [--strict] [--overlay PATH]');
  });

  test('an unknown option is one line and the usage, exit 2', () => {
    const r = nlgen('--bogus', 'specs/');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('nlgen: unknown option --bogus');
    expect(r.err).toContain('Usage:');
  });

  test('an op naming an attribute its set lacks: a warning, and an error under --strict', () => {
    const d = join(work, 'strict');
    mkdirSync(d);
    writeFileSync(join(d, 'demo.yaml'), spec(', idd'));
    const lax = nlgen('validate', d);
    expect(lax.code).toBe(0);
    expect(lax.err).toMatch(/demo\.yaml:\d+:\d+: warning: attribute "idd" is not in attribute set "main"; left out/);
    const strict = nlgen('validate', '--strict', d);
    expect(strict.code).toBe(2);
    expect(strict.err).toMatch(/demo\.yaml:\d+:\d+: attribute "idd" is not in attribute set "main"; left out .*\(an error under --strict\)/);
    expect(nlgen(d, '--strict', '--out', join(d, 'out')).code).toBe(2);
    expect(existsSync(join(d, 'out'))).toBe(false);
  });

  test('one family, the default output folder named, a folder of folders explained', () => {
    const d = join(work, 'one');
    mkdirSync(join(d, 'specs', 'mine'), { recursive: true });
    writeFileSync(join(d, 'specs', 'mine', 'demo.yaml'), spec());
    const nested = nlgen('validate', join(d, 'specs'));
    expect(nested.code).toBe(2);
    expect(nested.err).toContain(`folder holds no .yaml or .yml spec files; its subfolder ${join(d, 'specs', 'mine')} has some`);
    const r = spawnSync(process.execPath, [bin, join(d, 'specs', 'mine')], { encoding: 'utf8', cwd: d });
    expect(r.stdout).toBe('nlgen: 1 family → generated (the default; --out DIR to choose) (2 written, 0 removed, 0 unchanged)\n');
    expect(existsSync(join(d, 'generated', 'demo.ts'))).toBe(true);
  });

  test('--watch regenerates on change and keeps the last good output when a spec breaks', async () => {
    const d = join(work, 'watch');
    mkdirSync(join(d, 'specs'), { recursive: true });
    copyFileSync(join(repoRoot, 'specs', 'rt-addr.yaml'), join(d, 'specs', 'rt-addr.yaml'));
    writeFileSync(join(d, 'specs', 'demo.yaml'), spec());
    const child = spawn(process.execPath, [bin, join(d, 'specs'), '--out', join(d, 'out'), '--watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    const until = async (what: () => boolean, label: string) => {
      for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(what(), `${label}; output so far:\n${out}`).toBe(true);
    };
    try {
      await until(() => out.includes('watching'), 'started');
      const first = readFileSync(join(d, 'out', 'demo.ts'), 'utf8');
      writeFileSync(join(d, 'specs', 'demo.yaml'), spec().replace('doc: Fetch.', 'doc: Fetch it again.'));
      await until(() => readFileSync(join(d, 'out', 'demo.ts'), 'utf8').includes('Fetch it again.'), 'regenerated');
      const good = readFileSync(join(d, 'out', 'demo.ts'), 'utf8');
      expect(good).not.toBe(first);
      writeFileSync(join(d, 'specs', 'demo.yaml'), 'name: demo\ndoc: [broken\n');
      await until(() => /demo\.yaml:\d+:\d+: YAML syntax error/.test(out), 'error printed');
      expect(readFileSync(join(d, 'out', 'demo.ts'), 'utf8')).toBe(good);
      expect(existsSync(join(d, 'out', 'rt-addr.ts'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  });
});
