// Boots a Linux kernel under QEMU with the host's root filesystem shared read-only over virtio-9p, loads kernel
// modules, runs one command as root inside (chrooted into the host's /, so the host's Node and this checkout are
// there) and hands back its exit code and output. One boot per call; the command runs a whole suite.
//
// The default kernel is Debian's stock linux-image-amd64, fetched with apt-get download and unpacked under
// node_modules/.cache/nlgen-vm (no root filesystem image, no initramfs regeneration); any other bzImage can be
// pointed at with `kernel` (and `modulesDir` for its virtio/9p modules when they are not built in).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root (the guest sees it at the same path). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where downloaded kernels, initramfs pieces and built modules are kept between runs (outside git). */
export const cacheDir = process.env.NLGEN_VM_CACHE ?? join(repoRoot, 'node_modules/.cache/nlgen-vm');

/** Host tools the harness needs, with the Debian package that provides each. */
const TOOLS: Record<string, string> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  busybox: 'busybox-static',
  cpio: 'cpio',
  depmod: 'kmod',
  modprobe: 'kmod',
  make: 'make',
  gcc: 'gcc',
  'dpkg-deb': 'dpkg',
  'apt-get': 'apt',
};

function which(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const p = join(d, cmd);
    if (existsSync(p)) return p;
  }
  for (const d of ['/usr/sbin', '/sbin']) if (existsSync(join(d, cmd))) return join(d, cmd);
  return undefined;
}

/** Why the VM suite cannot run on this machine (missing tools or packages), or undefined when it can. */
export function missingPrerequisites(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `needs Linux on x86-64 (this is ${process.platform}/${process.arch})`;
  const missing = Object.entries(TOOLS).filter(([cmd]) => !which(cmd)).map(([cmd, pkg]) => `${cmd} (${pkg})`);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const bb = readFileSync(which('busybox')!).subarray(0, 4096);
  if (bb.includes(Buffer.from('ld-linux'))) return 'busybox is dynamically linked: install busybox-static';
  if (process.env.NLGEN_VM_KERNEL === undefined && headersVersion() === undefined) return 'no Debian kernel headers: install linux-headers-amd64';
  return undefined;
}

/**
 * The kernel named by the environment, if any: NLGEN_VM_KERNEL (a bzImage), NLGEN_VM_MODULES (a root holding
 * lib/modules/<release>, for the virtio/9p modules; omit when they are built in), NLGEN_VM_RELEASE (default: the one
 * release under NLGEN_VM_MODULES), NLGEN_VM_KBUILD (build directory for out-of-tree modules; default
 * lib/modules/<release>/build under NLGEN_VM_MODULES).
 */
export function kernelFromEnv(): VmKernel | undefined {
  const image = process.env.NLGEN_VM_KERNEL;
  if (!image) return undefined;
  const modulesRoot = process.env.NLGEN_VM_MODULES;
  let release = process.env.NLGEN_VM_RELEASE;
  if (!release && modulesRoot) {
    const releases = readdirSync(join(modulesRoot, 'lib/modules'));
    if (releases.length !== 1) throw new Error(`NLGEN_VM_MODULES holds ${releases.length} releases; set NLGEN_VM_RELEASE`);
    release = releases[0];
  }
  if (!release) throw new Error('set NLGEN_VM_RELEASE (or NLGEN_VM_MODULES) with NLGEN_VM_KERNEL');
  if (modulesRoot && !existsSync(join(modulesRoot, 'lib/modules', release, 'modules.dep'))) {
    execFileSync(which('depmod')!, ['-b', modulesRoot, release]);
  }
  const buildDir = process.env.NLGEN_VM_KBUILD ?? (modulesRoot ? join(modulesRoot, 'lib/modules', release, 'build') : undefined);
  return { release, image, ...(modulesRoot ? { modulesRoot } : {}), ...(buildDir ? { buildDir } : {}) };
}

/** Kernel release of the installed linux-headers-amd64 (e.g. 6.1.0-50-amd64); the image fetched must match it. */
export function headersVersion(): string | undefined {
  try {
    const dep = execFileSync('dpkg-query', ['-W', '-f=${Depends}', 'linux-headers-amd64'], { encoding: 'utf8' });
    const m = /linux-headers-(\S+)/.exec(dep);
    if (m && existsSync(`/usr/src/linux-headers-${m[1]}/Makefile`)) return m[1];
  } catch {
    // not installed
  }
  return undefined;
}

/** A kernel to boot: its image and the module tree (lib/modules/<release>) the initramfs takes modules from. */
export interface VmKernel {
  release: string;
  image: string;
  /** Root under which lib/modules/<release> lies (depmod -b), for virtio/9p modules; undefined if built in. */
  modulesRoot?: string;
  /** Kernel build directory for out-of-tree modules. */
  buildDir?: string;
}

/**
 * Debian's stock kernel matching the installed linux-headers-amd64: linux-image-<release> fetched with
 * `apt-get download` and unpacked (`dpkg-deb -x`, `depmod -b`) into the cache on first use.
 */
export function debianKernel(): VmKernel {
  const release = headersVersion();
  if (!release) throw new Error('linux-headers-amd64 is not installed');
  const root = join(cacheDir, release);
  const image = join(root, 'boot', `vmlinuz-${release}`);
  if (!existsSync(join(root, 'lib/modules', release, 'modules.dep'))) {
    const dl = join(cacheDir, 'download');
    mkdirSync(dl, { recursive: true });
    const pkg = `linux-image-${release}`;
    let deb = readdirSync(dl).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) {
      try {
        execFileSync('apt-get', ['download', pkg], { cwd: dl, stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (err) {
        // Package lists may be missing or stale (a fresh container): refresh them once, as root.
        if (process.getuid?.() !== 0) throw err;
        execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'pipe'] });
        execFileSync('apt-get', ['download', pkg], { cwd: dl, stdio: ['ignore', 'ignore', 'pipe'] });
      }
      deb = readdirSync(dl).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${pkg} left no package in ${dl}`);
    }
    rmSync(root, { recursive: true, force: true });
    execFileSync('dpkg-deb', ['-x', join(dl, deb), root]);
    execFileSync(which('depmod')!, ['-b', root, release]);
  }
  return { release, image, modulesRoot: root, buildDir: `/usr/src/linux-headers-${release}` };
}

/**
 * The kernel a VM test boots: $NLGEN_VM_KERNEL's, else Debian's stock one. When Debian's cannot be fetched (no package
 * source reachable) the test is skipped with the reason through `skip` and undefined returned, except under CI=true,
 * where that is a failure.
 */
export function kernelOrSkip(skip: (reason: string) => void): VmKernel | undefined {
  try {
    return kernelFromEnv() ?? debianKernel();
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    skip(`cannot fetch the Debian kernel image: ${(err as Error).message}`);
    return undefined;
  }
}

/** Builds the module sources in `srcDir` against `kernel` (in a cache copy: the checkout stays clean); returns the .ko paths. */
export function buildModule(kernel: VmKernel, srcDir: string): string[] {
  if (!kernel.buildDir) throw new Error(`no build directory for kernel ${kernel.release}`);
  const out = join(cacheDir, 'build', `${basename(srcDir)}-${kernel.release}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(srcDir)) if (/\.(c|h)$|^Kbuild$|^Makefile$/.test(f)) copyFileSync(join(srcDir, f), join(out, f));
  execFileSync('make', ['-s', '-C', kernel.buildDir, `M=${out}`, 'modules'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return readdirSync(out).filter((f) => f.endsWith('.ko')).map((f) => join(out, f));
}

/** Modules (with their dependencies, in load order) the guest needs to mount the host over virtio-9p. */
function bootModules(kernel: VmKernel): string[] {
  return modulesWithDependencies(kernel, ['virtio_pci', '9pnet_virtio', '9p']);
}

/** Host paths of the kernel's modules `names` and what they depend on, in load order (modprobe --show-depends). */
export function modulesWithDependencies(kernel: VmKernel, names: readonly string[]): string[] {
  if (!kernel.modulesRoot) return [];
  const seen = new Set<string>();
  const order: string[] = [];
  for (const m of names) {
    const out = execFileSync(which('modprobe')!, ['-d', kernel.modulesRoot, '-S', kernel.release, '--show-depends', m], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const p = /^insmod (\S+)/.exec(line)?.[1];
      if (p && !seen.has(p)) {
        seen.add(p);
        order.push(p);
      }
    }
  }
  return order;
}

/** What one boot gave. */
export interface VmResult {
  /** The command's exit status; undefined when it never finished (see `timedOut` and `console`). */
  exitCode: number | undefined;
  /** The command's stdout and stderr, interleaved. */
  output: string;
  /** The serial console: kernel and init messages. */
  console: string;
  timedOut: boolean;
  /** Wall-clock seconds from starting QEMU to its exit. */
  seconds: number;
}

/** One boot. */
export interface VmOptions {
  kernel: VmKernel;
  /** Host paths of modules loaded (in order) before the command runs. */
  insmod?: readonly string[];
  /** argv run as root inside, chrooted into the host's /, from `cwd` (default: the checkout). */
  command: readonly string[];
  cwd?: string;
  /** Environment of the command (PATH, HOME, TMPDIR=/run/tmp and CI are set by default). */
  env?: Record<string, string>;
  /** The whole boot's limit; past it QEMU is killed and `timedOut` set. Default 300 s. */
  timeoutMs?: number;
  memoryMb?: number;
  /** QEMU -accel value; default $NLGEN_VM_ACCEL or software emulation (`tcg,thread=multi`). */
  accel?: string;
}

/**
 * Why a boot failed, with what to read: undefined when the command exited 0; the command's output when it failed;
 * the serial console (kernel and init messages, QEMU's own errors) when it never finished.
 */
export function vmFailure(r: VmResult): string | undefined {
  if (r.exitCode === 0) return undefined;
  if (r.exitCode !== undefined) return `the command exited with ${r.exitCode}; its output:\n${r.output}`;
  const why = r.timedOut ? 'the VM did not finish in time' : 'the VM stopped before the command finished';
  return `${why} (${r.seconds.toFixed(1)} s); console:\n${r.console}`;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Boots `kernel`, loads the modules, runs the command and powers off. */
export async function runInVm(opts: VmOptions): Promise<VmResult> {
  const work = mkdtempSync(join(tmpdir(), 'nlgen-vm-'));
  try {
    const init = join(work, 'initramfs');
    const shared = join(work, 'shared');
    mkdirSync(shared);
    for (const d of ['bin', 'proc', 'sys', 'dev', 'host', 'mods']) mkdirSync(join(init, d), { recursive: true });
    copyFileSync(which('busybox')!, join(init, 'bin/busybox'));
    const mods = [...bootModules(opts.kernel), ...(opts.insmod ?? [])];
    const names = mods.map((m, i) => {
      const n = `${String(i).padStart(2, '0')}-${basename(m)}`;
      copyFileSync(m, join(init, 'mods', n));
      return n;
    });
    // /tmp stays the host's (read-only; a checkout may live there): TMPDIR points into the guest's tmpfs /run.
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', TMPDIR: '/run/tmp', ...(process.env.CI ? { CI: process.env.CI } : {}), ...opts.env };
    writeFileSync(
      join(shared, 'cmd.sh'),
      `cd ${quote(opts.cwd ?? repoRoot)} || exit 125\nexec env -i ${Object.entries(env).map(([k, v]) => quote(`${k}=${v}`)).join(' ')} ${opts.command.map(quote).join(' ')}\n`,
    );
    const script = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in ${names.join(' ')}; do insmod /mods/$m || echo "nlgen-vm: insmod $m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host || echo "nlgen-vm: cannot mount the host's /"
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mount -t tmpfs run /host/run
mkdir -p /host/run/nlgen-vm /host/run/tmp
mount -t 9p -o trans=virtio,version=9p2000.L shared /host/run/nlgen-vm || echo "nlgen-vm: cannot mount the results share"
echo "nlgen-vm: running the command"
chroot /host /bin/sh /run/nlgen-vm/cmd.sh > /host/run/nlgen-vm/output 2>&1
echo $? > /host/run/nlgen-vm/rc
sync
echo "nlgen-vm: done"
printf '\\000' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
echo o > /proc/sysrq-trigger
`;
    writeFileSync(join(init, 'init'), script);
    chmodSync(join(init, 'init'), 0o755);
    const initrd = join(work, 'initrd.cpio');
    execFileSync('sh', ['-c', `cd ${quote(init)} && find . | cpio -o -H newc --quiet > ${quote(initrd)}`]);

    const args = [
      '-accel', opts.accel ?? process.env.NLGEN_VM_ACCEL ?? 'tcg,thread=multi',
      ...((opts.accel ?? process.env.NLGEN_VM_ACCEL ?? 'tcg').startsWith('kvm') ? ['-cpu', 'host'] : ['-cpu', 'max']),
      '-smp', '2', '-m', String(opts.memoryMb ?? 1024),
      '-nographic', '-no-reboot', '-nodefaults', '-serial', 'stdio',
      '-kernel', opts.kernel.image, '-initrd', initrd,
      '-append', 'console=ttyS0 panic=-1 loglevel=4 rdinit=/init',
      '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
      '-virtfs', `local,path=${shared},mount_tag=shared,security_model=none,multidevs=remap`,
      '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    ];
    const started = process.hrtime.bigint();
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let consoleText = '';
    qemu.stdout.on('data', (b: Buffer) => (consoleText += b.toString('latin1')));
    qemu.stderr.on('data', (b: Buffer) => (consoleText += b.toString('latin1')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      qemu.kill('SIGKILL');
    }, opts.timeoutMs ?? 300_000);
    await new Promise<void>((done) => qemu.on('close', () => done()));
    clearTimeout(timer);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rcFile = join(shared, 'rc');
    const outFile = join(shared, 'output');
    const rc = existsSync(rcFile) ? Number.parseInt(readFileSync(rcFile, 'utf8'), 10) : undefined;
    return {
      exitCode: rc === undefined || Number.isNaN(rc) ? undefined : rc,
      output: existsSync(outFile) ? readFileSync(outFile, 'utf8') : '',
      console: consoleText,
      timedOut,
      seconds,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
