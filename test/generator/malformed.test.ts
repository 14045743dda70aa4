// Malformed specs: each yields its exact `file:line:col: message`, and the CLI exits 2 without a stack trace.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatSpecError, InvalidSpecError, loadSpecText, resolveFamily } from '../../generator/index.js';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/corpus.js';
import { malformedCases } from './malformed-cases.js';

const work = mkdtempSync(join(tmpdir(), 'nlgen-bad-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = runCli;

let caseNo = 0;
function writeCase(yaml: string): { dir: string; file: string } {
  const dir = join(work, `case-${++caseNo}`);
  execFileSync('mkdir', ['-p', dir]);
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

describe('malformed specs', () => {
  test('there are at least 30 cases, all distinct', () => {
    expect(malformedCases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(malformedCases.map((c) => c.name)).size).toBe(malformedCases.length);
  });

  test.each(malformedCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { dir, file } = writeCase(c.yaml);
    const { code, out, err } = await run(['validate', file]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    const lines = err
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('nlgen validate:'))
      .map((l) => l.split(dir + '/').join(''));
    expect(lines).toContain(c.error);
    // The library reports the same error (as data) when called directly.
    let errors: string[] = [];
    try {
      resolveFamily(loadSpecText(c.yaml, 'bad.yaml'));
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSpecError);
      errors = (e as InvalidSpecError).errors.map(formatSpecError);
    }
    expect(errors).toContain(c.error);
  });

  test('errors from several files are all reported, sorted by file and position', async () => {
    const a = writeCase(malformedCases.find((c) => c.name === 'duplicate attribute names')!.yaml);
    const b = writeCase(malformedCases.find((c) => c.name === 'dangling enum')!.yaml);
    const { code, err } = await run(['validate', b.file, a.file]);
    expect(code).toBe(2);
    const lines = err.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].startsWith(`${a.file}:8:15: duplicate attribute "id"`)).toBe(true);
    expect(lines[1].startsWith(`${b.file}:8:15: unknown enum "colours"`)).toBe(true);
    expect(lines[2]).toBe('nlgen validate: 2 errors');
  });

  test('one file with several errors reports each of them', async () => {
    const yaml = `name: demo
doc: x
attribute-sets:
  - name: main
    attributes:
      - name: id
        type: u33
        bogus: 1
operations:
  list:
    - name: get
`;
    const { file } = writeCase(yaml);
    const { code, err } = await run(['validate', file]);
    expect(code).toBe(2);
    const lines = err.trim().split('\n').map((l) => l.split(file).join('F'));
    expect(lines.map((l) => l.split(':').slice(0, 3).join(':'))).toEqual(['F:7:15', 'F:8:9', 'F:11:7', 'nlgen validate: 3 errors']);
  });

  test('a missing file or folder is an error, not a crash', async () => {
    const missing = join(work, 'nope.yaml');
    const { code, err } = await run(['validate', missing]);
    expect(code).toBe(2);
    expect(err).toContain(`${missing}: no such file or folder`);
  });
});

describe('CLI', () => {
  test('--help prints usage and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('nlgen validate <spec files or folders>');
  });

  test('validate --help prints usage', async () => {
    const { code, out } = await run(['validate', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage:');
  });

  test('no command: usage on stderr, exit 2', async () => {
    const { code, err } = await run([]);
    expect(code).toBe(2);
    expect(err).toContain('Usage:');
  });

  test('unknown option: exit 2 with a message', async () => {
    const { code, err } = await run(['validate', '--frobnicate', 'x.yaml']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown option --frobnicate/);
  });

  test('validate without files: exit 2', async () => {
    const { code, err } = await run(['validate']);
    expect(code).toBe(2);
    expect(err).toContain('give at least one spec file or folder');
  });

  test('a folder of valid specs: one ok line per family, sorted by file, exit 0', async () => {
    const dir = join(work, 'good');
    execFileSync('mkdir', ['-p', dir]);
    const spec = (name: string, sets: number, ops: number) =>
      `name: ${name}\ndoc: d\nattribute-sets:\n${Array.from({ length: sets }, (_, i) => `  - name: s${i}\n    attributes:\n      - name: a\n        type: u8\n`).join('')}operations:\n  list:\n${Array.from({ length: ops }, (_, i) => `    - name: op${i}\n      doc: o\n      attribute-set: s0\n      do:\n        request:\n          attributes: [a]\n`).join('')}`;
    writeFileSync(join(dir, 'b.yaml'), spec('beta', 1, 1));
    writeFileSync(join(dir, 'a.yml'), spec('alpha', 2, 3));
    writeFileSync(join(dir, 'notes.txt'), 'not a spec');
    const { code, out, err } = await run(['validate', dir]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe('ok alpha (genetlink, 2 attribute sets, 3 ops)\nok beta (genetlink, 1 attribute set, 1 op)\n');
  });
});

// The installed launcher end to end: generator/bin/nlgen.js runs the compiled CLI from generator/dist/.
describe('generator/bin/nlgen.js (child process)', () => {
  const cli = join(repoRoot, 'generator', 'dist', 'cli.js');
  beforeAll(() => {
    const newest = (dir: string): number =>
      readdirSync(dir).filter((f) => f !== 'dist').reduce((m, f) => {
        const p = join(dir, f);
        const s = statSync(p);
        return Math.max(m, s.isDirectory() ? newest(p) : s.mtimeMs);
      }, 0);
    const stale = !existsSync(cli) || statSync(cli).mtimeMs < newest(join(repoRoot, 'generator'));
    if (stale) {
      spawnSync('npm', ['run', 'build', '-w', 'nlgen'], { cwd: repoRoot, stdio: 'ignore' });
    }
  });

  test('a broken spec exits 2 with file:line:col and no stack trace', () => {
    const c = malformedCases.find((x) => x.name === 'dangling nested-attributes')!;
    const { dir } = writeCase(c.yaml);
    const r = spawnSync(process.execPath, [join(repoRoot, 'generator', 'bin', 'nlgen.js'), 'validate', 'bad.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(c.error);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
