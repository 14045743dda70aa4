// Model → a Markdown reference page per family (ops with their request and reply attributes, attribute sets, enums
// and flags, structs, multicast groups, notifications), laid out by templates/family-doc.hbs. Spec text reaches the
// page only through names.ts's markdown helpers, so a spec cannot inject HTML, links or table breaks.
import type { Attr, AttrSet, EnumDef, Family, Operation, StructDef } from './model.js';
import { methodNameOf } from './emit/context.js';
import { camelCase, markdownAnchor, markdownCell, markdownCode, markdownText, moduleFileName, pascalCase } from './names.js';

/** What the template renders for one family (all text already escaped). */
export interface FamilyDocView {
  name: string;
  title: string;
  doc: string;
  facts: string[];
  ops: { name: string; anchor: string; kinds: string; doc: string; request: string; reply: string; flags: string }[];
  opDetails: { heading: string; doc: string; modes: { title: string; rows: AttrRow[] }[] }[];
  sets: { heading: string; anchor: string; doc: string; rows: AttrRow[] }[];
  enums: { heading: string; doc: string; kind: string; rows: { name: string; value: string; doc: string }[] }[];
  structs: { heading: string; doc: string; size: number; rows: { name: string; offset: number; type: string; doc: string }[] }[];
  groups: { name: string; id: string; notifications: string }[];
  notifications: { name: string; id: string; group: string; shape: string }[];
}

/** One attribute in a table: spec name, property, number, type (with links), doc. */
export interface AttrRow {
  name: string;
  prop: string;
  value: string;
  type: string;
  doc: string;
}

function typeText(a: Attr, kinds: ReadonlyMap<string, string>): string {
  const link = (set: string) => `[${markdownCode(set)}](#${markdownAnchor(`attribute set ${set}`)})`;
  let t = markdownCode(a.type);
  if ((a.type === 'nest' || a.type === 'nest-type-value') && a.nestedAttributes) t += ` of ${link(a.nestedAttributes)}`;
  if (a.type === 'indexed-array') t += ` of ${a.subType === 'nest' && a.nestedAttributes ? link(a.nestedAttributes) : markdownCode(a.subType ?? 'binary')}`;
  if (a.type === 'binary' && a.struct) t += ` (struct ${markdownCode(a.struct)})`;
  if (a.type === 'binary' && a.subType) t += ` (array of ${markdownCode(a.subType)})`;
  if (a.type === 'sub-message') t += ` (${markdownCode(a.subMessage ?? '')}, selected by ${markdownCode(a.selector ?? '')})`;
  if (a.enum) t += ` ${a.enumAsFlags || kinds.get(a.enum) === 'flags' ? 'flags' : 'enum'} [${markdownCode(a.enum)}](#${markdownAnchor(`${kinds.get(a.enum) ?? 'enum'} ${a.enum}`)})`;
  if (a.byteOrder === 'big-endian') t += ', big-endian';
  if (a.displayHint) t += `, shown as ${markdownCode(a.displayHint)}`;
  if (a.multiAttr) t += ', repeated';
  const c = a.checks;
  const limits: string[] = [];
  if (c.min !== undefined) limits.push(`min ${c.min}`);
  if (c.max !== undefined) limits.push(`max ${c.max}`);
  if (c.minLen !== undefined) limits.push(`min-len ${c.minLen}`);
  if (c.maxLen !== undefined) limits.push(`max-len ${c.maxLen}`);
  if (c.exactLen !== undefined) limits.push(`exact-len ${c.exactLen}`);
  if (limits.length > 0) t += ` (${limits.join(', ')})`;
  return t;
}

function attrRow(a: Attr, kinds: ReadonlyMap<string, string>): AttrRow {
  return { name: markdownCode(a.name), prop: markdownCode(camelCase(a.name)), value: String(a.value), type: typeText(a, kinds), doc: markdownCell(a.doc ?? '') };
}

function rowsOf(set: AttrSet | undefined, kinds: ReadonlyMap<string, string>, names?: readonly string[]): AttrRow[] {
  if (!set) return [];
  const attrs = set.attributes.filter((a) => a.type !== 'pad' && a.type !== 'unused');
  return (names ? attrs.filter((a) => names.includes(a.name)) : attrs).map((a) => attrRow(a, kinds));
}

const list = (names: readonly string[]) => (names.length === 0 ? '—' : names.map(markdownCode).join(', '));

/** The view of one family's reference page. */
export function familyDocView(f: Family): FamilyDocView {
  const sets = new Map(f.attributeSets.map((s) => [s.name, s]));
  // Headings (and so anchors) say `enum x` or `flags x`.
  const kinds = new Map(f.definitions.filter((d) => d.kind !== 'const').map((d) => [d.name, d.kind === 'flags' ? 'flags' : 'enum']));
  const genl = f.protocol !== 'netlink-raw';
  const facts = [
    `Protocol: ${markdownCode(f.protocol)}${genl ? ` (generic netlink family ${markdownCode(f.kernelFamily ?? f.name)}, version ${f.version ?? 1})` : ` (netlink protocol number ${f.protonum})`}`,
    ...(f.uapiHeader ? [`C header: ${markdownCode(f.uapiHeader)}`] : []),
    `Generated client: ${markdownCode(pascalCase(f.name))} in ${markdownCode(`${moduleFileName(f)}.ts`)}`,
  ];
  const calls = f.operations.list.filter((o) => o.do || o.dump);
  const ops = calls.map((o) => ({
    name: markdownCode(o.name),
    anchor: markdownAnchor(`op ${o.name}`),
    kinds: [o.do ? 'do' : '', o.dump ? 'dump' : ''].filter(Boolean).join(', '),
    doc: markdownCell(firstSentence(o.doc)),
    request: list([...new Set([...(o.do?.request.attributes ?? []), ...(o.dump?.request.attributes ?? [])])]),
    reply: list([...new Set([...(o.do?.reply?.attributes ?? []), ...(o.dump?.reply?.attributes ?? [])])]),
    flags: o.flags.length > 0 ? o.flags.map(markdownCode).join(', ') : '',
  }));
  const opDetails = calls.map((o) => {
    const set = o.attributeSet ? sets.get(o.attributeSet) : undefined;
    const modes: { title: string; rows: AttrRow[] }[] = [];
    for (const m of ['do', 'dump'] as const) {
      const om = o[m];
      if (!om) continue;
      const method = methodNameOf(o.name, m);
      modes.push({ title: `${m} request (${genl ? 'command' : 'message type'} ${om.request.value}; ${markdownCode(`${method}(request)`)})`, rows: rowsOf(set, kinds, om.request.attributes) });
      if (om.reply) modes.push({ title: `${m} reply (${genl ? 'command' : 'message type'} ${om.reply.value})`, rows: rowsOf(set, kinds, om.reply.attributes) });
    }
    const fixed = o.fixedHeader ?? f.operations.fixedHeader;
    const header = fixed ? `\n\nFixed header: struct ${markdownCode(fixed)}; its fields sit beside the attributes in requests and replies.` : '';
    return { heading: `op ${markdownCode(o.name)}`, doc: `${markdownText(o.doc ?? '')}${header}`, modes };
  });
  const enums = f.definitions
    .filter((d): d is EnumDef => d.kind === 'enum' || d.kind === 'flags')
    .map((e) => ({
      heading: `${e.kind === 'flags' ? 'flags' : 'enum'} ${markdownCode(e.name)}`,
      doc: markdownText(e.doc ?? ''),
      kind: e.kind === 'flags' ? 'bit masks' : 'values',
      rows: e.entries.map((x) => ({ name: markdownCode(x.name), value: e.kind === 'flags' ? `0x${BigInt(x.value).toString(16)}` : String(x.value), doc: markdownCell(x.doc ?? '') })),
    }));
  const structs = f.definitions
    .filter((d): d is StructDef => d.kind === 'struct')
    .map((s) => ({
      heading: `struct ${markdownCode(s.name)}`,
      doc: markdownText(s.doc ?? ''),
      size: s.size,
      rows: s.members.map((m) => ({
        name: markdownCode(m.name),
        offset: m.offset,
        type: `${markdownCode(m.type)}${m.struct ? ` (struct ${markdownCode(m.struct)})` : ''}${m.type === 'binary' || m.type === 'string' || m.type === 'pad' ? `, ${m.size} bytes` : ''}${m.byteOrder === 'big-endian' ? ', big-endian' : ''}${m.enum ? `, enum ${markdownCode(m.enum)}` : ''}`,
        doc: markdownCell(m.doc ?? ''),
      })),
    }));
  const ntfs = f.operations.list.filter((o) => o.notification);
  const groups = f.mcastGroups.map((g) => ({
    name: markdownCode(g.name),
    id: g.value !== undefined ? String(g.value) : 'assigned by the kernel',
    notifications: list(ntfs.filter((o) => o.mcgrp === g.name).map((o) => o.name)),
  }));
  const notifications = ntfs.map((o: Operation) => ({
    name: markdownCode(o.name),
    id: String(o.notification!.value),
    group: o.mcgrp ? markdownCode(o.mcgrp) : '—',
    shape: o.notify ? `the reply of ${markdownCode(o.notify)}` : list(o.event?.attributes ?? []),
  }));
  return {
    name: markdownText(f.name), // also inside the page's first-line HTML comment: `>` is escaped, so it cannot close it
    title: markdownText(f.name),
    doc: markdownText(f.doc ?? ''),
    facts,
    ops,
    opDetails,
    sets: f.attributeSets.map((s) => ({
      heading: `attribute set ${markdownCode(s.name)}`,
      anchor: markdownAnchor(`attribute set ${s.name}`),
      doc: markdownText(s.doc ?? (s.subsetOf ? `A subset of ${s.subsetOf}.` : '')),
      rows: rowsOf(s, kinds),
    })),
    enums,
    structs,
    groups,
    notifications,
  };
}

function firstSentence(doc: string | undefined): string {
  if (!doc) return '';
  const flat = doc.replace(/\s+/g, ' ').trim();
  const m = /^(.*?[.!?])(\s|$)/.exec(flat);
  return m ? m[1]! : flat;
}
