// Diagnostics for spec problems: every error names the file, the 1-based line and column of the
// offending key or value, a message, and the JSON pointer of that place in the spec's data.

/** One problem found in a spec file. `line`/`col` are 1-based; 0 means "no position" (e.g. unreadable file). */
export interface SpecError {
  file: string;
  line: number;
  col: number;
  message: string;
  /** JSON pointer into the spec data (`""` for the whole document). */
  pointer: string;
}

/** Renders an error as `file:line:col: message (at /json/pointer)`, the one format every tool prints. */
export function formatSpecError(e: SpecError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.col}` : e.file;
  const at = e.pointer !== '' ? ` (at ${e.pointer})` : '';
  return `${where}: ${e.message}${at}`;
}

/** Orders errors by file, then position, so reports read top to bottom. */
export function compareSpecErrors(a: SpecError, b: SpecError): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/**
 * Thrown when a spec cannot be loaded, validated or resolved. It carries every error found, not just
 * the first, so a user can fix a file in one pass.
 */
export class InvalidSpecError extends Error {
  /** All errors, sorted by position. */
  readonly errors: SpecError[];

  constructor(errors: SpecError[]) {
    const sorted = [...errors].sort(compareSpecErrors);
    super(sorted.map(formatSpecError).join('\n'));
    this.name = 'InvalidSpecError';
    this.errors = sorted;
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins segments into a JSON pointer (`/a/0/b`). */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((p) => '/' + pointerSegment(p)).join('');
}

/** Splits a JSON pointer into its unescaped segments. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
