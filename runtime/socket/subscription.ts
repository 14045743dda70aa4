// A multicast subscription: an async iterable of notifications (and overrun markers) with join/leave of groups.
// `Symbol.dispose`/`asyncDispose` in our declarations: the lib reference lets them type-check under any `lib`/`types`.
/// <reference lib="esnext.disposable" preserve="true" />
import type { NetlinkMessage } from '../wire/message.js';

/**
 * Yielded by a subscription when the kernel dropped notifications because the socket's receive buffer was full
 * (ENOBUFS). Receiving continues after it; a consumer that mirrors kernel state should resynchronise (dump again).
 * Tell it apart from a message by `kind === 'overrun'`.
 */
export interface SubscriptionOverrun {
  readonly kind: 'overrun';
  /** Number of overruns reported on this subscription so far (this one included). */
  readonly count: number;
}

/** What a subscription yields: a notification message (`kind: 'message'`) or an overrun marker. */
export type SubscriptionEvent = NetlinkMessage | SubscriptionOverrun;

/** The socket side of a subscription (implemented by NetlinkSocket). */
export interface SubscriptionHost {
  joinGroup(sub: Subscription, group: number): void;
  leaveGroup(sub: Subscription, group: number): void;
  endSubscription(sub: Subscription): void;
  resumeIfDrained(): void;
}

/**
 * What the runtime needs of an `AbortSignal` (structurally, so its declarations need neither the DOM lib nor
 * @types/node; Node's AbortSignal fits).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Options of `NetlinkSocket.subscribe`. */
export interface SubscribeOptions {
  /** Ends the subscription (iteration finishes normally). */
  signal?: AbortSignalLike;
  /**
   * Events buffered in JS before the socket stops reading (the kernel buffer then fills and reports an overrun).
   * Default 65536.
   */
  maxQueued?: number;
}

/**
 * Notifications of the joined multicast groups, in arrival order, as an async iterable. Group 0 stands for unicast
 * messages nobody asked for (e.g. sent by other processes to this port). Ending the iteration (`break`), `close()`,
 * or the signal leaves the groups.
 */
export class Subscription implements AsyncIterable<SubscriptionEvent> {
  readonly #host: SubscriptionHost;
  readonly #groups = new Set<number>();
  #queue: SubscriptionEvent[] = [];
  #head = 0;
  #waiter: ((r: IteratorResult<SubscriptionEvent>) => void) | undefined;
  #failWaiter: ((e: unknown) => void) | undefined;
  #error: unknown;
  #ended = false;
  #overruns = 0;
  #signal?: AbortSignalLike;
  readonly #onAbort = (): void => this.close();
  /** Events buffered before the socket pauses reading. */
  readonly maxQueued: number;

  /** Created by `NetlinkSocket.subscribe`. */
  constructor(host: SubscriptionHost, opts: SubscribeOptions = {}) {
    this.#host = host;
    this.maxQueued = opts.maxQueued ?? 65536;
    if (opts.signal) {
      this.#signal = opts.signal;
      opts.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** Groups currently joined by this subscription. */
  get groups(): ReadonlySet<number> {
    return this.#groups;
  }

  /** Overruns reported so far. */
  get overruns(): number {
    return this.#overruns;
  }

  /** Events waiting to be consumed. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Whether the subscription has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Joins a multicast group (a number; genl group names are resolved by `subscribeGenl`). */
  join(group: number): void {
    if (this.#ended || this.#groups.has(group)) return;
    this.#host.joinGroup(this, group);
    this.#groups.add(group);
  }

  /** Leaves a multicast group. */
  leave(group: number): void {
    if (!this.#groups.delete(group)) return;
    this.#host.leaveGroup(this, group);
  }

  /** Whether this subscription receives datagrams sent to `group`. */
  wants(group: number): boolean {
    return this.#groups.has(group);
  }

  /** Ends the subscription: leaves its groups; a pending `next()` resolves as done. */
  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const g of this.#groups) this.#host.leaveGroup(this, g);
    this.#groups.clear();
    this.#host.endSubscription(this);
    this.#queue = [];
    this.#head = 0;
    const w = this.#waiter;
    this.#waiter = this.#failWaiter = undefined;
    w?.({ value: undefined, done: true });
  }

  /** @internal Delivers a message; returns true when the queue is full (the socket should pause). */
  push(ev: SubscriptionEvent): boolean {
    if (this.#ended) return false;
    const w = this.#waiter;
    if (w) {
      this.#waiter = this.#failWaiter = undefined;
      w({ value: ev, done: false });
      return false;
    }
    this.#queue.push(ev);
    return this.#queue.length - this.#head >= this.maxQueued;
  }

  /** @internal Reports an overrun (ENOBUFS). */
  overrun(): boolean {
    this.#overruns++;
    return this.push({ kind: 'overrun', count: this.#overruns });
  }

  /** @internal Fails the subscription (socket error or malformed datagram); queued events are delivered first. */
  fail(err: unknown): void {
    if (this.#ended) return;
    this.#error = err;
    const f = this.#failWaiter;
    if (f) {
      this.#waiter = this.#failWaiter = undefined;
      this.close();
      f(err);
    }
  }

  /** Next event, waiting if none is buffered. */
  next(): Promise<IteratorResult<SubscriptionEvent>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head++];
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
      } else if (this.#head >= 4096 && this.#head * 2 >= this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      if (this.#queue.length - this.#head < this.maxQueued >> 1) this.#host.resumeIfDrained();
      return Promise.resolve({ value, done: false });
    }
    if (this.#error !== undefined) {
      const err = this.#error;
      this.close();
      return Promise.reject(err);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    this.#host.resumeIfDrained();
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failWaiter = reject;
    });
  }

  /** Ends the subscription when a `for await` loop exits early. */
  return(): Promise<IteratorResult<SubscriptionEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionEvent> {
    return this;
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
