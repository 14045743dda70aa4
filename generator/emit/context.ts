// What every construct's emitter shares, computed once per family: the module's names (claimed in a fixed order so
// collisions resolve the same way every run), lookups by spec name, key sets and message-id constants registered as
// emitters ask for them, operation layouts.
import type { AttrSet, EnumDef, Family, Operation, StructDef, StructMember, SubMessage } from '../model.js';
import { NameScope, camelCase, docComment, jsonString, memberName, pascalCase, upperSnake } from '../names.js';
import { align4 } from './int-types.js';
import { render } from '../templates.js';

/** Members every generated client has (rt.FamilyClient's, Object's, `then`): no op method may take them. */
const CLIENT_MEMBERS = new Set([
  'socket', 'familyId', 'groupIds', 'names', 'decodeCtx', 'close', 'batch', 'send', 'sendAck', 'nameError', 'dumpOf',
  'subscribeTo', 'subscribe', 'decodeNotification', 'constructor', 'then', 'toString', 'toJSON',
  'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__proto__',
]);

/**
 * The client method of an op's mode: `getlink`, `getlinkDump`. Reserved words are fine as method names
 * (`conntrack.delete()`); an op named like a member the client inherits (`close`, `subscribe`, `then`…) gets `Op`
 * appended instead of silently overriding it (`then` would even make every client a thenable that `await` unwraps).
 * The reference pages name methods with this too.
 */
export function methodNameOf(opName: string, mode: 'do' | 'dump'): string {
  const base = memberName(opName);
  const name = mode === 'do' ? base : `${base}Dump`;
  return CLIENT_MEMBERS.has(name) ? `${name}Op` : name;
}

/** Names, lookups and registries of one family's module, shared by every construct's emitter. */
export class EmitContext {
  readonly scope = new NameScope(['rt', 'FAMILY_NAME', 'PROTOCOL', 'ATTR_NAMES', 'NOTIFICATIONS']);

  readonly enums = new Map<string, EnumDef>();

  readonly structs = new Map<string, StructDef>();

  readonly sets = new Map<string, AttrSet>();

  readonly subMessages = new Map<string, SubMessage>();

  /** Key sets for rt.checkKeys by content, and their declarations (written before the encoders that use them). */
  readonly keySets = new Map<string, string>();

  readonly keySetDecls: string[] = [];

  /** Declarations of the message-id constants the module's code names (see `idConst`). */
  readonly idConsts: string[] = [];

  /** Per attribute set: property name of each attribute (unique within the set). */
  readonly props = new Map<string, Map<string, string>>();

  /** Attribute sets whose type is a union (same-level sub-messages); picked with rt.PickAttrs. */
  readonly unionSets = new Set<string>();

  /** Per attribute set decoded into an object of its own shape: the shape's name (see `shapes`). */
  readonly shapeOf = new Map<string, string>();

  /** Per set with a shape: the fixed-header structs decoded before it into the same object. */
  readonly headersOf = new Map<string, string[]>();

  /** Per struct used as a fixed header: camelCase member names that an attribute of the same message also has. */
  readonly headerClashes = new Map<string, Set<string>>();

  readonly isGenl: boolean;

  /** Names of attributes that select a sub-message somewhere in the family (their values travel down). */
  readonly selectorNames: ReadonlySet<string>;

  readonly clientName: string;

  constructor(readonly f: Family) {
    this.isGenl = f.protocol !== 'netlink-raw';
    for (const d of f.definitions) {
      if (d.kind === 'struct') this.structs.set(d.name, d);
      else if (d.kind === 'enum' || d.kind === 'flags') this.enums.set(d.name, d);
    }
    for (const s of f.attributeSets) this.sets.set(s.name, s);
    for (const m of f.subMessages) this.subMessages.set(m.name, m);
    this.selectorNames = new Set(f.attributeSets.flatMap((x) => x.attributes.filter((a) => a.type === 'sub-message' && a.selector).map((a) => a.selector!)));
    // Claim module-level names in a fixed order so collisions resolve the same way every run.
    this.clientName = this.scope.claim('client', pascalCase(f.name));
    for (const d of f.definitions) {
      if (d.kind === 'const') this.scope.claim(`const:${d.name}`, upperSnake(d.name));
      else this.scope.claim(`def:${d.name}`, pascalCase(d.name));
    }
    for (const s of f.attributeSets) {
      this.scope.claim(`set:${s.name}`, pascalCase(s.name.endsWith('attrs') ? s.name : `${s.name}-attrs`));
      const local = new NameScope(['$unknown']);
      const m = new Map<string, string>();
      for (const a of s.attributes) m.set(a.name, local.claim(a.name, camelCase(a.name)));
      this.props.set(s.name, m);
      if (s.attributes.some((a) => a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector))) {
        this.unionSets.add(s.name);
      }
    }
    for (const m of f.subMessages) this.scope.claim(`sub:${m.name}`, pascalCase(`${m.name}-formats`));
    // A fixed header and the attributes after it share one object: a header field whose name an attribute of the
    // same message also has would be overwritten, so such fields are renamed (see structDecl).
    const clash = (struct: string | undefined, set: string | undefined) => {
      if (!struct || !set || !this.structs.has(struct) || !this.props.has(set)) return;
      const props = new Set(this.props.get(set)!.values());
      for (const m of this.structs.get(struct)!.members) {
        if (m.type !== 'pad' && props.has(camelCase(m.name))) this.headerClashes.set(struct, (this.headerClashes.get(struct) ?? new Set()).add(camelCase(m.name)));
      }
    };
    for (const op of f.operations.list) clash(op.fixedHeader ?? f.operations.fixedHeader, op.attributeSet);
    for (const m of f.subMessages) for (const fmt of m.formats) clash(fmt.fixedHeader, fmt.attributeSet);
    // Sets decoded into a message object with a header, and sets with more attributes than an empty literal holds in
    // the object itself (4), get a shape: a constructor V8 sizes for all their properties (see `shapes`).
    const pair = (struct: string | undefined, set: string | undefined) => {
      if (!struct || !set || !this.structs.has(struct) || !this.sets.has(set)) return;
      const list = this.headersOf.get(set) ?? [];
      if (!list.includes(struct)) list.push(struct);
      this.headersOf.set(set, list);
    };
    for (const op of f.operations.list) pair(op.fixedHeader ?? f.operations.fixedHeader, op.attributeSet);
    for (const op of f.operations.list) {
      const target = op.notify ? f.operations.list.find((o) => o.name === op.notify) : undefined;
      if (target) pair(op.fixedHeader ?? target.fixedHeader ?? f.operations.fixedHeader, target.attributeSet);
    }
    for (const m of f.subMessages) for (const fmt of m.formats) pair(fmt.fixedHeader, fmt.attributeSet);
    for (const s of f.attributeSets) {
      const attrs = s.attributes.filter((a) => a.type !== 'pad' && a.type !== 'unused').length;
      if (this.headersOf.has(s.name) || attrs > 4) this.shapeOf.set(s.name, `${this.scope.get(`set:${s.name}`)}$shape`);
    }
    for (const op of f.operations.list) {
      for (const mode of ['do', 'dump'] as const) {
        const om = op[mode];
        if (om?.request) this.scope.claim(`req:${mode}:${op.name}`, pascalCase(`${op.name}-${mode === 'do' ? '' : 'dump-'}request`));
        if (om?.reply) this.scope.claim(`rep:${mode}:${op.name}`, pascalCase(`${op.name}-${mode === 'do' ? '' : 'dump-'}reply`));
      }
      if (op.isNotification) this.scope.claim(`ntf:${op.name}`, pascalCase(`${op.name}-message`));
    }
    this.scope.claim('notification', `${this.clientName}Notification`);
    this.scope.claim('group', `${this.clientName}Group`);
    this.scope.claim('codecs', `${this.clientName}Codecs`);
    // The per-operation payload functions are named `encode<RequestType>` / `decode<ReplyType>`; a mode without such a
    // type claims the name it would have had, last, so no public name shifts.
    for (const op of f.operations.list) {
      for (const mode of ['do', 'dump'] as const) {
        if (!op[mode]) continue;
        const suffix = mode === 'do' ? '' : 'dump-';
        if (!this.scope.get(`req:${mode}:${op.name}`)) this.scope.claim(`encreq:${mode}:${op.name}`, pascalCase(`${op.name}-${suffix}request`));
        if (!this.scope.get(`rep:${mode}:${op.name}`)) this.scope.claim(`decrep:${mode}:${op.name}`, pascalCase(`${op.name}-${suffix}reply`));
      }
    }
  }

  /** The TypeScript type name of an attribute set. */
  setType(name: string): string {
    return this.scope.get(`set:${name}`)!;
  }

  /** The TypeScript name of a definition (struct, enum, flags). */
  defName(name: string): string {
    return this.scope.get(`def:${name}`)!;
  }

  /** The property name of an attribute within its set. */
  prop(set: string, attr: string): string {
    return this.props.get(set)!.get(attr)!;
  }

  /** The name of an attribute set's encoder or decoder function. */
  setFn(kind: 'encode' | 'decode' | 'json', set: string): string {
    return `${kind}${this.setType(set)}`;
  }

  /** The name of a struct's encoder or decoder function. */
  structFn(kind: 'encode' | 'decode' | 'json', name: string): string {
    return `${kind}${this.defName(name)}`;
  }

  readonly extraTables = new Map<string, string>();

  /** Property names of a struct's members (header fields named like an attribute get the struct's name in front). */
  structMembers(s: StructDef): { local: NameScope; members: { m: StructMember; clash: boolean; p: string }[] } {
    const local = new NameScope(['$extra']);
    const clashes = this.headerClashes.get(s.name);
    const members = s.members
      .filter((m) => m.type !== 'pad')
      .map((m) => ({ m, clash: clashes?.has(camelCase(m.name)) ?? false }))
      .map(({ m, clash }) => ({ m, clash, p: local.claim(m.name, clash ? camelCase(`${s.name}-${m.name}`) : camelCase(m.name)) }));
    return { local, members };
  }

  /** Keys a plain-JS value of a struct may have. */
  structKeys(name: string): string[] {
    return [...this.structMembers(this.structs.get(name)!).members.map((x) => x.p), '$extra'];
  }

  /** Keys a plain-JS value of an attribute set may have (`only`: just these attributes, as an op's request lists). */
  setKeys(set: string, only?: readonly string[]): string[] {
    const s = this.sets.get(set)!;
    const keys: string[] = [];
    for (const a of s.attributes) {
      if (a.type === 'pad' || a.type === 'unused' || (only && !only.includes(a.name))) continue;
      const p = this.prop(set, a.name);
      keys.push(p);
      if (a.type === 'sub-message' && a.selector && s.attributes.some((b) => b.name === a.selector)) keys.push(`${p}Raw`);
    }
    keys.push('$unknown');
    return keys;
  }

  /** A module constant holding a key set for rt.checkKeys, shared by every encoder that needs the same keys. */
  keySet(keys: readonly string[]): string {
    const sorted = [...new Set(keys)].sort();
    const key = `keys:${sorted.join('\0')}`;
    let id = this.keySets.get(key);
    if (id === undefined) {
      id = `KEYS$${this.keySets.size}`;
      this.keySets.set(key, id);
      this.keySetDecls.push(`const ${id} = rt.keySet(${jsonString(sorted)});`);
    }
    return id;
  }

  /** The fixed header struct of an operation's messages (its own, else the family's). */
  opFixedHeader(op: Operation): string | undefined {
    return op.fixedHeader ?? this.f.operations.fixedHeader;
  }

  /** Notification operations, one per message id (the first of any that share one). */
  notifications(): { op: Operation; id: number }[] {
    const seen = new Set<number>();
    const out: { op: Operation; id: number }[] = [];
    for (const op of this.f.operations.list) {
      if (!op.isNotification) continue;
      const id = op.value;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ op, id });
    }
    return out;
  }

  /** Where a message's payload parts are: genl header, fixed header struct, attributes. */
  layout(op: Operation): { hdr: number; fixed?: string; set?: string } {
    const fixed = this.opFixedHeader(op);
    const hdr = (this.isGenl ? 4 : 0) + (fixed ? align4(this.structs.get(fixed)!.size) : 0);
    return { hdr, fixed, set: op.attributeSet && this.sets.has(op.attributeSet) ? op.attributeSet : undefined };
  }

  /** A notification's layout: the notified op's header and attributes, or the notification's own. */
  notifyLayout(op: Operation): { hdr: number; fixed?: string; set?: string } {
    if (op.notify) {
      const target = this.f.operations.list.find((o) => o.name === op.notify);
      if (target) return this.layout({ ...target, fixedHeader: op.fixedHeader ?? target.fixedHeader });
    }
    return this.layout(op);
  }

  /** Header members as structDecl names them: `[member, property]`, pads left out. */
  structProps(s: StructDef): [StructMember, string][] {
    const local = new NameScope(['$extra']);
    const clashes = this.headerClashes.get(s.name);
    return s.members
      .filter((m) => m.type !== 'pad')
      .map((m) => [m, local.claim(m.name, clashes?.has(camelCase(m.name)) ? camelCase(`${s.name}-${m.name}`) : camelCase(m.name))]);
  }

  /** Name of an operation's request encoder (`encreq`) or reply decoder (`decrep`) function. */
  opFn(kind: 'encreq' | 'decrep', mode: 'do' | 'dump', op: Operation): string {
    const type = this.scope.get(`${kind === 'encreq' ? 'req' : 'rep'}:${mode}:${op.name}`) ?? this.scope.get(`${kind}:${mode}:${op.name}`)!;
    return `${kind === 'encreq' ? 'encode' : 'decode'}${type}`;
  }

  /** Request and reply types of an operation mode as the client methods and codecs take and return them. */
  opPayloadTypes(op: Operation, mode: 'do' | 'dump'): { req: string; rep: string } {
    const reqName = this.scope.get(`req:${mode}:${op.name}`) ?? 'Record<string, never>';
    return {
      req: mode === 'dump' ? `Partial<${reqName}>` : reqName,
      rep: this.scope.get(`rep:${mode}:${op.name}`) ?? (mode === 'dump' ? 'Record<string, never>' : 'void'),
    };
  }

  /** The client method name of an operation mode (`getlink`, `getlinkDump`; `closeOp` for a name the client already has). */
  methodName(op: Operation, mode: 'do' | 'dump'): string {
    return methodNameOf(op.name, mode);
  }

  /**
   * The constant naming an op's message id (`RTM_NEWLINK`, `NETDEV_CMD_DEV_GET`), as the kernel's headers name it:
   * the ops' `name-prefix` (default `<family>-cmd-` for genetlink, none for raw) before the op's name. `kind` tells
   * requests from notifications, which may reuse a request's number under their own name.
   */
  idConst(op: Operation, kind: 'request' | 'notification', value: number): string {
    const key = `id:${kind}:${op.name}`;
    const known = this.scope.get(key);
    if (known) return known;
    const prefix = this.f.operations.namePrefix ?? (this.isGenl ? `${this.f.name}-cmd-` : '');
    const id = this.scope.claim(key, upperSnake(`${prefix}${op.name}`));
    const doc = kind === 'request' ? `The \`${op.name}\` request's ${this.isGenl ? 'command' : 'message type'}.` : `The \`${op.name}\` notification's ${this.isGenl ? 'command' : 'message type'}.`;
    this.idConsts.push(render('constant.hbs', { doc: docComment([doc]), id, value }));
    return id;
  }

  /**
   * The capability the kernel checks before running a do op, when the spec or the protocol says: genetlink's
   * admin-perm/uns-admin-perm flags; rtnetlink wants CAP_NET_ADMIN for every message type but the gets (type & 3 ≠ 2,
   * rtnetlink_rcv_msg); nfnetlink for every message.
   */
  capabilityOf(op: Operation, type: number): string | undefined {
    if (this.isGenl) {
      if (op.flags.includes('admin-perm')) return 'CAP_NET_ADMIN';
      if (op.flags.includes('uns-admin-perm')) return 'CAP_NET_ADMIN in the user namespace that owns the network namespace';
      return undefined;
    }
    if (this.f.protonum === 0) return (type & 3) === 2 ? undefined : 'CAP_NET_ADMIN';
    if (this.f.protonum === 12) return 'CAP_NET_ADMIN';
    return undefined;
  }

}
