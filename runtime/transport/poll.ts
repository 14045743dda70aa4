// Watching a file descriptor with libuv's uv_poll on the main thread's loop: no threads, nothing blocks.
import { allocNative, freeNative, type NativeBlock, registerUvCallbacks, uv, UV_POLL_SIZE, UV_READABLE } from '../sys/ffi.js';

/** What a poller reports to: called on the main thread from inside libuv; must not throw (errors are caught anyway). */
export interface PollTarget {
  /** `status` < 0 means libuv saw an error condition (e.g. ENOBUFS) and stopped the handle. */
  onPoll(status: number, events: number): void;
}

const live = new Map<number, Poller>();
const closing = new Map<number, NativeBlock>();
let callbacks: ReturnType<typeof registerUvCallbacks> | undefined;
let loop: bigint | undefined;

// Node runs the promise jobs and nextTick callbacks that JS queues when a callback Node itself made returns; a call
// from libuv through koffi is not one. Node 20–24 still ran them as that call returned, Node 26 does not: a reply or
// notification read here resolved its promise, but the code awaiting it ran only when something else woke the loop
// (measured: notifications 300 ms apart arrived all at once when an unrelated child exited; a flood test waited
// 23 s for a timer). An immediate, whose callback Node makes, runs them in the same turn of the loop: one per turn.
let flushPending = false;
const flushed = (): void => {
  flushPending = false;
};
function runQueuedJobs(): void {
  if (flushPending) return;
  flushPending = true;
  setImmediate(flushed);
}

function dispatchPoll(handle: number, status: number, events: number): void {
  // An exception escaping a koffi callback surfaces later in an unrelated call and can kill the process:
  // catch everything here and rethrow outside the callback.
  try {
    live.get(handle)?.target.onPoll(status, events);
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  } finally {
    runQueuedJobs();
  }
}

function dispatchClose(handle: number): void {
  try {
    const mem = closing.get(handle);
    closing.delete(handle);
    if (mem) freeNative(mem);
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  } finally {
    runQueuedJobs();
  }
}

/**
 * One uv_poll_t watching a non-blocking fd for readability. Reading is started at once; `ref()`/`unref()` decide
 * whether the handle keeps the process alive. `close()` stops it; the native handle is freed by libuv's close callback.
 */
export class Poller {
  readonly #mem: NativeBlock;
  readonly #addr: number;
  #started = false;
  #referenced = true;
  #closed = false;

  /** Starts watching `fd` (libuv makes it non-blocking). Throws when libuv refuses (e.g. the fd is already watched). */
  constructor(
    readonly fd: number,
    readonly target: PollTarget,
  ) {
    callbacks ??= registerUvCallbacks(dispatchPoll, dispatchClose);
    loop ??= uv.defaultLoop();
    this.#mem = allocNative(UV_POLL_SIZE);
    this.#addr = Number(this.#mem.ptr);
    const rc = uv.pollInit(loop, this.#mem.ptr, fd);
    if (rc !== 0) {
      freeNative(this.#mem);
      throw new Error(`uv_poll_init failed: ${uv.strerror(rc)}`);
    }
    live.set(this.#addr, this);
    this.start();
  }

  /** Whether readability is being watched. */
  get started(): boolean {
    return this.#started;
  }

  /** (Re)starts watching; also re-arms the handle after libuv stopped it on an error. */
  start(): void {
    if (this.#closed) return;
    const rc = uv.pollStart(this.#mem.ptr, UV_READABLE, callbacks!.poll);
    if (rc !== 0) throw new Error(`uv_poll_start failed: ${uv.strerror(rc)}`);
    this.#started = true;
  }

  /** Stops watching (backpressure); an inactive handle never keeps the process alive. */
  stop(): void {
    if (this.#closed || !this.#started) return;
    uv.pollStop(this.#mem.ptr);
    this.#started = false;
  }

  /** Records that libuv stopped the handle itself (it does so before reporting an error status). */
  markStopped(): void {
    this.#started = false;
  }

  /** Lets the handle keep the process alive (something is pending). */
  ref(): void {
    if (this.#closed || this.#referenced) return;
    uv.ref(this.#mem.ptr);
    this.#referenced = true;
  }

  /** Lets the process exit although the handle is active (nothing is pending). */
  unref(): void {
    if (this.#closed || !this.#referenced) return;
    uv.unref(this.#mem.ptr);
    this.#referenced = false;
  }

  /** Stops and closes the handle. The fd may be closed right after this returns (libuv dropped it from epoll). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    uv.pollStop(this.#mem.ptr);
    live.delete(this.#addr);
    closing.set(this.#addr, this.#mem);
    uv.close(this.#mem.ptr, callbacks!.close);
  }
}

/** Number of pollers open and handles still closing (for leak checks in tests). */
export function pollerStats(): { open: number; closing: number } {
  return { open: live.size, closing: closing.size };
}
