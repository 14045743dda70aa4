// Running a synchronous function inside another network namespace and always coming back.
import { CLONE_NEWNET, errno, sys } from '../sys/ffi.js';
import { NlgenError, SystemError } from '../wire/errors.js';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { closeSync, fstatSync, openSync, constants: fsc } = process.getBuiltinModule('node:fs');

/** A network namespace: a name under /run/netns, a path to an nsfs file (contains '/'), or an open fd. */
export type NetnsSpec = string | number;

/** The calling thread's namespace file (the main thread is the one that runs JS). */
const SELF_NS = '/proc/thread-self/ns/net';

/** Resolves a name to its path under /run/netns; paths and fds pass through. */
export function netnsPath(spec: string): string {
  return spec.includes('/') ? spec : `/run/netns/${spec}`;
}

/** A stable identity of a network namespace (`dev:inode` of its nsfs file), used as a cache key. */
export function netnsIdOfFd(fd: number): string {
  const st = fstatSync(fd, { bigint: true });
  return `${st.dev}:${st.ino}`;
}

/** Identity of the namespace the calling thread is in now. */
export function currentNetnsId(): string {
  const fd = openSync(SELF_NS, fsc.O_RDONLY);
  try {
    return netnsIdOfFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** Returned by `inNetns`: fn's result and the identity of the namespace it ran in. */
export interface InNetnsResult<T> {
  value: T;
  netnsId: string;
}

/** The thread could not return to its original namespace (it should not keep running netlink code). */
export class NetnsRestoreError extends NlgenError {
  override name = 'NetnsRestoreError';
}

/**
 * Runs `fn` with the calling thread switched into `spec`'s network namespace and switches back before returning or
 * throwing. Everything is synchronous, so no other JS can run while the thread is in the other namespace. Sockets
 * created by `fn` stay bound to that namespace.
 */
export function inNetns<T>(spec: NetnsSpec | undefined, fn: () => T): InNetnsResult<T> {
  if (spec === undefined) return { value: fn(), netnsId: currentNetnsId() };
  const own = openSync(SELF_NS, fsc.O_RDONLY);
  let target = -1;
  try {
    target = typeof spec === 'number' ? spec : openSync(netnsPath(spec), fsc.O_RDONLY);
    const netnsId = netnsIdOfFd(target);
    if (sys.setns(target, CLONE_NEWNET) !== 0) throw new SystemError(`setns(${describe(spec)})`, errno());
    let value: T;
    try {
      value = fn();
    } finally {
      if (sys.setns(own, CLONE_NEWNET) !== 0) {
        const e = errno();
        // Staying in the wrong namespace would silently misroute every later socket: stop the process.
        const err = new NetnsRestoreError(`cannot return to the original network namespace (errno ${e})`);
        process.nextTick(() => {
          throw err;
        });
        // eslint-disable-next-line no-unsafe-finally
        throw err;
      }
    }
    return { value, netnsId };
  } catch (err) {
    if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).syscall === 'open') {
      const code = (err as NodeJS.ErrnoException).code;
      throw new NlgenError(`network namespace ${describe(spec)} cannot be opened: ${code}`);
    }
    throw err;
  } finally {
    if (typeof spec !== 'number' && target >= 0) closeSync(target);
    closeSync(own);
  }
}

function describe(spec: NetnsSpec): string {
  return typeof spec === 'number' ? `fd ${spec}` : `'${spec}'`;
}
