// A dump as an async iterator of batches, over the socket's dump machinery (`startDump`, `nextBatch`, `cancelDump`).
import { SocketClosedError } from '../wire/errors.js';
import type { NetlinkMessage, NetlinkRequest } from '../wire/message.js';
import type { Op } from './op.js';
import type { DumpOptions } from './options.js';

/** What a `DumpIterator` needs of its socket. */
export interface DumpHost {
  readonly closed: boolean;
  startDump(req: NetlinkRequest, opts: DumpOptions | undefined, decode?: (m: NetlinkMessage) => unknown, decodeCopies?: boolean): Op;
  nextBatch(op: Op): Promise<IteratorResult<unknown[]>>;
  cancelDump(op: Op): void;
}

/** Async iterator over a dump's batches; the dump request is sent on the first `next()`. */
export class DumpIterator<T> implements AsyncIterable<T[]>, AsyncIterator<T[]> {
  #op: Op | undefined;
  #done = false;
  constructor(
    private readonly sock: DumpHost,
    private readonly req: NetlinkRequest,
    private readonly opts: DumpOptions | undefined,
    private readonly decode: ((m: NetlinkMessage) => T) | undefined,
    private readonly decodeCopies = false,
  ) {}

  next(): Promise<IteratorResult<T[]>> {
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    if (this.sock.closed && !this.#op) return Promise.reject(new SocketClosedError());
    this.#op ??= this.sock.startDump(this.req, this.opts, this.decode, this.decodeCopies);
    const p = this.sock.nextBatch(this.#op) as Promise<IteratorResult<T[]>>;
    return p.then(
      (r) => {
        if (r.done) this.#done = true;
        return r;
      },
      (e) => {
        this.#done = true;
        throw e;
      },
    );
  }

  return(): Promise<IteratorResult<T[]>> {
    this.#done = true;
    if (this.#op) this.sock.cancelDump(this.#op);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
