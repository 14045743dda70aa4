// Boots Debian's stock kernel (or the one NLGEN_VM_KERNEL names, see docs/vm-tests.md) under QEMU, loads the my_family example module and runs its checks
// (examples/my-family/vm-checks.ts) inside with the host's Node: every op through the generated clients, the dump,
// notifications, extack errors, EPERM as an unprivileged user, the raw unit-31 protocol. One boot for the suite.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModule, debianKernel, kernelFromEnv, kernelOrSkip, missingPrerequisites, repoRoot, runInVm, vmFailure } from './harness.js';

const reason = missingPrerequisites();
const checks = join(repoRoot, 'dist/examples/my-family/vm-checks.js');

/** Newest modification time of the sources the compiled checks come from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(repoRoot, 'examples/my-family'));
  walk(join(repoRoot, 'runtime'));
  return newest;
}

describe('my_family module in a VM', () => {
  if (reason !== undefined && process.env.CI !== 'true') {
    it.skip(`skipped: ${reason} (apt-get install qemu-system-x86 busybox-static cpio kmod linux-headers-amd64 gcc make)`, () => {});
    return;
  }

  it('passes every in-VM check on the stock Debian kernel', async (ctx) => {
    expect(reason, 'the VM suite cannot run on this machine').toBeUndefined();
    // The guest runs the compiled checks: build them when the sources are newer (a fresh `npm install` built them).
    if (!existsSync(checks) || statSync(checks).mtimeMs < newestSource()) {
      execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
    }
    const kernel = kernelOrSkip((why) => ctx.skip(why));
    if (kernel === undefined) return;
    const modules = buildModule(kernel, join(repoRoot, 'examples/my-family/module'));
    const r = await runInVm({
      kernel,
      insmod: modules,
      command: [process.execPath, '--test-reporter=spec', checks],
      timeoutMs: 480_000,
    });
    process.stdout.write(`VM (${kernel.release}): ${r.seconds.toFixed(1)} s, exit ${r.exitCode}\n${r.output}`);
    const failure = vmFailure(r);
    if (failure !== undefined) throw new Error(failure);
  });

  it('a VM that does not come up fails with its console: a damaged image, a boot past its time limit', async (ctx) => {
    if (reason !== undefined) return;
    // Not a kernel: QEMU refuses it at once, and says why on the console.
    const bogus = join(repoRoot, 'package.json');
    const r1 = await runInVm({ kernel: { release: 'none', image: bogus }, command: ['true'], timeoutMs: 60_000 });
    expect(r1.exitCode).toBeUndefined();
    expect(r1.timedOut).toBe(false);
    expect(vmFailure(r1)).toMatch(/stopped before the command finished[\s\S]*console:[\s\S]*(kernel|linux|image|format)/i);
    // The real kernel with a limit far below its boot time: killed, reported with what the console had so far.
    let kernel;
    try {
      kernel = kernelFromEnv() ?? debianKernel();
    } catch {
      ctx.skip('no kernel image (see the test above)');
      return;
    }
    const r2 = await runInVm({ kernel, command: ['true'], timeoutMs: 1_500 });
    expect(r2.exitCode).toBeUndefined();
    expect(r2.timedOut).toBe(true);
    expect(vmFailure(r2)).toMatch(/did not finish in time/);
  });
});
