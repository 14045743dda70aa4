// `nlgen do`, `nlgen dump` and `nlgen subscribe`: a family's ops from the shell, through the family's generated
// client (the same encoders, validators and decoders a typed app runs). Requests come as JSON; replies and
// notifications go out as JSON lines (or YAML text); errors are one line each with the documented exit code.
import { once } from 'node:events';
import { acceptJsonValues, NetlinkError, NlgenError, ValidationError, type TypedDump } from '@nlgen/runtime';
import { camelCase } from '../names.js';
import { findFamily, type FamilyOptions } from './family-source.js';
import { loadFamilyModule, type FamilyModule } from './family-module.js';
import { printerFor, type OutputFormat } from './json-output.js';
import { stderr, stdout } from './process-streams.js';
import { EXIT_FAILED, EXIT_USAGE, ToolError } from './tool-error.js';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { writeSync } = process.getBuiltinModule('node:fs');

/** Where a family command writes: `write` may wait for the consumer (a pipe) to take what was written. */
export interface ToolOutput {
  write(text: string): void | Promise<void>;
  /** Bytes written as `write` would; the caller may reuse `chunk` once the returned promise settles. */
  writeBytes?(chunk: Uint8Array): void | Promise<void>;
  err(text: string): void;
}

/** Options shared by do, dump and subscribe, as parsed from the command line. */
export interface OpOptions extends FamilyOptions {
  json?: string;
  netns?: string;
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
  /** Stop after this many replies or notifications. */
  count?: number;
  output: OutputFormat;
  create?: boolean;
  excl?: boolean;
  replace?: boolean;
  append?: boolean;
  echo?: boolean;
  /** Keep attributes the spec does not know under `$unknown` (default) or fail on them. */
  strictDecoding?: boolean;
  /** `--multi OP JSON` pairs, sent as one batch. */
  multi?: [op: string, json: string][];
  /** `--dbg-small-recv`: bytes offered per receive; each datagram's size and message count go to stderr. */
  receiveLimit?: number;
}

/** Parses `--json`; JSON keys may be the client's property names or the spec's hyphenated names. */
export function parseRequest(text: string | undefined, what: string): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ToolError(`${what}: not JSON: ${(e as Error).message}`, EXIT_USAGE);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ToolError(`${what}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, EXIT_USAGE);
  return camelKeys(value) as Record<string, unknown>;
}

/** `ifi-index` → `ifiIndex` in every object key (values, such as enum names, stay as written). */
function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = k.includes('-') ? k.replace(/-+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase()) : k;
    Object.defineProperty(out, key, { value: camelKeys(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The method of `op` in `mode`, or a ToolError listing what the family has. */
function methodOf(mod: FamilyModule, op: string, mode: 'do' | 'dump'): string {
  const row = mod.info.operations.find(([name, doM, dumpM]) => name === op || doM === op || (dumpM !== null && dumpM === `${op}Dump`));
  if (row === undefined) {
    const names = mod.info.operations.map(([n]) => n).join(', ');
    throw new ToolError(`${mod.info.name} has no op "${op}"; its ops: ${names || '(none)'}`, EXIT_USAGE);
  }
  const m = mode === 'do' ? row[1] : row[2];
  if (m === null) throw new ToolError(`${mod.info.name} op "${row[0]}" has no ${mode} (it has ${row[1] ? 'do' : 'dump'}; use nlgen ${row[1] ? 'do' : 'dump'})`, EXIT_USAGE);
  return m;
}

/** An error from the client as one line and an exit code. */
export function reportError(e: unknown, what: string): ToolError {
  if (e instanceof ToolError) return e;
  if (e instanceof ValidationError) return new ToolError(`${what}: bad request: ${e.path || '(request)'}: ${e.reason} (nothing was sent)`, EXIT_USAGE);
  // A NetlinkError from a client already names family and op.
  if (e instanceof NetlinkError) return new ToolError(`${e.op === undefined ? `${what}: ` : ''}${e.message}${e.path ? ` (at ${e.path})` : ''}`, EXIT_FAILED);
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return new ToolError(`${what}: timed out`, EXIT_FAILED);
  if (e instanceof NlgenError) return new ToolError(`${what}: ${e.message}`, EXIT_FAILED);
  throw e;
}

async function openClient(mod: FamilyModule, o: OpOptions, out: ToolOutput): Promise<Record<string, unknown> & { close(): void }> {
  try {
    return await mod.client.open({
      ...(o.netns !== undefined ? { netns: o.netns } : {}),
      strictDecoding: o.strictDecoding === true,
      ...(o.receiveLimit !== undefined ? { receiveLimit: o.receiveLimit, record: receiveLog(out) } : {}),
    });
  } catch (e) {
    throw reportError(e, `${mod.info.name}: open`);
  }
}

/** `--dbg-small-recv`'s log: one stderr line per datagram received (its size, its messages, its multicast group). */
function receiveLog(out: ToolOutput): { sent(d: Uint8Array): void; received(d: Uint8Array, group: number): void } {
  return {
    sent() {},
    received(d, group) {
      const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
      let messages = 0;
      for (let p = 0; p + 16 <= d.length; messages++) {
        const len = v.getUint32(p, true);
        if (len < 16) break;
        p += (len + 3) & ~3;
      }
      out.err(`recv: ${d.length} bytes, ${messages} message${messages === 1 ? '' : 's'}${group !== 0 ? ` (group ${group})` : ''}\n`);
    },
  };
}

const requestFlags = (o: OpOptions) => ({ create: o.create === true, excl: o.excl === true, replace: o.replace === true, append: o.append === true, echo: o.echo === true });

type Method = (request: unknown, options: Record<string, unknown>) => unknown;

/** `nlgen do OP`: one request, its reply printed (ops answered with an ACK print nothing). */
export async function runDo(op: string, o: OpOptions, out: ToolOutput): Promise<number> {
  const mod = await loadFamilyModule(findFamily(o));
  if (o.multi !== undefined && o.multi.length > 0) return runMulti(mod, o, out);
  const method = methodOf(mod, op, 'do');
  const request = parseRequest(o.json, '--json');
  const print = await printerFor(o.output);
  acceptJsonValues(true);
  const client = await openClient(mod, o, out);
  try {
    const signal = o.timeoutMs !== undefined ? AbortSignal.timeout(o.timeoutMs) : undefined;
    const reply = await (client[method] as Method).call(client, request, { ...requestFlags(o), ...(signal ? { signal } : {}) });
    if (reply !== undefined) await out.write(print(reply));
    return 0;
  } catch (e) {
    throw reportError(e, `${mod.info.name} ${op}`);
  } finally {
    client.close();
  }
}

/**
 * `nlgen do --multi OP JSON …`: every request is validated first (one bad request sends nothing), then all go out
 * together (the socket coalesces them into shared sendmsg calls) and each op's result or error is printed in order.
 */
async function runMulti(mod: FamilyModule, o: OpOptions, out: ToolOutput): Promise<number> {
  const reqs = o.multi!.map(([op, json], i) => ({ op, method: methodOf(mod, op, 'do'), request: parseRequest(json, `--multi ${op} (#${i + 1})`) }));
  const print = await printerFor(o.output);
  acceptJsonValues(true);
  // Every request is checked before any is sent: the same encoders the client runs, without a socket.
  for (const r of reqs) {
    try {
      mod.codecs.operations[camelCase(r.op)]?.do?.encodeRequest(r.request);
    } catch (e) {
      throw reportError(e, `${mod.info.name} ${r.op}`);
    }
  }
  const client = await openClient(mod, o, out);
  try {
    const flags = requestFlags(o);
    if (typeof client.transaction === 'function') return await runAtomic(mod, client, reqs, flags, print, out);
    const batch = client.batch as (build: (c: unknown) => Iterable<Promise<unknown>>) => Promise<unknown[]>;
    const outcomes = await batch.call(client, (c) => reqs.map((r) => (c as Record<string, Method>)[r.method]!.call(c, r.request, flags) as Promise<unknown>));
    let failed = 0;
    for (let i = 0; i < reqs.length; i++) {
      const r = reqs[i]!;
      const x = outcomes[i];
      if (x instanceof Error) {
        failed++;
        await out.write(print(errorLine(r.op, x, mod.info.name)));
      } else await out.write(print({ op: r.op, ok: true, ...(x !== undefined ? { reply: x } : {}) }));
    }
    return failed > 0 ? EXIT_FAILED : 0;
  } finally {
    client.close();
  }
}

/** One op's result or error as the `--multi` lines print it. */
function errorLine(op: string, x: Error, family: string): Record<string, unknown> {
  const t = reportError(x, `${family} ${op}`);
  const ne = x instanceof NetlinkError ? x : undefined;
  return { op, error: { message: t.message, ...(ne ? { code: ne.code, errno: ne.errno, ...(ne.path ? { path: ne.path } : {}) } : {}) } };
}

/**
 * `--multi` for a family that takes batches (its client has `transaction`): one atomic transaction. Each op's line
 * says `ok`, its error, or — when another op failed and the kernel applied nothing — `applied: false`.
 */
async function runAtomic(mod: FamilyModule, client: Record<string, unknown>, reqs: { op: string; method: string; request: unknown }[], flags: object, print: (v: unknown) => string, out: ToolOutput): Promise<number> {
  const run = client.transaction as (build: (tx: Record<string, Method>) => void) => Promise<void>;
  try {
    await run.call(client, (tx) => {
      for (const r of reqs) {
        const m = tx[r.method];
        if (m === undefined) throw new ToolError(`${mod.info.name} ${r.op} cannot be part of a transaction (only the changes can: ${Object.keys(tx).join(', ')})`, EXIT_USAGE);
        m(r.request, flags as Record<string, unknown>);
      }
    });
  } catch (e) {
    const failures = (e as { failures?: { index: number; error: Error }[] }).failures;
    if (!(e instanceof Error) || e.name !== 'TransactionError' || failures === undefined) throw reportError(e, `${mod.info.name} transaction`);
    for (let i = 0; i < reqs.length; i++) {
      const f = failures.find((x) => x.index === i);
      await out.write(print(f ? errorLine(reqs[i]!.op, f.error, mod.info.name) : { op: reqs[i]!.op, ok: true, applied: false }));
    }
    return EXIT_FAILED;
  }
  for (const r of reqs) await out.write(print({ op: r.op, ok: true }));
  return 0;
}

/** `nlgen dump OP`: every reply as it arrives, one per line; `--count N` stops early. */
export async function runDump(op: string, o: OpOptions, out: ToolOutput): Promise<number> {
  const mod = await loadFamilyModule(findFamily(o));
  const method = methodOf(mod, op, 'dump');
  const request = parseRequest(o.json, '--json');
  const print = await printerFor(o.output);
  acceptJsonValues(true);
  const client = await openClient(mod, o, out);
  const ac = new AbortController();
  const timer = o.timeoutMs !== undefined ? setTimeout(() => ac.abort(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), o.timeoutMs) : undefined;
  try {
    const dump = (client[method] as Method).call(client, request, { signal: ac.signal }) as TypedDump<unknown>;
    let left = o.count ?? Infinity;
    if (o.output === 'json') {
      // JSON lines straight from the received bytes into one reused buffer (the family's generated writers): no
      // reply objects and no strings are made.
      for await (let chunk of dump.jsonLines()) {
        if (left !== Infinity) {
          let end = 0;
          // Every line ends in a newline (JSON text has none inside); a chunk is whole lines.
          while (left > 0 && end < chunk.length) {
            const nl = chunk.indexOf(10, end);
            end = nl < 0 ? chunk.length : nl + 1;
            left--;
          }
          chunk = chunk.subarray(0, end);
        }
        await (out.writeBytes ? out.writeBytes(chunk) : out.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('utf8')));
        if (left === 0) break;
      }
      return 0;
    }
    for await (const batch of dump.batches()) {
      let text = '';
      const n = Math.min(batch.length, left);
      for (let i = 0; i < n; i++) text += print(batch[i]);
      left -= n;
      if (text !== '') await out.write(text);
      if (left === 0) break;
    }
    return 0;
  } catch (e) {
    throw reportError(e, `${mod.info.name} ${op}`);
  } finally {
    clearTimeout(timer);
    client.close();
  }
}

/**
 * `nlgen subscribe GROUP…`: the family's notifications as `{ name, msg }` lines until `--count`, `--timeout`
 * (`--duration`), SIGINT or SIGTERM; overruns are reported on stderr.
 */
export async function runSubscribe(groups: string[], o: OpOptions, out: ToolOutput): Promise<number> {
  const mod = await loadFamilyModule(findFamily(o));
  const known = Object.keys(mod.codecs.family.groups);
  const unknown = groups.filter((g) => !known.includes(g));
  if (groups.length === 0 || unknown.length > 0) {
    throw new ToolError(`${groups.length === 0 ? 'name at least one multicast group' : `${mod.info.name} has no multicast group ${unknown.map((g) => `"${g}"`).join(', ')}`}; its groups: ${known.join(', ') || '(none)'}`, EXIT_USAGE);
  }
  const print = await printerFor(o.output);
  const client = await openClient(mod, o, out);
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = o.timeoutMs !== undefined ? setTimeout(stop, o.timeoutMs) : undefined;
  try {
    const sub = (client.subscribe as (g: string[], opts: object) => AsyncIterable<{ name: string; count?: number }>).call(client, groups, { signal: ac.signal });
    let left = o.count ?? Infinity;
    for await (const n of sub) {
      if (n.name === 'overrun') {
        out.err(`nlgen subscribe: the kernel dropped notifications (receive buffer full; ${n.count} overruns so far)\n`);
        continue;
      }
      await out.write(print(n));
      if (--left === 0) break;
    }
    return 0;
  } catch (e) {
    throw reportError(e, `${mod.info.name} subscribe`);
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    client.close();
  }
}

/** A ToolOutput on stdout/stderr that waits when the pipe is full and ends quietly when the reader went away. */
export function processOutput(): ToolOutput {
  let closed = false;
  // process.stdout is made on first use (Node then loads its stream modules): not at all by a dump that writes fd 1
  // itself.
  let stream: NodeJS.WriteStream | undefined;
  const out = (): NodeJS.WriteStream => {
    if (stream === undefined) {
      stream = stdout();
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') closed = true;
      });
    }
    return stream;
  };
  const write = async (chunk: string | Uint8Array, written?: () => void): Promise<void> => {
    if (closed) throw new ToolError('', 0);
    if (!out().write(chunk, written)) {
      // Until the pipe drains or fails; both listeners go again either way (a long dump to a slow reader waits
      // thousands of times). A reader that went away (EPIPE, as with `| head`) ends quietly.
      const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        const settle = (e: NodeJS.ErrnoException | undefined): void => {
          out().off('drain', drained);
          out().off('error', failed);
          resolve(e);
        };
        const drained = (): void => settle(undefined);
        const failed = (e: NodeJS.ErrnoException): void => settle(e);
        out().once('drain', drained);
        out().once('error', failed);
      });
      if (failure !== undefined) {
        if (failure.code !== 'EPIPE') throw failure;
        closed = true;
      }
    }
    if (closed) throw new ToolError('', 0);
  };
  return {
    write: (text) => write(text),
    async writeBytes(chunk) {
      if (closed) throw new ToolError('', 0);
      let at = 0;
      if (stream === undefined) {
        // Straight to fd 1 while nothing went through process.stdout (so nothing is queued there to overtake):
        // a file, /dev/null, a terminal or a blocking pipe take it all. A non-blocking pipe that is full (EAGAIN)
        // hands the rest to process.stdout, which waits for it; a reader that went away (EPIPE) ends quietly.
        try {
          while (at < chunk.length) at += writeSync(1, chunk, at, chunk.length - at);
          return;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            closed = true;
            throw new ToolError('', 0);
          }
          if (code !== 'EAGAIN') throw e;
        }
      }
      // Node writes files, pipes and terminals synchronously on Linux: once write returns with nothing left queued,
      // the bytes are the kernel's and the caller may reuse its buffer. Otherwise (a full pipe) this waits until the
      // stream is done with the chunk, not only until it drains. Checked, not assumed.
      let taken!: () => void;
      const done = new Promise<void>((resolve) => (taken = resolve));
      const wrote = write(at === 0 ? chunk : chunk.subarray(at), () => taken());
      if (out().writableLength !== 0) await Promise.all([wrote, done]);
      else await wrote;
    },
    err: (t) => void stderr().write(t),
  };
}
