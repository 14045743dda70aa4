// A transport in place of the kernel: a `NetlinkSocket` opened with `{ transport }` sends its datagrams to it and
// reads its datagrams from it, through the very same framing, matching, batching, dump and subscription code as a
// kernel socket. The mock kernel (runtime/mock/) is one; a test double of your own can be another.
import type { PollTarget } from '../transport/poll.js';

/** A datagram a transport hands to the socket: its bytes and the multicast group it was sent to (0: unicast). */
export interface TransportDatagram {
  data: Uint8Array<ArrayBuffer>;
  group: number;
}

/** What a socket needs from the other end when that end is not the kernel. */
export interface NetlinkTransport {
  /** The port id the "kernel" gave this socket (the socket puts it in every request's header). */
  readonly portid: number;
  /**
   * What stands for the network namespace: sockets with the same one share what is cached per namespace (generic
   * netlink family ids). One per mock kernel.
   */
  readonly netnsId: string;
  /** Takes one datagram the socket sends: one or more complete netlink messages. */
  send(datagram: Uint8Array): void;
  /**
   * The next datagram for the socket; `undefined` when none is queued, or a negative errno to report instead (for
   * example `-ENOBUFS`, an overrun).
   */
  receive(): TransportDatagram | number | undefined;
  /** Datagrams (and errors) queued for the socket. */
  readonly queued: number;
  /** The socket joins (`true`) or leaves a multicast group. */
  membership(group: number, joined: boolean): void;
  /** Registers the function to call when datagrams are queued for the socket (called at most once). */
  onReadable(wake: () => void): void;
  /** The socket closed. */
  close(): void;
  /** Called once when a socket opens on the transport, with the netlink protocol it was opened for. */
  bind?(protocol: number): void;
}

/** Sees every datagram a socket sends and every one it receives from the kernel (`open({ record })`). */
export interface SocketRecorder {
  sent(datagram: Uint8Array): void;
  received(datagram: Uint8Array, group: number): void;
}

let defaultTransport: ((protocol: number) => NetlinkTransport) | undefined;

/**
 * Makes every socket opened without a `transport` (generated clients' `open()` included) use one from `factory`
 * instead of the kernel, until called with `undefined`: what `MockKernel.install()` does, so that code under test that
 * opens its own clients talks to the mock unchanged.
 */
export function setDefaultTransport(factory: ((protocol: number) => NetlinkTransport) | undefined): void {
  defaultTransport = factory;
}

/** The transport a socket of `protocol` opens on: the one asked for, else the installed default, else none. */
export function transportFor(protocol: number, asked: NetlinkTransport | undefined): NetlinkTransport | undefined {
  const t = asked ?? defaultTransport?.(protocol);
  t?.bind?.(protocol);
  return t;
}

/** What the socket's readiness watcher does, for a kernel socket (`Poller`) or a transport (`TransportPoller`). */
export interface ReadinessWatcher {
  readonly started: boolean;
  start(): void;
  stop(): void;
  markStopped(): void;
  ref(): void;
  unref(): void;
  close(): void;
}

/**
 * Readiness of a transport: when the transport has datagrams queued and reading is started, the socket's `onPoll` runs
 * in a later task (as the kernel's readiness would arrive from libuv). While referenced it keeps the event loop
 * alive, as a pending request on a kernel socket does.
 */
export class TransportPoller implements ReadinessWatcher {
  #started = false;
  #scheduled = false;
  #closed = false;
  #keepAlive: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly transport: NetlinkTransport,
    private readonly target: PollTarget,
  ) {
    transport.onReadable(() => this.#schedule());
    // Watching from the start, as a kernel socket's poll handle does.
    this.#started = true;
  }

  get started(): boolean {
    return this.#started;
  }

  start(): void {
    if (this.#closed) return;
    this.#started = true;
    this.#schedule();
  }

  stop(): void {
    this.#started = false;
  }

  markStopped(): void {
    this.#started = false;
  }

  ref(): void {
    if (this.#closed || this.#keepAlive) return;
    this.#keepAlive = setInterval(() => {}, 1 << 30);
  }

  unref(): void {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  close(): void {
    this.#closed = true;
    this.#started = false;
    this.unref();
  }

  /** Runs `onPoll` in a later task while reading is started and something is queued (level-triggered, as uv_poll). */
  #schedule(): void {
    if (this.#scheduled || !this.#started || this.#closed || this.transport.queued === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#started || this.#closed) return;
      this.target.onPoll(0, 1);
      this.#schedule();
    });
  }
}
