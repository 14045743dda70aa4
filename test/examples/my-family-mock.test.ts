// The my_family example module's own checks (examples/my-family/vm-checks.ts, what the VM suite runs against the real
// module), run unchanged against the mock kernel that mirrors the module (examples/my-family/mock-kernel.ts), installed
// with `--import mock-setup.js` through NODE_OPTIONS so the checks' child processes (an unprivileged user, a root
// without capabilities, the example program) get it too. The same checks fail without the mock: this kernel has no
// such module, so what passes is the mock answering.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { liveSkipReason } from '../support/netns.js';

// Root: the checks switch users (setpriv, uid 65534), as they do in the VM.
const skip = liveSkipReason();
const dir = join(repoRoot, 'dist', 'examples', 'my-family');
const checks = join(dir, 'vm-checks.js');

function runChecks(withMock: boolean): { status: number | null; out: string } {
  const env = { ...process.env, NODE_OPTIONS: withMock ? `--import=${pathToFileURL(join(dir, 'mock-setup.js')).href}` : '' };
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', checks], { encoding: 'utf8', env, timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(skip !== undefined)('the my_family checks against the mock kernel', () => {
  test('built (npm install / npm run build)', () => {
    expect(existsSync(checks) && existsSync(join(dir, 'mock-setup.js')), 'dist/examples/my-family is built').toBe(true);
  });

  test('all pass with the mock installed, unchanged', () => {
    const r = runChecks(true);
    expect(r.out).toMatch(/^# pass 11$/m);
    expect(r.out).toMatch(/^# fail 0$/m);
    expect(r.status, r.out).toBe(0);
  });

  test('without it they fail here (no my_family module in this kernel): the passes above are the mock answering', () => {
    const r = runChecks(false);
    expect(r.status).not.toBe(0);
    expect(r.out).not.toMatch(/^# fail 0$/m);
  });
});
