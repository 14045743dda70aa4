// Reading a YNL spec file: YAML → plain data, keeping the parsed node tree so any later stage can turn a
// JSON pointer back into the line and column where the user wrote that key or value.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { fromPointer, InvalidSpecError, type SpecError } from './diagnostics.js';

/** A position in a spec file (1-based). */
export interface LinePos {
  line: number;
  col: number;
}

/** A parsed spec file: its data plus a way back from data paths to source positions. */
export interface SpecDocument {
  file: string;
  /** The YAML as plain JS data (aliases expanded). */
  data: unknown;
  /** SHA-256 of the file text, hex (with overlays folded in once they are applied). */
  sha256: string;
  /**
   * Where the value at `pointer` was written. With `key: true` and a pointer ending in a map key, the
   * position of the key itself (better for "unknown key" errors). A pointer into missing data resolves
   * to the deepest existing ancestor, so every error still lands near its cause.
   */
  locate(pointer: string, opts?: { key?: boolean }): LinePos;
  /** Builds a SpecError at `pointer`. */
  error(pointer: string, message: string, opts?: { key?: boolean }): SpecError;
}

/** Largest spec file read (bytes). The biggest upstream spec is about 200 KB; anything near this is not a spec. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;
/** Most alias expansions one spec may make (yaml's guard against "billion laughs" documents). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Reads and parses a spec file. Throws InvalidSpecError (never a raw I/O or YAML exception).
 *
 * A spec is untrusted input: only a regular file is read (a FIFO, device or directory is refused without blocking:
 * the file is opened non-blocking and checked with fstat), at most MAX_SPEC_BYTES of it, and its text must be UTF-8.
 */
export function loadSpec(file: string): SpecDocument {
  return loadSpecText(readSpecText(file), file);
}

function readSpecText(file: string): string {
  const fail = (message: string, line = 0, col = 0): never => {
    throw new InvalidSpecError([{ file, line, col, message, pointer: '' }]);
  };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return fail(`cannot read spec: ${ioReason(e)}`);
  }
  let bytes: Buffer;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) fail('cannot read spec: is a directory');
    if (!st.isFile()) fail('cannot read spec: not a regular file (a FIFO, socket or device is never read)');
    if (st.size > MAX_SPEC_BYTES) fail(`cannot read spec: ${st.size} bytes, larger than the ${MAX_SPEC_BYTES}-byte limit for a spec`);
    // Read up to one byte past the limit: a file that grows while being read is refused, never cut short.
    bytes = Buffer.allocUnsafe(Math.min(st.size, MAX_SPEC_BYTES) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, bytes, n, bytes.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === bytes.length) {
        if (n > MAX_SPEC_BYTES) fail(`cannot read spec: larger than the ${MAX_SPEC_BYTES}-byte limit for a spec`);
        const grown = Buffer.allocUnsafe(Math.min(bytes.length * 2, MAX_SPEC_BYTES + 1));
        bytes.copy(grown, 0, 0, n);
        bytes = grown;
      }
    }
    bytes = bytes.subarray(0, n);
  } catch (e) {
    if (e instanceof InvalidSpecError) throw e;
    return fail(`cannot read spec: ${ioReason(e)}`);
  } finally {
    closeSync(fd);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, at).toString('utf8');
    const line = before.split('\n').length;
    const col = before.length - before.lastIndexOf('\n');
    return fail(`spec is not valid UTF-8 (byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at offset ${at})`, line, col);
  }
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return code ?? (e as Error).message;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let lo = 0;
  let hi = b.length;
  // Binary search on the longest prefix with no invalid byte (`stream` lets a prefix end inside a sequence).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // The prefix may end inside a sequence that the next byte breaks: the error is at that sequence's lead byte.
  let start = lo;
  while (start > 0 && lo - start < 3 && (b[start - 1]! & 0xc0) === 0x80) start--;
  if (start > 0 && (b[start - 1]! & 0xc0) === 0xc0) return start - 1;
  return lo;
}

/** Parses spec text that came from `file` (the name is only used in messages). Throws InvalidSpecError. */
export function loadSpecText(text: string, file: string): SpecDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): LinePos => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    // After a syntax error the parser's later complaints are mostly consequences of it (one tab gives twenty):
    // report the first, where the user has to look, and count the rest.
    const first = doc.errors.reduce((a, b) => (b.pos[0] < a.pos[0] ? b : a));
    const { line, col } = at(first.pos[0]);
    const more = doc.errors.length - 1;
    const tail = more > 0 ? ` (and ${more} more YAML error${more === 1 ? '' : 's'} after it, likely caused by this one)` : '';
    throw new InvalidSpecError([{ file, line, col, message: yamlMessage(first.code, first.message) + tail, pointer: '' }]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = (e as Error).message;
    const why = /alias/i.test(message) ? `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} alias uses; a spec needs few)` : `YAML error: ${message}`;
    throw new InvalidSpecError([{ file, line: 1, col: 1, message: why, pointer: '' }]);
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  const locate = (pointer: string, opts?: { key?: boolean }): LinePos => {
    const offset = locateOffset(doc, fromPointer(pointer), opts?.key ?? false);
    return at(offset);
  };
  const error = (pointer: string, message: string, opts?: { key?: boolean }): SpecError => {
    const { line, col } = locate(pointer, opts);
    return { file, line, col, message, pointer };
  };
  return { file, data, sha256, locate, error };
}

// yaml's messages sometimes span lines (with a source excerpt); diagnostics are one line each.
function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  return `YAML syntax error: ${first}${code ? ` [${code}]` : ''}`;
}

function nodeStart(node: unknown, fallback: number): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : fallback;
}

function locateOffset(doc: Document.Parsed, segments: string[], wantKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = nodeStart(node, 0);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === seg);
      if (!pair) return offset;
      if (last && wantKey) return nodeStart(pair.key, offset);
      // A key with no value (`name:`) has no value node: point at the key.
      node = pair.value ?? pair.key;
      offset = nodeStart(pair.value, nodeStart(pair.key, offset));
    } else if (isSeq(node)) {
      const idx = Number(seg);
      const item = Number.isInteger(idx) ? node.items[idx] : undefined;
      if (item === undefined) return offset;
      node = item;
      offset = nodeStart(item, offset);
    } else {
      return offset;
    }
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
