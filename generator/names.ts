// Spec names → TypeScript identifiers, and spec text → safe TS source fragments. The one place that decides.
//
// Every piece of spec text that reaches generated code goes through here: identifiers are reduced to
// [A-Za-z0-9_$] and kept off reserved words, string literals are JSON-escaped, doc text can't close its comment.

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare get ' +
    'module require number set string symbol type from of async await never unknown bigint object undefined ' +
    'arguments eval NaN Infinity globalThis Object Array Map Set Promise Error Symbol Uint8Array DataView'
  ).split(' '),
);

/** Property names that would reach or shadow `Object.prototype` machinery when assigned on a plain object. */
const UNSAFE_PROPERTIES = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf']);

/** Splits a spec name (`link-attrs`, `IFLA_MTU`, `rx-csum_offload2`) into lower-case words of [a-z0-9]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

function ensureIdentStart(ident: string, fallback: string): string {
  if (ident.length === 0) return fallback;
  return /^[0-9]/.test(ident) ? `_${ident}` : ident;
}

/** `link-attrs` → `LinkAttrs`. Reserved or empty results get a suffix so they stay valid type names. */
export function pascalCase(name: string): string {
  const id = ensureIdentStart(
    words(name)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
    'Unnamed',
  );
  return RESERVED.has(id) ? `${id}_` : id;
}

/**
 * `ifla-mtu` → `iflaMtu`: an object property or class member name. Reserved words are valid there (`{ type: 1 }`,
 * `client.delete()`), so only the names that would change an object's behaviour get a suffix (`constructor`,
 * `__proto__` …).
 */
export function camelCase(name: string): string {
  const ws = words(name);
  const id = ensureIdentStart(ws.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join(''), 'unnamed');
  return UNSAFE_PROPERTIES.has(id) ? `${id}_` : id;
}

/** `get-stats` → `getStats` as a class member (the same rule as a property name). */
export const memberName = camelCase;

/** `rt-link` → `rtLink` as a variable or import binding, where reserved words are not allowed (`delete` → `delete_`). */
export function identifierName(name: string): string {
  const id = camelCase(name);
  return RESERVED.has(id) ? `${id}_` : id;
}

/** `ifla-mtu` → `IFLA_MTU` style constant name. */
export function upperSnake(name: string): string {
  return ensureIdentStart(words(name).join('_').toUpperCase(), 'UNNAMED');
}

/**
 * Allocates unique identifiers inside one scope (a module's top level, one interface's properties).
 * The first name to claim an identifier keeps it; later collisions get `2`, `3`, ... in claim order,
 * which is spec order — so output is deterministic.
 */
export class NameScope {
  private readonly used = new Set<string>();
  private readonly byKey = new Map<string, string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }

  /** Returns the identifier for `key`, creating it from `base` on first use. */
  claim(key: string, base: string): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }

  /** The identifier previously claimed for `key`. */
  get(key: string): string | undefined {
    return this.byKey.get(key);
  }
}

/**
 * Characters that change how source text is displayed without being visible: bidirectional overrides and isolates
 * (Trojan Source, CVE-2021-42574), marks, zero-width characters, line/paragraph separators and the BOM. They never
 * reach generated source raw: string literals spell them as `\\uXXXX`, comments as `<U+XXXX>`.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

const hex4 = (c: string) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** A JS/TS string literal for arbitrary text (quotes, newlines, `${`, backticks and invisible characters escaped). */
export function str(text: string): string {
  return JSON.stringify(text).replace(INVISIBLE, (c) => `\\u${hex4(c)}`);
}

/** JSON text of JSON-safe data, with invisible characters as `\\uXXXX` escapes (valid in JSON and in JS). */
export function json(value: unknown): string {
  return JSON.stringify(value).replace(INVISIBLE, (c) => `\\u${hex4(c)}`);
}

/** `{ "a": 1, "b": 2 }` (or `{}`): an object literal of JSON-safe values, spaced like formatted TypeScript. */
export function objectLiteral(o: Record<string, unknown>): string {
  const entries = Object.entries(o).map(([k, v]) => `${json(k)}: ${json(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** The JSON text of `value` as a single-quoted string literal (the JSON's own double quotes stay unescaped). */
export function jsonString(value: unknown): string {
  return `'${json(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A property key usable in an object literal or type literal. Plain identifiers stay bare; anything else is quoted;
 * `__proto__` is written as a computed key, which (unlike a quoted key) defines an own property.
 */
export function propKey(name: string): string {
  if (name === '__proto__') return `[${str(name)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}

/**
 * A TSDoc block for spec `doc` text (and extra lines), indented by `indent`; empty when there is nothing to say.
 * Text can't end the comment early (`*\/`), can't smuggle control characters, and keeps its line structure.
 */
export function docComment(lines: Array<string | undefined>, indent = ''): string {
  const body: string[] = [];
  for (const chunk of lines) {
    if (chunk === undefined) continue;
    const text = sanitizeDocText(chunk);
    if (text.length === 0) continue;
    if (body.length > 0) body.push('');
    for (const line of text.split('\n')) body.push(line); // no spread: a doc may have 200,000 lines
  }
  if (body.length === 0) return '';
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => (l.length > 0 ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

function sanitizeDocText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // Control characters other than newline and tab would survive into the source file.
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
      // Invisible and direction-changing characters are shown, not obeyed.
      .replace(INVISIBLE, (c) => `<U+${hex4(c)}>`)
      .replace(/\t/g, '  ')
      // `*/` would end the comment.
      .replace(/\*\//g, '*\\/')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/^\n+|\n+$/g, '')
  );
}

/** Module file name (without extension) for a family: its spec name, with anything but [A-Za-z0-9_.-] as `_`. */
export function moduleFileName(f: { name: string }): string {
  const name = f.name.replace(/[^A-Za-z0-9_.-]/g, '_');
  // `.` and `..` (or a leading dot, a hidden file) are not module names.
  return name.startsWith('.') ? `_${name.slice(1)}` : name;
}

/**
 * Spec text as Markdown prose: HTML can't open (`<`, `>`, `&` become entities), nor can links (`[`, `]` escaped),
 * invisible characters are shown, and line structure is kept. The only way spec text reaches generated documentation.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // No links from spec text (a `javascript:` target is a link some renderers follow).
    .replace(/([[\]])/g, '\\$1')
    .replace(INVISIBLE, (c) => `&lt;U+${hex4(c)}&gt;`)
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}

/** Spec text for one Markdown table cell: as `markdownText`, on one line, with `|` escaped. */
export function markdownCell(text: string): string {
  return markdownText(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** A name as inline code (`name`), whatever backticks it holds; `|` escaped for tables. */
export function markdownCode(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(INVISIBLE, (c) => `<U+${hex4(c)}>`).replace(/\|/g, '\\|');
  const ticks = '`'.repeat(Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/** A Markdown heading anchor for a name (GitHub's rule: lower case, spaces to `-`, punctuation dropped). */
export function markdownAnchor(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}
