// Reading a YNL spec file: YAML → plain data, keeping the parsed node tree so any later stage can turn a
// JSON pointer back into the line and column where the user wrote that key or value.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  /** SHA-256 of the file text, hex. */
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

/** Reads and parses a spec file. Throws InvalidSpecError (never a raw I/O or YAML exception). */
export function loadSpec(file: string): SpecDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new InvalidSpecError([{ file, line: 0, col: 0, message: `cannot read spec: ${why}`, pointer: '' }]);
  }
  return loadSpecText(text, file);
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
    throw new InvalidSpecError(
      doc.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, col, message: yamlMessage(e.code, e.message), pointer: '' };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw new InvalidSpecError([{ file, line: 1, col: 1, message: `YAML error: ${(e as Error).message}`, pointer: '' }]);
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
