// The only module that talks to koffi: libc socket calls, setns, errno, and libuv's uv_poll from the running node binary.
// Nothing here blocks: sockets are non-blocking and receives pass MSG_DONTWAIT. One call (recvmmsgInBackground) may
// run on libuv's threadpool so that the kernel builds the next part of a dump while JS handles the last one.
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Koffi from 'koffi';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');

/**
 * koffi's native addon, opened straight from its prebuilt package (beside koffi, or inside it) when that is koffi's
 * own version on a glibc process (what the runtime binds anyway: libc.so.6); else koffi as koffi loads itself.
 * koffi's entry finds the libc by reading the node binary's ELF headers and wraps deprecated calls the runtime does
 * not use; skipping that, and CommonJS resolution, is ~10 ms of every short-lived process's start (measured on
 * `nlgen do`). Any doubt takes the normal path.
 */
function loadKoffi(): typeof Koffi {
  try {
    const dir = dirname(fileURLToPath(import.meta.resolve('koffi')));
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    const addon = join('@koromix', `koffi-${process.platform}-${process.arch}`, `${process.platform}_${process.arch}`, 'koffi.node');
    if (typeof version === 'string' && readFileSync('/proc/self/maps', 'latin1').includes('/libc.so.6')) {
      for (const file of [join(dir, '..', addon), join(dir, 'node_modules', addon)]) {
        if (!existsSync(file)) continue;
        const m = { exports: {} as typeof Koffi & { version?: unknown } };
        process.dlopen(m, file);
        if (m.exports.version === version) return m.exports;
        break;
      }
    }
  } catch {
    // The package layout is koffi's to change: fall through to its own loader.
  }
  return process.getBuiltinModule('node:module').createRequire(import.meta.url)('koffi') as typeof Koffi;
}

const koffi = loadKoffi();

if (process.platform !== 'linux') throw new Error('nlgen runtime: netlink sockets exist only on Linux');
// Netlink headers are host-endian; the runtime (and the code generated on top of it) reads them little-endian.
if (endianness() !== 'LE') throw new Error('nlgen runtime: big-endian hosts are not supported');
// The native structs below are laid out for LP64 (8-byte pointers and size_t).
if (koffi.sizeof('void *') !== 8) throw new Error('nlgen runtime: a 64-bit platform is required');

/** Address family, socket types and flags used to open netlink sockets. */
export const AF_NETLINK = 16;
/** Raw socket type (netlink accepts SOCK_RAW and SOCK_DGRAM alike). */
export const SOCK_RAW = 3;
/** Open the socket non-blocking. */
export const SOCK_NONBLOCK = 0o4000;
/** Close the socket on exec. */
export const SOCK_CLOEXEC = 0o2000000;
/** recv flags. */
export const MSG_PEEK = 0x2;
/** recv flag: return the real datagram length even when it did not fit (netlink honours it). */
export const MSG_TRUNC = 0x20;
/** recv flag: do not block. */
export const MSG_DONTWAIT = 0x40;
/** Socket-level options. */
export const SOL_SOCKET = 1;
/** Send buffer size option. */
export const SO_SNDBUF = 7;
/** Receive buffer size option (the kernel doubles the value and caps it at rmem_max). */
export const SO_RCVBUF = 8;
/** Receive buffer size option that ignores rmem_max (needs CAP_NET_ADMIN). */
export const SO_RCVBUFFORCE = 33;
/** Netlink-level socket options. */
export const SOL_NETLINK = 270;
/** Join a multicast group. */
export const NETLINK_ADD_MEMBERSHIP = 1;
/** Leave a multicast group. */
export const NETLINK_DROP_MEMBERSHIP = 2;
/** Deliver the destination multicast group of each datagram as a control message. */
export const NETLINK_PKTINFO = 3;
/** Suppress ENOBUFS overrun reports. */
export const NETLINK_NO_ENOBUFS = 5;
/** Do not echo the request payload inside error messages. */
export const NETLINK_CAP_ACK = 10;
/** Extended ACK: error strings, offsets, policies. */
export const NETLINK_EXT_ACK = 11;
/** Strict validation of dump requests. */
export const NETLINK_GET_STRICT_CHK = 12;
/** setns() namespace type for network namespaces. */
export const CLONE_NEWNET = 0x40000000;

/** errno values the runtime reacts to. */
export const EINTR = 4;
/** Try again (no datagram queued). */
export const EAGAIN = 11;
/** Operation not permitted. */
export const EPERM = 1;
/** Receive buffer overrun: datagrams were dropped. */
export const ENOBUFS = 105;

const libc = koffi.load('libc.so.6');
const self = koffi.load(null);

/** libc calls bound through koffi. Pointer arguments accept typed arrays (passed by address) or native pointers. */
export const sys = {
  socket: libc.func('int socket(int domain, int type, int protocol)') as (d: number, t: number, p: number) => number,
  bind: libc.func('int bind(int fd, const void *addr, uint32_t len)') as (fd: number, a: Uint8Array, l: number) => number,
  getsockname: libc.func('int getsockname(int fd, void *addr, _Inout_ uint32_t *len)') as (
    fd: number,
    a: Uint8Array,
    l: number[],
  ) => number,
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)') as (
    fd: number,
    level: number,
    name: number,
    val: Int32Array,
    len: number,
  ) => number,
  getsockopt: libc.func('int getsockopt(int fd, int level, int name, void *val, _Inout_ uint32_t *len)') as (
    fd: number,
    level: number,
    name: number,
    val: Int32Array,
    len: number[],
  ) => number,
  send: libc.func('long send(int fd, const void *buf, size_t len, int flags)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
  ) => number,
  /** `send` from native memory given by address (a number below 2^53): no BigInt to convert per call. */
  sendAt: libc.func('long send(int fd, uintptr_t buf, size_t len, int flags)') as (
    fd: number,
    buf: number,
    len: number,
    flags: number,
  ) => number,
  sendmsg: libc.func('long sendmsg(int fd, void *msg, int flags)') as (fd: number, msg: bigint, flags: number) => number,
  recv: libc.func('long recv(int fd, void *buf, size_t len, int flags)') as (
    fd: number,
    buf: Uint8Array,
    len: number,
    flags: number,
  ) => number,
  /** `recv` into native memory given by address: no msghdr for the kernel to read or write back. */
  recvAt: libc.func('long recv(int fd, uintptr_t buf, size_t len, int flags)') as (
    fd: number,
    buf: number,
    len: number,
    flags: number,
  ) => number,
  connect: libc.func('int connect(int fd, const void *addr, uint32_t len)') as (fd: number, a: Uint8Array, l: number) => number,
  recvmsg: libc.func('long recvmsg(int fd, void *msg, int flags)') as (fd: number, msg: bigint, flags: number) => number,
  recvmmsg: libc.func('int recvmmsg(int fd, uintptr_t msgvec, unsigned int vlen, int flags, uintptr_t timeout)') as KoffiAsyncable<
    (fd: number, msgvec: number, vlen: number, flags: number, timeout: number) => number
  >,
  close: libc.func('int close(int fd)') as (fd: number) => number,
  setns: libc.func('int setns(int fd, int nstype)') as (fd: number, nstype: number) => number,
};

/** A bound function that can also run on libuv's threadpool (koffi's `.async`: the result arrives in a callback). */
type KoffiAsyncable<F extends (...args: never[]) => number> = F & {
  async(...args: [...Parameters<F>, (err: unknown, result: number) => void]): void;
};

/**
 * Runs recvmmsg(fd, msgvec, vlen, flags, NULL) on one of libuv's threadpool threads and calls `done(n, errno)` back
 * on the main thread. The socket must be non-blocking and `flags` must hold MSG_DONTWAIT: the call never parks a
 * thread, it returns as soon as the queued datagrams are taken (koffi hands the worker's errno back).
 */
export function recvmmsgInBackground(fd: number, msgvec: number, vlen: number, flags: number, done: (n: number, err: number) => void): void {
  sys.recvmmsg.async(fd, msgvec, vlen, flags, 0, (err: unknown, n: number) => {
    // Like the poll callback: nothing may escape into koffi.
    try {
      if (err) throw err;
      done(n, n < 0 ? koffi.errno() : 0);
    } catch (e) {
      process.nextTick(() => {
        throw e;
      });
    }
  });
}

const strerrorFn = libc.func('const char *strerror(int errnum)') as (n: number) => string;

// memset with a zero length writes nothing and returns its first argument: koffi hands a typed array's own
// memory to C, so this yields that memory's address.
const memsetAddr = libc.func('uintptr_t memset(void *s, int c, size_t n)') as (s: Uint8Array, c: number, n: number) => number;

/**
 * Address of the first byte of `bytes` (a view of an ArrayBuffer made with `new ArrayBuffer`, whose memory V8
 * keeps outside its heap and never moves). Valid while the buffer is reachable; C may write there meanwhile.
 */
export function addressOf(bytes: Uint8Array): number {
  return memsetAddr(bytes, 0, 0);
}

/** errno of the last failed libc call made through these bindings. */
export function errno(): number {
  return koffi.errno();
}

/** The C library's description of an errno value ("File exists"). */
export function strerror(n: number): string {
  return strerrorFn(n);
}

/** Native memory that never moves: `ptr` for C, `bytes`/`view` for JS (same memory). */
export interface NativeBlock {
  readonly ptr: bigint;
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

/**
 * Allocates `size` bytes of native memory, zeroed unless `zeroed` is false: receive areas, which the runtime reads
 * only as far as the kernel wrote, skip it (zeroing a dump's receive sets touched megabytes of fresh pages first).
 * Release with `freeNative`.
 */
export function allocNative(size: number, zeroed = true): NativeBlock {
  const ptr = koffi.alloc('uint8_t', size) as bigint;
  const ab = koffi.view(ptr, size);
  const bytes = new Uint8Array(ab);
  if (zeroed) bytes.fill(0);
  return { ptr: koffi.address(ptr), bytes, view: new DataView(ab) };
}

/** Frees a block from `allocNative`; its views must not be used afterwards. */
export function freeNative(block: NativeBlock): void {
  koffi.free(block.ptr);
}

// ---- libuv (exported by the node binary itself) ----

/** uv_poll event bit: readable. */
export const UV_READABLE = 1;
/** uv_handle_type of uv_poll_t. */
const UV_POLL = 8;

const PollCb = koffi.proto('void nlgen_uv_poll_cb(uintptr_t handle, int status, int events)');
const CloseCb = koffi.proto('void nlgen_uv_close_cb(uintptr_t handle)');

/** libuv calls on the main thread's default loop. Handles are native pointers (bigint). */
export const uv = {
  defaultLoop: self.func('void *uv_default_loop()') as () => bigint,
  handleSize: self.func('size_t uv_handle_size(int type)') as (t: number) => number,
  pollInit: self.func('int uv_poll_init(void *loop, void *handle, int fd)') as (
    loop: bigint,
    h: bigint,
    fd: number,
  ) => number,
  pollStart: self.func('int uv_poll_start(void *handle, int events, nlgen_uv_poll_cb *cb)') as (
    h: bigint,
    events: number,
    cb: bigint,
  ) => number,
  pollStop: self.func('int uv_poll_stop(void *handle)') as (h: bigint) => number,
  close: self.func('void uv_close(void *handle, nlgen_uv_close_cb *cb)') as (h: bigint, cb: bigint) => void,
  ref: self.func('void uv_ref(void *handle)') as (h: bigint) => void,
  unref: self.func('void uv_unref(void *handle)') as (h: bigint) => void,
  strerror: self.func('const char *uv_strerror(int err)') as (err: number) => string,
};

/** uv_handle_size(UV_POLL): bytes to allocate for one uv_poll_t. */
export const UV_POLL_SIZE: number = uv.handleSize(UV_POLL);

/**
 * Registers the process-wide poll and close callbacks (one pair for all sockets, so the 8192-slot callback table is
 * never exhausted and nothing needs unregistering per socket). `handle` arrives as a plain number (its address).
 */
export function registerUvCallbacks(
  onPoll: (handle: number, status: number, events: number) => void,
  onClose: (handle: number) => void,
): { poll: bigint; close: bigint; unregister(): void } {
  const poll = koffi.register(onPoll, koffi.pointer(PollCb));
  const close = koffi.register(onClose, koffi.pointer(CloseCb));
  return {
    poll,
    close,
    unregister() {
      koffi.unregister(poll);
      koffi.unregister(close);
    },
  };
}
