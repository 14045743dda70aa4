// Overlays: corrections to a spec, in files of their own, applied by name before the spec is validated and resolved
// — so a user generating from an upstream spec can fix what upstream gets wrong (a type, a byte order, a number, a
// missing attribute or sub-message format) without copying and editing the spec. Every patch must find what it
// names; the patched spec is then validated as a whole, and an error in a patched value points at the patch.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InvalidSpecError, toPointer, type SpecError } from './diagnostics.js';
import { loadSpec, type SpecDocument } from './load.js';
import { overlaySchema } from './schemas/overlay.js';
import { compileSchema, schemaErrors } from './validate.js';
import { resolveOverlayPath, UPSTREAM_OVERLAYS } from './overlay-paths.js';

export { resolveOverlayPath, UPSTREAM_OVERLAYS } from './overlay-paths.js';

/** One patch of an overlay file, as written. */
interface Patch {
  doc?: string;
  'attribute-set'?: string;
  attribute?: string;
  attributes?: string[];
  definition?: string;
  member?: string;
  members?: string[];
  entry?: string;
  'sub-message'?: string;
  format?: string | number;
  operation?: string;
  'mcast-group'?: string;
  family?: true;
  to?: 'attribute-sets' | 'definitions' | 'sub-messages' | 'mcast-groups' | 'operations';
  set?: Record<string, unknown>;
  remove?: string[];
  add?: Record<string, unknown>[];
  drop?: true;
}

/** A loaded, schema-checked overlay file. */
export interface Overlay {
  readonly file: string;
  readonly doc: SpecDocument;
  /** The family it corrects. */
  readonly family: string;
  readonly patches: readonly Patch[];
  /** From a library of overlays (`@upstream`): one for a family none of the specs defines is not an error. */
  readonly optional: boolean;
}

/** Where a patch changed the spec (a JSON pointer into it) and where the patch was written. */
export interface PatchedAt {
  readonly pointer: string;
  readonly patch: SpecError;
}

let validateOverlay: ReturnType<typeof compileSchema> | undefined;

/** Expands folders to their overlay files (`*.yaml`, `*.yml`, sorted) and loads and checks each. */
export function loadOverlays(paths: readonly string[]): { overlays: Overlay[]; errors: SpecError[] } {
  const overlays: Overlay[] = [];
  const errors: SpecError[] = [];
  for (const given of paths) {
    const p = resolveOverlayPath(given);
    let files: string[];
    try {
      files = statSync(p).isDirectory()
        ? readdirSync(p)
            .filter((f) => /\.ya?ml$/.test(f))
            .sort()
            .map((f) => join(p, f))
        : [p];
    } catch {
      errors.push({ file: p, line: 0, col: 0, message: 'no such overlay file or folder', pointer: '' });
      continue;
    }
    for (const file of files) {
      try {
        const doc = loadSpec(file);
        validateOverlay ??= compileSchema(overlaySchema);
        const bad = schemaErrors(doc, validateOverlay, 'overlays');
        if (bad.length > 0) {
          errors.push(...bad);
          continue;
        }
        const data = doc.data as { family: string; patches: Patch[] };
        overlays.push({ file, doc, family: data.family, patches: data.patches, optional: given === UPSTREAM_OVERLAYS });
      } catch (e) {
        if (e instanceof InvalidSpecError) errors.push(...e.errors);
        else throw e;
      }
    }
  }
  return { overlays, errors };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The item of `list` called `name` (by its `name`, or `value` for sub-message formats; plain strings too). */
function indexOf(list: unknown, name: string | number, key = 'name'): number {
  if (!Array.isArray(list)) return -1;
  return list.findIndex((x) => (isObj(x) ? String(x[key]) === String(name) : String(x) === String(name)));
}

/**
 * Applies `overlays` (all for this spec's family) to the spec's data, in order. Returns the problems (each at the
 * patch that has it) and where patches changed the spec; on problems the data may be half patched and must not be used.
 */
export function applyOverlays(spec: SpecDocument, overlays: readonly Overlay[]): { errors: SpecError[]; patched: PatchedAt[] } {
  const errors: SpecError[] = [];
  const patched: PatchedAt[] = [];
  const root = spec.data as Obj;
  for (const o of overlays) {
    o.patches.forEach((p, i) => {
      const at = (key: string, message: string) => errors.push(o.doc.error(`/patches/${i}${key ? `/${key}` : ''}`, message));
      const kinds = (['family', 'attribute-set', 'definition', 'sub-message', 'operation', 'mcast-group'] as const).filter((k) => p[k] !== undefined);
      if (kinds.length !== 1) return at('', kinds.length === 0 ? 'name what to patch: attribute-set, definition, sub-message, operation, mcast-group or family' : `name one thing to patch, not ${kinds.join(' and ')}`);
      const kind = kinds[0]!;
      if (p.set === undefined && p.remove === undefined && p.add === undefined && p.drop === undefined) return at('', 'say what to do: set, remove, add or drop');
      if (p.drop && (p.set !== undefined || p.remove !== undefined || p.add !== undefined)) return at('drop', 'drop deletes the target; it does not go with set, remove or add');
      const listed = p.attribute ?? p.attributes ?? p.member ?? p.members ?? p.entry ?? p.format ?? p.operation ?? p['mcast-group'];
      if (p.drop && listed === undefined) return at('drop', 'drop deletes items of a list: name the attribute(s), member(s), entry, format, operation or group');
      const misplaced = (key: keyof Patch, allowed: string) => {
        if (p[key] !== undefined && kind !== allowed) at(key, `"${key}" goes with ${allowed}, not ${kind}`);
        return p[key] !== undefined && kind !== allowed;
      };
      if ([misplaced('attribute', 'attribute-set'), misplaced('attributes', 'attribute-set'), misplaced('member', 'definition'), misplaced('members', 'definition'), misplaced('entry', 'definition'), misplaced('format', 'sub-message'), misplaced('to', 'family')].some(Boolean)) return;
      // The target(s): [object, pointer] pairs, and the list `add` appends to.
      const targets: [Obj, string[]][] = [];
      // For drop: the lists holding the targets, and the targets.
      const holders: [unknown[], Obj][] = [];
      let addTo: { list: unknown[]; path: string[]; key: string } | undefined;
      const find = (listPath: string[], name: string, what: string, key: string, field: string, parent: Obj = root): [Obj, string[]] | undefined => {
        let list: unknown = parent;
        for (const k of listPath) list = isObj(list) ? list[k] : undefined;
        const j = indexOf(list, name, key);
        if (j < 0) {
          at(field, `${what} "${name}" is not in the spec`);
          return undefined;
        }
        const arr = list as unknown[];
        // A plain-string enum entry becomes an object so that keys can be set on it.
        if (!isObj(arr[j])) arr[j] = { name: arr[j] };
        holders.push([arr, arr[j] as Obj]);
        return [arr[j] as Obj, [...listPath, String(j)]];
      };
      if (kind === 'family') {
        targets.push([root, []]);
        if (p.add !== undefined) {
          if (p.to === undefined) return at('add', 'say which list of the spec to add to: `to: attribute-sets` (or definitions, sub-messages, mcast-groups, operations)');
          const path = p.to === 'mcast-groups' || p.to === 'operations' ? [p.to, 'list'] : [p.to];
          let parent: Obj = root;
          for (const k of path.slice(0, -1)) parent = (isObj(parent[k]) ? parent[k] : (parent[k] = {})) as Obj;
          const last = path[path.length - 1]!;
          if (!Array.isArray(parent[last])) parent[last] = [];
          addTo = { list: parent[last] as unknown[], path, key: 'name' };
        }
      } else if (kind === 'attribute-set') {
        const set = find(['attribute-sets'], p['attribute-set']!, 'attribute set', 'name', 'attribute-set');
        if (!set) return;
        const attrs = p.attributes ?? (p.attribute !== undefined ? [p.attribute] : undefined);
        if (attrs === undefined) {
          targets.push(set);
          if (!Array.isArray(set[0].attributes)) set[0].attributes = [];
          addTo = { list: set[0].attributes as unknown[], path: [...set[1], 'attributes'], key: 'name' };
        } else {
          if (p.add !== undefined) return at('add', 'add attributes to the set itself (leave out attribute/attributes)');
          for (const a of attrs) {
            const t = find(['attributes'], a, `attribute set "${p['attribute-set']}" attribute`, 'name', p.attributes ? 'attributes' : 'attribute', set[0]);
            if (t) targets.push([t[0], [...set[1], ...t[1]]]);
          }
        }
      } else if (kind === 'definition') {
        const def = find(['definitions'], p.definition!, 'definition', 'name', 'definition');
        if (!def) return;
        const list = def[0].type === 'struct' ? 'members' : 'entries';
        const subs = p.members ?? (p.member !== undefined ? [p.member] : p.entry !== undefined ? [p.entry] : undefined);
        if (subs === undefined) {
          targets.push(def);
          if (p.add !== undefined) {
            if (!Array.isArray(def[0][list])) def[0][list] = [];
            addTo = { list: def[0][list] as unknown[], path: [...def[1], list], key: 'name' };
          }
        } else {
          if (p.add !== undefined) return at('add', `add ${list} to the definition itself (leave out member/entry)`);
          for (const m of subs) {
            const t = find([list], m, `definition "${p.definition}" ${list === 'members' ? 'member' : 'entry'}`, 'name', p.members ? 'members' : p.member ? 'member' : 'entry', def[0]);
            if (t) targets.push([t[0], [...def[1], ...t[1]]]);
          }
        }
      } else if (kind === 'sub-message') {
        const msg = find(['sub-messages'], p['sub-message']!, 'sub-message', 'name', 'sub-message');
        if (!msg) return;
        if (p.format === undefined) {
          targets.push(msg);
          if (!Array.isArray(msg[0].formats)) msg[0].formats = [];
          addTo = { list: msg[0].formats as unknown[], path: [...msg[1], 'formats'], key: 'value' };
        } else {
          if (p.add !== undefined) return at('add', 'add formats to the sub-message itself (leave out format)');
          const t = find(['formats'], String(p.format), `sub-message "${p['sub-message']}" format`, 'value', 'format', msg[0]);
          if (t) targets.push([t[0], [...msg[1], ...t[1]]]);
        }
      } else if (kind === 'operation') {
        const op = find(['operations', 'list'], p.operation!, 'operation', 'name', 'operation');
        if (op) targets.push(op);
        if (p.add !== undefined) return at('add', 'an operation has no list to add to; set its keys instead');
      } else {
        const g = find(['mcast-groups', 'list'], p['mcast-group']!, 'multicast group', 'name', 'mcast-group');
        if (g) targets.push(g);
        if (p.add !== undefined) return at('add', 'a multicast group has no list to add to; set its keys instead');
      }
      if (targets.length === 0) return;
      if (p.drop) {
        // Only the innermost items named (an attribute, not its set) are dropped.
        for (const [t] of targets) {
          const h = holders.find(([, x]) => x === t);
          if (h) h[0].splice(h[0].indexOf(t), 1);
        }
        return;
      }
      const where = o.doc.error(`/patches/${i}`, '');
      for (const [t, path] of targets) {
        for (const k of p.remove ?? []) {
          if (!(k in t)) at('remove', `"${k}" is not set on ${path.length ? toPointer(path) : 'the spec'}; nothing to remove`);
          delete t[k];
        }
        // Attributes, members, entries and formats may be renamed (fixing a misspelt name); sets, definitions, sub-messages,
        // operations and groups are what other parts of a spec refer to by name.
        const item = p.attribute ?? p.attributes ?? p.member ?? p.members ?? p.entry ?? p.format;
        if (p.set !== undefined && 'name' in p.set && (kind === 'family' || item === undefined)) {
          at('set', 'a patch cannot rename a set, definition, sub-message, operation or group (other parts of the spec refer to it by name)');
          continue;
        }
        mergePatch(t, p.set ?? {}, path, (pointer) => patched.push({ pointer, patch: where }));
      }
      if (p.add !== undefined && addTo !== undefined) {
        for (const item of p.add) {
          const id = item[addTo.key];
          if (id === undefined) {
            at('add', `each item to add needs a ${addTo.key}`);
            continue;
          }
          if (indexOf(addTo.list, id as string, addTo.key) >= 0) {
            at('add', `"${String(id)}" is already in ${toPointer(addTo.path)}; patch it with set instead`);
            continue;
          }
          patched.push({ pointer: toPointer([...addTo.path, String(addTo.list.length)]), patch: where });
          addTo.list.push(structuredClone(item));
        }
      }
    });
  }
  return { errors, patched };
}

/**
 * Applies `patch` to `target` as a JSON Merge Patch (RFC 7386): mappings merge key by key, null removes a key, any
 * other value (lists included) replaces. `changed` hears the pointer of every value written or removed.
 */
function mergePatch(target: Obj, patch: Obj, path: readonly string[], changed: (pointer: string) => void): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (isObj(v) && isObj(target[k])) {
      mergePatch(target[k], v, [...path, k], changed);
      continue;
    } else target[k] = structuredClone(v);
    changed(toPointer([...path, k]));
  }
}

/** The spec's hash with its overlays folded in: generated code records what it was generated from. */
export function overlaidSha256(spec: SpecDocument, overlays: readonly Overlay[]): string {
  const h = createHash('sha256').update(spec.sha256);
  for (const o of overlays) h.update('\0').update(o.doc.sha256);
  return h.digest('hex');
}

/** Errors of the patched spec that lie in a patched value, moved to the patch that wrote it. */
export function blamePatches(errors: readonly SpecError[], patched: readonly PatchedAt[]): SpecError[] {
  return errors.map((e) => {
    const by = [...patched].reverse().find((p) => e.pointer === p.pointer || e.pointer.startsWith(`${p.pointer}/`));
    return by ? { ...by.patch, message: `${e.message} (in the spec as patched; at ${e.pointer})`, pointer: by.patch.pointer } : e;
  });
}

/** `rt-link.yaml, rt-link-errata.yaml` — overlay file names, for generated headers. */
export const overlayNames = (overlays: readonly Overlay[]): string[] => overlays.map((o) => basename(o.file));
