// Live-kernel test support: throwaway network namespaces and the gate that decides whether live tests run.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root';
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (ip.status !== 0) return 'iproute2 `ip` is not installed';
  const name = `nlgen-probe-${randomBytes(4).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.status !== 0) return `cannot create a network namespace: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', name]);
  return undefined;
}

let cached: { reason: string | undefined } | undefined;

/**
 * Why live-kernel tests cannot run here, or undefined when they can. Under CI=true an unusable
 * machine is a failure: this throws instead of letting the tests skip.
 */
export function liveSkipReason(): string | undefined {
  cached ??= { reason: probe() };
  const { reason } = cached;
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') throw new Error(`live-kernel tests cannot run (${reason}); CI=true requires them`);
  console.warn(`SKIP live-kernel tests: ${reason}`);
  return reason;
}

/** A network namespace created for one test; `dispose()` deletes it (idempotent). */
export interface TestNetns {
  readonly name: string;
  /** Runs a command inside the namespace (`ip netns exec`), returns stdout; throws on failure. */
  exec(cmd: string, args: string[], input?: string): string;
  /** Runs `ip -n NAME ...args` and returns stdout. */
  ip(...args: string[]): string;
  /** Runs `ip -n NAME -j ...args` and parses the JSON it prints. */
  ipJson<T = unknown>(...args: string[]): T;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Creates a uniquely named namespace with loopback up. Tests must dispose it in `finally`/`afterAll`. */
export function createNetns(prefix = 'nlgen'): TestNetns {
  const name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  let gone = false;
  const ns: TestNetns = {
    name,
    exec(cmd, args, input) {
      return execFileSync('ip', ['netns', 'exec', name, cmd, ...args], {
        encoding: 'utf8',
        input,
        maxBuffer: 1 << 30,
      });
    },
    ip(...args) {
      return execFileSync('ip', ['-n', name, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    },
    ipJson(...args) {
      const out = execFileSync('ip', ['-n', name, '-j', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
      return JSON.parse(out.trim() === '' ? '[]' : out);
    },
    dispose() {
      if (gone) return;
      gone = true;
      spawnSync('ip', ['netns', 'del', name]);
    },
    [Symbol.dispose]() {
      ns.dispose();
    },
  };
  try {
    ns.ip('link', 'set', 'lo', 'up');
  } catch (e) {
    ns.dispose();
    throw e;
  }
  return ns;
}
