// Model → the sections of one family's TypeScript module, in module order: each construct has its own emitter under
// emit/ (and its template under templates/), all reading one EmitContext of names and lookups computed once.
//
// Everything here is decided at generation time: decoders switch on attribute numbers and read with DataView,
// encoders write in spec order; the runtime never interprets a spec. Spec text only enters the output through
// names.ts (identifiers, string literals, doc comments).

import type { Family } from './model.js';
import { docComment } from './names.js';
import { setDecl } from './emit/attr-sets.js';
import { client } from './emit/client.js';
import { codecs } from './emit/codecs.js';
import { constDecl } from './emit/constants.js';
import { EmitContext } from './emit/context.js';
import { dropUnusedTables, enumDecl } from './emit/enums.js';
import { nameTables } from './emit/name-tables.js';
import { jsonWriters } from './emit/json-writers.js';
import { opPayloadFunctions } from './emit/operation-payloads.js';
import { opTypes } from './emit/operation-types.js';
import { shapes } from './emit/shapes.js';
import { structDecl } from './emit/structs.js';
import { subMessageDecl } from './emit/sub-messages.js';

/** One titled block of generated code, in module order. */
export interface Section {
  title: string;
  code: string;
}

/** The parts of a family module that the template lays out. */
export interface FamilyModule {
  family: Family;
  moduleDoc: string;
  clientName: string;
  sections: Section[];
}

/** Builds the sections of one family's module. */
export function emitFamily(family: Family): FamilyModule {
  const ctx = new EmitContext(family);
  const sections: Section[] = [];
  const consts = ctx.f.definitions.filter((d) => d.kind === 'const');
  if (consts.length > 0) sections.push({ title: 'Constants', code: consts.map((c) => constDecl(ctx, c.name)).join('\n') });
  if (ctx.enums.size > 0) sections.push({ title: 'Enums and flags', code: [...ctx.enums.values()].map((e) => enumDecl(ctx, e)).join('\n') });
  if (ctx.structs.size > 0) sections.push({ title: 'Structs', code: [...ctx.structs.values()].map((s) => structDecl(ctx, s)).join('\n') });
  if (ctx.sets.size > 0) sections.push({ title: 'Attribute sets', code: [...ctx.sets.values()].map((s) => setDecl(ctx, s)).join('\n') });
  if (ctx.subMessages.size > 0) sections.push({ title: 'Sub-messages', code: [...ctx.subMessages.values()].map((m) => subMessageDecl(ctx, m)).join('\n') });
  if (ctx.shapeOf.size > 0) sections.push({ title: 'Decoded object shapes', code: shapes(ctx) });
  sections.push({ title: 'Operation messages', code: opTypes(ctx) });
  sections.push({ title: 'Operation payloads', code: opPayloadFunctions(ctx) });
  sections.push({ title: 'JSON writers', code: jsonWriters(ctx) });
  sections.push({ title: 'Attribute names for error paths', code: nameTables(ctx) });
  sections.push({ title: 'Client', code: client(ctx) });
  sections.push({ title: 'Codecs without a socket', code: codecs(ctx) });
  if (ctx.idConsts.length > 0) {
    // First in the module: the numbers a reader of the kernel's headers knows (RTM_NEWLINK …).
    sections.unshift({ title: ctx.isGenl ? 'Commands' : 'Message types', code: ctx.idConsts.join('') });
  }
  if (ctx.keySetDecls.length > 0) {
    // Declared before the encoders that read them (they only run later, but a reader meets them first).
    const at = sections.findIndex((x) => x.title === 'Structs' || x.title === 'Attribute sets');
    sections.splice(at < 0 ? sections.length : at, 0, { title: 'Keys a request value may have', code: `${ctx.keySetDecls.join('\n')}\n` });
  }
  const enumSection = sections.find((x) => x.title === 'Enums and flags');
  if (enumSection) enumSection.code = dropUnusedTables(enumSection.code, sections.filter((x) => x !== enumSection).map((x) => x.code).join('\n'));
  return {
    family: ctx.f,
    clientName: ctx.clientName,
    moduleDoc: docComment([ctx.f.doc ?? `The ${ctx.f.name} netlink family.`, `@packageDocumentation`]),
    sections,
  };
}
