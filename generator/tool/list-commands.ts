// `nlgen list-families`, `list-ops`, `list-msgs` and `list-attrs`: what a family offers, read from its resolved
// model (the same one the generator emits from), as JSON lines or text.
import { readFileSync } from 'node:fs';
import type { Attr, AttrSet, Family, Operation } from '../model.js';
import { camelCase } from '../names.js';
import { findFamily, loadModel, shippedFamilies, userSpecDirs, type FamilyOptions } from './family-source.js';
import { jsonText } from '@nlgen/runtime';
import type { OutputFormat } from './json-output.js';
import type { ToolOutput } from './op-commands.js';
import { EXIT_USAGE, ToolError } from './tool-error.js';

/** Options of the list commands. */
export interface ListOptions extends FamilyOptions {
  output: OutputFormat;
}

const firstLine = (doc: string | undefined) => doc?.trim().split('\n')[0]?.trim() ?? '';

/** Rows as JSON lines, or as aligned text columns. */
async function printRows(rows: Record<string, unknown>[], columns: string[], o: ListOptions, out: ToolOutput): Promise<void> {
  if (o.output === 'json') {
    await out.write(rows.map((r) => `${jsonText(r)}\n`).join(''));
    return;
  }
  const cell = (v: unknown) => (v === undefined || v === null ? '-' : Array.isArray(v) ? v.join(',') || '-' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  await out.write([line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n') + '\n');
}

/** `nlgen list-families`: the shipped families and those in --specs / NLGEN_SPECS, with the file each comes from. */
export async function listFamilies(o: ListOptions, out: ToolOutput): Promise<number> {
  const rows: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const { readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  for (const dir of userSpecDirs(o.specs)) {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch {
      throw new ToolError(`${dir}: no such folder of specs`, EXIT_USAGE);
    }
    for (const f of files) rows.push(describeFile(join(dir, f), 'specs', seen));
  }
  for (const [, file] of shippedFamilies()) rows.push(describeFile(file, 'shipped', seen));
  await printRows(rows.filter((r) => r.name !== undefined), ['name', 'protocol', 'source', 'file'], o, out);
  return 0;
}

/** Name and protocol of a spec file from its text (a listing must not fail on one bad spec). */
function describeFile(file: string, source: string, seen: Set<string>): Record<string, unknown> {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* listed without a name: skipped */
  }
  const name = /^name:[ \t]*['"]?([^'"\s#]+)/m.exec(text)?.[1];
  const protocol = /^protocol:[ \t]*['"]?([^'"\s#]+)/m.exec(text)?.[1] ?? 'genetlink';
  if (name === undefined) return {};
  // A user's spec shadows a shipped family of the same name (as --family picks it).
  const shadowed = seen.has(name);
  seen.add(name);
  return { name, protocol, source: shadowed ? `${source} (shadowed)` : source, file };
}

/** The modes an op has: do, dump, notify, event. */
function modesOf(op: Operation): string[] {
  return [op.do ? 'do' : '', op.dump ? 'dump' : '', op.notify ? 'notify' : '', op.event ? 'event' : ''].filter((m) => m !== '');
}

/** `nlgen list-ops`: every op with its modes, number, permission flags and the first line of its doc. */
export async function listOps(o: ListOptions, out: ToolOutput): Promise<number> {
  const f = await loadModel(findFamily(o));
  const rows = f.operations.list.map((op) => ({ name: op.name, value: op.value, modes: modesOf(op), flags: op.flags, doc: firstLine(op.doc) }));
  await printRows(rows, ['name', 'value', 'modes', 'flags', 'doc'], o, out);
  return 0;
}

/** `nlgen list-msgs`: every message the family sends or takes: requests, replies, notifications, with their ids. */
export async function listMsgs(o: ListOptions, out: ToolOutput): Promise<number> {
  const f = await loadModel(findFamily(o));
  const rows: Record<string, unknown>[] = [];
  for (const op of f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const m = op[mode];
      if (!m) continue;
      rows.push({ name: op.name, kind: `${mode} request`, id: m.request.value, attributes: m.request.attributes.length, doc: firstLine(op.doc) });
      if (m.reply) rows.push({ name: op.name, kind: `${mode} reply`, id: m.reply.value, attributes: m.reply.attributes.length, doc: '' });
    }
    if (op.notify || op.event) {
      rows.push({ name: op.name, kind: op.notify ? 'notification' : 'event', id: op.notification?.value ?? op.value, attributes: op.notification?.attributes.length ?? op.event?.attributes.length ?? 0, group: op.mcgrp, doc: firstLine(op.doc) });
    }
  }
  await printRows(rows, ['name', 'kind', 'id', 'attributes', 'group', 'doc'], o, out);
  return 0;
}

/** One attribute as data: spec and property names, number, type, enum, nest, checks, doc; nests expanded. */
function describeAttr(f: Family, a: Attr, stack: string[]): Record<string, unknown> {
  const d: Record<string, unknown> = { name: a.name, property: camelCase(a.name), value: a.value, type: a.type };
  if (a.subType) d.subType = a.subType;
  if (a.multiAttr) d.multiAttr = true;
  if (a.byteOrder) d.byteOrder = a.byteOrder;
  if (a.struct) d.struct = a.struct;
  if (a.displayHint) d.displayHint = a.displayHint;
  if (a.enum) {
    const e = f.definitions.find((x) => x.name === a.enum);
    d[a.enumAsFlags || e?.kind === 'flags' ? 'flags' : 'enum'] = e && e.kind !== 'const' && e.kind !== 'struct' ? e.entries.map((x) => x.name) : a.enum;
  }
  const checks = Object.fromEntries(Object.entries(a.checks).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v]));
  if (Object.keys(checks).length > 0) d.checks = checks;
  if (a.subMessage) d.subMessage = { name: a.subMessage, selector: a.selector, formats: f.subMessages.find((m) => m.name === a.subMessage)?.formats.map((x) => x.value) };
  if (a.doc) d.doc = a.doc.trim();
  if (a.nestedAttributes) {
    d.nested = a.nestedAttributes;
    const set = f.attributeSets.find((s) => s.name === a.nestedAttributes);
    if (set && !stack.includes(set.name) && stack.length < 8) d.attributes = set.attributes.filter((x) => x.type !== 'unused' && x.type !== 'pad').map((x) => describeAttr(f, x, [...stack, set.name]));
    else if (set) d.attributes = `(${set.name}, shown above)`;
  }
  return d;
}

function attrsOf(f: Family, setName: string | undefined, names: readonly string[] | undefined): Record<string, unknown>[] {
  const set: AttrSet | undefined = setName === undefined ? undefined : f.attributeSets.find((s) => s.name === setName);
  if (!set) return [];
  const picked = names === undefined ? set.attributes : names.map((n) => set.attributes.find((a) => a.name === n)).filter((a): a is Attr => a !== undefined);
  return picked.filter((a) => a.type !== 'unused' && a.type !== 'pad').map((a) => describeAttr(f, a, [set.name]));
}

/** Text form of described attributes: an indented tree. */
function attrText(attrs: readonly Record<string, unknown>[], indent: string): string {
  let s = '';
  for (const a of attrs) {
    const extra = [a.subType ? `of ${a.subType as string}` : '', a.multiAttr ? 'multi-attr' : '', a.byteOrder === 'big-endian' ? 'big-endian' : '', a.struct ? `struct ${a.struct as string}` : '', a.enum ? `enum ${(a.enum as string[]).join('|')}` : '', a.flags ? `flags ${(a.flags as string[]).join('|')}` : '', a.checks ? `checks ${JSON.stringify(a.checks)}` : '', a.subMessage ? `sub-message by ${(a.subMessage as { selector: string }).selector}: ${((a.subMessage as { formats?: string[] }).formats ?? []).join('|')}` : '']
      .filter((x) => x !== '')
      .join(', ');
    s += `${indent}${a.name as string} (${a.value as number}) ${a.type as string}${extra ? ` [${extra}]` : ''}${a.doc ? ` — ${firstLine(a.doc as string)}` : ''}\n`;
    if (Array.isArray(a.attributes)) s += attrText(a.attributes as Record<string, unknown>[], `${indent}  `);
  }
  return s;
}

/** `nlgen list-attrs OP`: the attributes of an op's (or notification's) request and reply, nests expanded. */
export async function listAttrs(opName: string | undefined, o: ListOptions, out: ToolOutput): Promise<number> {
  const f = await loadModel(findFamily(o));
  const op = f.operations.list.find((x) => x.name === opName || camelCase(x.name) === opName);
  if (opName === undefined || op === undefined) {
    throw new ToolError(`${opName === undefined ? 'name an op or notification' : `${f.name} has no op or notification "${opName}"`}; its ops: ${f.operations.list.map((x) => x.name).join(', ')}`, EXIT_USAGE);
  }
  const parts: Record<string, unknown> = { op: op.name };
  if (op.doc) parts.doc = op.doc.trim();
  const header = op.fixedHeader ?? f.operations.fixedHeader;
  if (header) parts.fixedHeader = header;
  for (const mode of ['do', 'dump'] as const) {
    const m = op[mode];
    if (!m) continue;
    parts[mode] = { request: attrsOf(f, op.attributeSet, m.request.attributes), ...(m.reply ? { reply: attrsOf(f, op.attributeSet, m.reply.attributes) } : {}) };
  }
  if (op.notify || op.event) parts.notification = { group: op.mcgrp, attributes: attrsOf(f, op.attributeSet, op.notification?.attributes ?? op.event?.attributes) };
  if (o.output === 'json') {
    await out.write(`${jsonText(parts)}\n`);
    return 0;
  }
  let s = `${op.name}${parts.doc ? ` — ${firstLine(parts.doc as string)}` : ''}\n${header ? `fixed header: struct ${header}\n` : ''}`;
  for (const mode of ['do', 'dump'] as const) {
    const p = parts[mode] as { request: Record<string, unknown>[]; reply?: Record<string, unknown>[] } | undefined;
    if (!p) continue;
    s += `${mode} request:\n${attrText(p.request, '  ') || '  (no attributes)\n'}`;
    if (p.reply) s += `${mode} reply:\n${attrText(p.reply, '  ') || '  (no attributes)\n'}`;
  }
  const n = parts.notification as { group?: string; attributes: Record<string, unknown>[] } | undefined;
  if (n) s += `notification${n.group ? ` (group ${n.group})` : ''}:\n${attrText(n.attributes, '  ') || '  (no attributes)\n'}`;
  await out.write(s);
  return 0;
}
