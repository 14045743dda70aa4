// JSON writers (templates/json-writers.hbs): replies as nlgen's JSON, from the wire straight into a byte sink
// (rt.JsonOut). One writer per struct, attribute set, sub-message and reply layout, each emitted only when a reply's
// writer reaches it. The text each value gets mirrors the decode expression of value-reads.ts under rt.jsonText's
// rules; a value with no direct form here is decoded and written by rt.jsonText.
import type { Attr, AttrSet, StructDef, StructMember, SubMessage } from '../model.js';
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { enumMode } from './enum-values.js';
import { hintRead } from './display-hints.js';
import { align4, is64, isInt, TYPED_ARRAY } from './int-types.js';
import { attrRead, memberRead } from './value-reads.js';
import { render } from '../templates.js';

/** Writes the JSON of an integer that `read` decodes (a number, bigint, enum name or flag names). */
function intJson(ctx: EmitContext, type: string, enumName: string | undefined, asFlags: boolean | undefined, hint: string | undefined, read: string): string {
  if (hint === 'ipv4' && type === 'u32') return `w.quoted(${read});`;
  const mode = enumMode(ctx, enumName, asFlags, type);
  if (mode === 'enum' && !is64(type)) return `w.text(rt.jsonName(${read}));`;
  if (mode) return `w.text(rt.jsonText(${read}));`;
  return is64(type) ? `w.big(${read});` : `w.int(${read});`;
}

/** Writes bytes `[q, e)` hinted `hint` as a quoted string, or as hex without a hint. */
function bytesJson(ctx: EmitContext, hint: string | undefined, q: string, e: string): string {
  if (hint === 'ipv4-or-v6') return `w.ip(d, ${q}, ${e});`;
  if (hint === 'ipv4') return `w.ipv4(d, ${q}, ${e});`;
  const read = hintRead(ctx, hint, 'd', q, e);
  return read ? `w.quoted(${read});` : `w.hex(d, ${q}, ${e});`;
}

/** Writes the JSON of a struct member at `o`. */
function memberJson(ctx: EmitContext, m: StructMember): string {
  const at = `o + ${m.offset}`;
  const end = `o + ${m.offset + m.size}`;
  if (m.struct) return `w.byte(123); ${ctx.structFn('json', m.struct)}$fields(w, d, v, ${at}); w.byte(125);`;
  if (m.type === 'binary') return bytesJson(ctx, m.displayHint, at, end);
  if (m.type === 'string') return `w.text(JSON.stringify(rt.str(d, ${at}, ${end})));`;
  return intJson(ctx, m.type, m.enum, m.enumAsFlags, m.displayHint, memberRead(ctx, m));
}

/** Writes the JSON of one value of attribute `a` with payload `[q, e)`. */
function attrJson(ctx: EmitContext, s: AttrSet, a: Attr): string {
  const read = attrRead(ctx, s, a);
  switch (a.type) {
    case 'flag':
      return `w.text('true');`;
    case 'string':
      return `w.text(JSON.stringify(${read}));`;
    case 'binary': {
      if (a.struct) return `${ctx.structFn('json', a.struct)}(w, d, v, q, e);`;
      if (a.subType && TYPED_ARRAY[a.subType]) return `w.text(rt.jsonText(${read}));`;
      return bytesJson(ctx, a.displayHint, 'q', 'e');
    }
    case 'nest':
      return a.nestedAttributes ? `w.byte(123); ${ctx.setFn('json', a.nestedAttributes)}(w, d, v, q, e, c, w.n);` : 'w.hex(d, q, e);';
    default:
      if (isInt(a.type)) return intJson(ctx, a.type, a.enum, a.enumAsFlags, a.displayHint, read);
      return `w.text(rt.jsonText(${read}));`;
  }
}

/** Whether a set's writer goes attribute by attribute: not when a selector or a sub-message is itself repeated. */
function writesDirectly(ctx: EmitContext, s: AttrSet): boolean {
  return !s.attributes.some((a) => a.multiAttr && (a.type === 'sub-message' || ctx.selectorNames.has(a.name)));
}

/** Whether `a` selects a sub-message (its value travels down in the decode context, as the decoder passes it). */
const isSelector = (ctx: EmitContext, a: Attr) => ctx.selectorNames.has(a.name) && (a.type === 'string' || isInt(a.type));

/** Whether `a` is a sub-message selected by an attribute of the same set (written after the loop, as decoded). */
const sameLevelSub = (s: AttrSet, a: Attr) => a.type === 'sub-message' && a.selector !== undefined && s.attributes.some((b) => b.name === a.selector);

/** `d`, `v`, `c` as parameter names, `_`-prefixed where the body does not use them (strict configs flag those). */
const param = (name: string, body: string) => (new RegExp(`\\b${name}\\b`).test(body) ? name : `_${name}`);

function structWriter(ctx: EmitContext, s: StructDef): object {
  const { members } = ctx.structMembers(s);
  const parts = members.map(({ m, p }, i) => `w.text(${str(`${i === 0 ? '' : ','}${JSON.stringify(p)}:`)});\n  ${memberJson(ctx, m)}`);
  const fields = parts.join('\n  ');
  return {
    doc: docComment([`Writes \`${s.name}\` at \`o\` as JSON members (\`"key":value,…\`, no braces).`]),
    fieldsFn: `${ctx.structFn('json', s.name)}$fields`,
    fn: ctx.structFn('json', s.name),
    memoDoc: docComment([`The last \`${s.name}\` header a reply's writer wrote, and its JSON (see rt.JsonHeaderMemo).`]),
    size: s.size,
    data: param('d', fields),
    view: param('v', fields),
    fields,
  };
}

function setWriter(ctx: EmitContext, s: AttrSet): object {
  const fn = ctx.setFn('json', s.name);
  if (!writesDirectly(ctx, s)) {
    return { doc: docComment([`Writes the \`${s.name}\` attributes through their decoded object (see {@link ${ctx.setFn('decode', s.name)}}); the \`{\` is already written.`]), fn, cases: [], decodeFn: ctx.setFn('decode', s.name) };
  }
  const seen = new Set<string>();
  const cases: { value: number; action: string }[] = [];
  const subs: object[] = [];
  const selectors: string[] = [];
  for (const a of s.attributes) {
    if (a.type === 'unused') continue;
    if (a.type === 'pad') {
      cases.push({ value: a.value, action: '' });
      continue;
    }
    // A second copy of an attribute replaces the first in the decoded object: left to the decoder.
    const word = `s${a.value >> 5}`;
    const bit = 1 << (a.value & 31);
    seen.add(word);
    // The first member after `{` has no comma before it.
    const name = `${JSON.stringify(ctx.prop(s.name, a.name))}:`;
    const once = `if ((${word} & ${bit}) !== 0) rt.jsonAgain(); ${word} |= ${bit};`;
    if (sameLevelSub(s, a)) {
      // Decoded after the loop, once the selector is known (it may come later): its member goes last.
      const local = `sub${a.value}`;
      cases.push({ value: a.value, action: `${once} ${local}q = q; ${local}e = e; ` });
      const sm = ctx.subMessages.get(a.subMessage!)!;
      const prop = ctx.prop(s.name, a.name);
      subs.push({
        local,
        selector: `sel${s.attributes.find((b) => b.name === a.selector)!.value}`,
        known: sm.formats.length > 0 ? sm.formats.map((f) => `sel === ${str(f.value)}`).join(' || ') : 'false',
        key: str(`${JSON.stringify(prop)}:`),
        commaKey: str(`,${JSON.stringify(prop)}:`),
        rawKey: str(`${JSON.stringify(`${prop}Raw`)}:`),
        commaRawKey: str(`,${JSON.stringify(`${prop}Raw`)}:`),
        fn: `json${ctx.scope.get(`sub:${a.subMessage}`)}`,
      });
      continue;
    }
    if (isSelector(ctx, a)) {
      // Its value selects sub-messages: kept for this set's own and passed down in the context, as the decoder does.
      const local = `sel${a.value}`;
      const keep = s.attributes.some((b) => sameLevelSub(s, b) && b.selector === a.name);
      if (keep) selectors.push(local);
      const text = a.type === 'string' ? 'w.text(JSON.stringify(x));' : intJson(ctx, a.type, a.enum, a.enumAsFlags, a.displayHint, 'x');
      cases.push({ value: a.value, action: `${once} { const x = ${attrRead(ctx, s, a)};${keep ? ` ${local} = x;` : ''} w.key(s, ${str(`,${name}`)}); ${text} c = rt.withSelector(c, ${str(a.name)}, x); } ` });
      continue;
    }
    if (a.multiAttr) {
      // The decoder gathers every copy into one array, at the first one's place: written so while the copies come
      // one after another (as the kernel sends them); a copy after some other attribute is left to the decoder.
      const item = attrJson(ctx, s, a);
      cases.push({
        value: a.value,
        action: `if (open === ${a.value}) { w.byte(44); ${item} } else { if ((${word} & ${bit}) !== 0) rt.jsonAgain(); ${word} |= ${bit}; w.key(s, ${str(`,${name}[`)}); ${item} open = ${a.value}; } `,
      });
      continue;
    }
    cases.push({ value: a.value, action: `if ((${word} & ${bit}) !== 0) rt.jsonAgain(); ${word} |= ${bit}; w.key(s, ${str(`,${name}`)}); ${attrJson(ctx, s, a)} ` });
  }
  const body = cases.map((x) => x.action).join('\n');
  return {
    doc: docComment([`Writes the \`${s.name}\` attributes in \`[p, end)\` as the members of an object and closes it; its \`{\` (and a fixed header's members) are already written, the members start at \`s\`.`]),
    fn,
    cases,
    seen: [...seen].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
    decodeFn: ctx.setFn('decode', s.name),
    repeats: s.attributes.some((a) => a.type !== 'pad' && a.type !== 'unused' && a.multiAttr),
    subs,
    selectors: selectors.map((x) => `let ${x}: unknown;`),
  };
}

/** A sub-message's writer: its format chosen by the selector's value, as the decoder chooses it. */
function subMessageWriter(ctx: EmitContext, m: SubMessage): { fn: string; doc: string; formats: { value: string; write: string }[] } {
  const id = ctx.scope.get(`sub:${m.name}`)!;
  const formats = m.formats.map((fmt) => {
    let write = `w.text('{}');`;
    if (fmt.fixedHeader && fmt.attributeSet) {
      const size = ctx.structs.get(fmt.fixedHeader)!.size;
      write = `if (e - p < ${size}) rt.jsonAgain(); w.byte(123); const s = w.n; ${ctx.structFn('json', fmt.fixedHeader)}$fields(w, d, v, p); ${ctx.setFn('json', fmt.attributeSet)}(w, d, v, Math.min(e, p + ${align4(size)}), e, c, s);`;
    } else if (fmt.fixedHeader) write = `${ctx.structFn('json', fmt.fixedHeader)}(w, d, v, p, e);`;
    else if (fmt.attributeSet) write = `w.byte(123); ${ctx.setFn('json', fmt.attributeSet)}(w, d, v, p, e, c, w.n);`;
    return { value: str(fmt.value), write };
  });
  return { fn: `json${id}`, doc: docComment([`Writes a \`${m.name}\` payload as JSON, in the format the selector's value picks.`]), formats };
}

/** The writer of one reply layout: header members, then attributes, as one object. */
function messageWriter(ctx: EmitContext, l: { hdr: number; fixed?: string; set?: string }, fn: string, decodeFn: string, what: string): object {
  const g = ctx.isGenl ? 4 : 0;
  const setOk = l.set === undefined || writesDirectly(ctx, ctx.sets.get(l.set)!);
  let direct = '';
  // A header before attributes must be whole (the decoder zero-fills a short one); a header alone checks its size.
  const minSize = l.fixed && l.set ? g + ctx.structs.get(l.fixed)!.size : 0;
  if (setOk) {
    // A header before attributes goes through its memo (dumps repeat their headers); see rt.JsonHeaderMemo.
    const header = l.fixed ? `${ctx.structFn('json', l.fixed)}$memo.open(w, m.data, m.view, m.start + ${g}, ${ctx.structFn('json', l.fixed)}$fields);` : 'w.byte(123);';
    if (l.set) direct = `${header}\n    ${ctx.setFn('json', l.set)}(w, m.data, m.view, Math.min(m.end, m.start + ${l.hdr}), m.end, c, s + 1);`;
    else if (l.fixed) direct = `${ctx.structFn('json', l.fixed)}(w, m.data, m.view, m.start + ${g}, m.end);`;
    else direct = `w.text('{}');`;
  }
  return { doc: docComment([`Writes one ${what} as JSON, the same text as \`rt.jsonText(${decodeFn}(m, c))\`.`]), fn, direct, minSize, decodeFn };
}

/** Every writer of the family that a reply's writer reaches (strict configs flag unused functions). */
export function jsonWriters(ctx: EmitContext): string {
  const messages: { direct: string }[] = [];
  for (const op of ctx.f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const om = op[mode];
      if (!om || (om.reply === undefined && mode !== 'dump')) continue;
      const decodeFn = ctx.opFn('decrep', mode, op);
      messages.push(messageWriter(ctx, ctx.layout(op), jsonFnOf(decodeFn), decodeFn, `\`${op.name}\` ${mode} reply`) as { direct: string });
    }
  }
  // Function name → the code it calls, for every candidate writer; then what the replies' writers reach.
  const structs = [...ctx.structs.values()].map((s) => structWriter(ctx, s) as { fn: string; fieldsFn: string; fields: string; whole?: boolean; used?: boolean; memo?: boolean });
  const sets = [...ctx.sets.values()].map((s) => setWriter(ctx, s) as { fn: string; cases: { action: string }[]; subs?: { fn: string }[]; used?: boolean });
  const subMessages = [...ctx.subMessages.values()].map((m) => subMessageWriter(ctx, m) as ReturnType<typeof subMessageWriter> & { used?: boolean });
  const bodies = new Map<string, string>();
  for (const x of subMessages) bodies.set(x.fn, x.formats.map((f) => f.write).join('\n'));
  for (const x of structs) {
    bodies.set(x.fieldsFn, x.fields);
    bodies.set(x.fn, x.fieldsFn);
  }
  for (const x of sets) bodies.set(x.fn, [...x.cases.map((c) => c.action), ...(x.subs ?? []).map((m) => `${m.fn}(`)].join('\n'));
  const reached = new Set<string>();
  const visit = (code: string) => {
    for (const [name] of code.matchAll(/\bjson[A-Z][A-Za-z0-9_]*(?:\$fields)?(?![$\w])/g)) {
      if (reached.has(name) || !bodies.has(name)) continue;
      reached.add(name);
      visit(bodies.get(name)!);
    }
  };
  for (const m of messages) visit(m.direct);
  const memos = new Set([...messages.map((m) => m.direct).join('\n').matchAll(/\b(json[A-Z][A-Za-z0-9_]*)\$memo\b/g)].map((x) => x[1]));
  for (const x of structs) {
    x.used = reached.has(x.fieldsFn);
    x.whole = reached.has(x.fn);
    x.memo = memos.has(x.fn);
  }
  for (const x of sets) x.used = reached.has(x.fn);
  for (const x of subMessages) x.used = reached.has(x.fn);
  return render('json-writers.hbs', { structs: structs.filter((x) => x.used), sets: sets.filter((x) => x.used), subMessages: subMessages.filter((x) => x.used), messages });
}

/** The writer of the reply that decoder `decodeFn` (`decodeGetrouteDumpReply`) decodes. */
export function jsonFnOf(decodeFn: string): string {
  return decodeFn.replace(/^decode/, 'json');
}
