// Collects a typed subscription in the background so a test can wait for the notifications its own changes
// cause, in any order, without a deadline: each wait ends when a matching notification has arrived (the test
// timeout bounds a wait that never ends).

/** A notification stream being read into a log; `waitFor` finds entries in it. */
export interface NotificationLog<N> {
  /** Everything received so far, in arrival order (overrun markers included). */
  readonly seen: readonly (N | { name: 'overrun'; count: number })[];
  /**
   * Resolves with the first notification, received at or after position `from` (default 0), that `match`
   * accepts; waits for more if none has arrived yet. Rejects if the stream ends first or overran, since a
   * dropped notification could be the one awaited.
   */
  waitFor(match: (n: N) => boolean, from?: number): Promise<N>;
  /** Ends the subscription. */
  close(): Promise<void>;
}

/**
 * Starts reading a subscription into a log. `subscribe` gets the signal that `close()` aborts (a pending read of
 * an async generator cannot be ended by `return()`, the signal ends it): pass it to the client's `subscribe`.
 */
export function logNotifications<N extends { name: string }>(
  subscribe: (signal: AbortSignal) => AsyncIterable<N | { name: 'overrun'; count: number }>,
): NotificationLog<N> {
  const stop = new AbortController();
  const it = subscribe(stop.signal)[Symbol.asyncIterator]();
  const seen: (N | { name: 'overrun'; count: number })[] = [];
  let waiters: (() => void)[] = [];
  let ended: Error | undefined;
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const pump = (async () => {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) {
          ended ??= new Error('the subscription ended');
          break;
        }
        seen.push(r.value);
        if (r.value.name === 'overrun') ended ??= new Error('notifications were dropped (overrun)');
        wake();
      }
    } catch (e) {
      ended ??= e instanceof Error ? e : new Error(String(e));
    }
    wake();
  })();
  return {
    seen,
    async waitFor(match, from = 0) {
      for (let i = from; ; ) {
        for (; i < seen.length; i++) {
          const n = seen[i]!;
          if (n.name !== 'overrun' && match(n as N)) return n as N;
        }
        if (ended) throw ended;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async close() {
      ended ??= new Error('the subscription was closed');
      stop.abort();
      await pump;
    },
  };
}
