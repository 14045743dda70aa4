// Where generation cannot write: one clear line, exit 1, no stack trace, no temp file left, good files untouched.
// And a generation killed after its commit point is completed by the next run (reported by --check until then).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';

const work = mkdtempSync(join(tmpdir(), 'nlgen-out-'));
chmodSync(work, 0o755);
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  rmSync(work, { recursive: true, force: true });
});
const bin = join(repoRoot, 'generator', 'bin', 'nlgen.js');
const specs = join(work, 'specs');
mkdirSync(specs);
for (const n of ['rt-addr', 'rt-link', 'tcp_metrics']) copyFileSync(join(repoRoot, 'specs', `${n}.yaml`), join(specs, `${n}.yaml`));
chmodSync(specs, 0o755);

function nlgen(args: string[], as?: string): { code: number | null; out: string; err: string } {
  const cmd = as ? 'setpriv' : process.execPath;
  const argv = as ? [`--reuid=${as}`, `--regid=${as}`, '--clear-groups', process.execPath, bin, ...args] : [bin, ...args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** One line, exit 1, no stack. */
function expectOneLine(r: { code: number | null; err: string }, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err.trim()).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err).not.toContain('internal error');
}

const root = process.getuid?.() === 0;
const probe = join(work, 'probe');
mkdirSync(probe);
// tmpfs mounts need root (and a mount namespace that allows them); the tests that need one say so when skipped.
const canMount = root && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
if (canMount) mounts.push(probe);

describe('output folders generation cannot write', () => {
  test('--out names a file', () => {
    writeFileSync(join(work, 'afile'), 'x');
    expectOneLine(nlgen([specs, '--out', join(work, 'afile')]), /^nlgen: cannot write to .*afile: it is a file, not a folder$/);
    expect(readFileSync(join(work, 'afile'), 'utf8')).toBe('x');
  });

  test('--out is under a file', () => {
    expectOneLine(nlgen([specs, '--out', join(work, 'afile', 'sub')]), /cannot write to .*afile\/sub: a part of the path is a file, not a folder \(ENOTDIR/);
  });

  test('--out /dev/null', () => {
    expectOneLine(nlgen([specs, '--out', '/dev/null']), /^nlgen: cannot write to \/dev\/null: it is not a folder$/);
  });

  test.skipIf(!root)('a folder the user may not write (EACCES), as an unprivileged user', () => {
    const d = join(work, 'locked');
    mkdirSync(d);
    chmodSync(d, 0o755); // owned by root: others may not write
    expectOneLine(nlgen([specs, '--out', d], '65534'), /cannot write to .*locked: permission denied \(EACCES/);
    expect(readdirSync(d)).toEqual([]);
  });

  test.skipIf(!canMount)('a read-only file system (EROFS) and a full one (ENOSPC): good files stay, no temp file is left', () => {
    // Good output first, then the same folder read-only.
    const ro = join(work, 'ro');
    mkdirSync(ro);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', ro]).status).toBe(0);
    mounts.push(ro);
    expect(nlgen([specs, '--out', ro]).code).toBe(0);
    const before = readdirSync(ro).sort();
    writeFileSync(join(specs, 'extra.yaml'), readFileSync(join(repoRoot, 'specs', 'netdev.yaml')));
    try {
      expect(spawnSync('mount', ['-o', 'remount,ro', ro]).status).toBe(0);
      expectOneLine(nlgen([specs, '--out', ro]), /cannot write to .*ro: the file system is read-only \(EROFS/);
      expect(readdirSync(ro).sort()).toEqual(before);

      // 64 KiB cannot hold rt-link's module: ENOSPC mid-write. Run twice: temp files must not pile up.
      const full = join(work, 'full');
      mkdirSync(full);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]).status).toBe(0);
      mounts.push(full);
      writeFileSync(join(full, 'hand-written.ts'), 'export const x = 1;\n');
      for (let i = 0; i < 2; i++) {
        expectOneLine(nlgen([specs, '--out', full]), /cannot write to .*full: no space left on the device \(ENOSPC/);
        expect(readdirSync(full)).toEqual(['hand-written.ts']);
      }
    } finally {
      rmSync(join(specs, 'extra.yaml'));
    }
  });
});

describe('a generation killed after its commit point', () => {
  test('--check reports it, and the next run completes it: every module new, no journal, no temp files', () => {
    const out = join(work, 'journal');
    const ref = join(work, 'journal-ref');
    expect(nlgen([specs, '--out', ref]).code).toBe(0);
    const modules = readdirSync(ref).sort();
    // The state a run killed right after committing leaves: old modules, new texts in temp files, the journal.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    mkdirSync(out);
    const renames: [string, string][] = [];
    for (const m of modules) {
      writeFileSync(join(out, m), `${readFileSync(join(ref, m), 'utf8')}// old\n`);
      const tmp = `.${m}.${pid}.tmp`;
      writeFileSync(join(out, tmp), readFileSync(join(ref, m)));
      renames.push([tmp, m]);
    }
    // The kill landed after the first rename.
    copyFileSync(join(ref, modules[0]!), join(out, modules[0]!));
    rmSync(join(out, renames[0]![0]));
    writeFileSync(join(out, 'stale.ts'), '// Code generated by nlgen from gone.yaml. DO NOT EDIT.\n');
    writeFileSync(join(out, '.nlgen-commit.json'), JSON.stringify({ pid, renames, removals: ['stale.ts'] }));

    const check = nlgen(['--check', specs, '--out', out]);
    expect(check.code).toBe(1);
    expect(check.err).toContain('interrupted: ');
    const run = nlgen([specs, '--out', out]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(modules);
    for (const m of modules) expect(readFileSync(join(out, m), 'utf8'), m).toBe(readFileSync(join(ref, m), 'utf8'));
    expect(nlgen(['--check', specs, '--out', out]).code).toBe(0);
    expect(existsSync(join(out, '.nlgen-commit.json'))).toBe(false);
  });
});
