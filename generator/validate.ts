// Checking a loaded spec against our JSON Schema for its protocol level, with every error placed at
// the key or value that caused it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { toPointer, type SpecError } from './diagnostics.js';
import type { SpecDocument } from './load.js';
import { schemasByProtocol } from './schemas/index.js';
import { AJV_OPTIONS, PRECOMPILED_VALIDATORS, schemaDigest, validatorExportName } from './schemas/validator-options.js';

const require = createRequire(import.meta.url);
const compiled = new Map<string, ValidateFunction>();
/** The build's precompiled validators (schemas/precompile.ts); null when running from the sources or when stale. */
let precompiled: Record<string, ValidateFunction | undefined> | null | undefined;
let ajv: Ajv | undefined;

function validatorFor(protocol: string): ValidateFunction {
  let v = compiled.get(protocol);
  if (v) return v;
  if (precompiled === undefined) {
    const file = fileURLToPath(new URL(`./schemas/${PRECOMPILED_VALIDATORS}`, import.meta.url));
    const mod = existsSync(file) ? (require(file) as Record<string, unknown>) : undefined;
    precompiled = mod?.schemaDigest === schemaDigest(schemasByProtocol) ? (mod as Record<string, ValidateFunction | undefined>) : null;
  }
  v = precompiled?.[validatorExportName(protocol)];
  if (!v) {
    // ajv itself is loaded only here: importing it costs more than loading the precompiled module.
    // Two statements, not `new (require('ajv') as …).Ajv(…)`: TypeScript 7.0.2 drops those parentheses when it erases
    // the `as`, emitting `new require('ajv').Ajv(…)`, which calls the class without `new`.
    const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
    ajv ??= new AjvClass(AJV_OPTIONS);
    v = ajv.compile(schemasByProtocol[protocol]!);
  }
  compiled.set(protocol, v);
  return v;
}

/** Compiles a schema of nlgen's own (overlays) with the options the spec schemas use. */
export function compileSchema(schema: object): ValidateFunction {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  ajv ??= new AjvClass(AJV_OPTIONS);
  return ajv.compile(schema);
}

/** Protocol levels a spec may declare. */
export const protocols = Object.keys(schemasByProtocol);

/** Most schema errors reported for one file; the rest are counted in one last line. */
export const MAX_REPORTED_ERRORS = 50;

/**
 * Validates a spec's structure against the schema of its `protocol` (default `genetlink`).
 * Returns every error found (empty when valid); never throws for bad input.
 */
export function validateSpec(doc: SpecDocument): SpecError[] {
  const data = doc.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [doc.error('', 'a spec must be a YAML mapping (name, doc, attribute-sets, operations, ...)')];
  }
  const protocol = (data as Record<string, unknown>).protocol ?? 'genetlink';
  if (typeof protocol !== 'string' || !(protocol in schemasByProtocol)) {
    return [doc.error('/protocol', `unknown protocol ${JSON.stringify(protocol)}; expected one of: ${protocols.join(', ')}`)];
  }
  return schemaErrors(doc, validatorFor(protocol), `${protocol} specs`);
}

/**
 * Runs `validate` on the document's data and maps its errors to source positions (at most MAX_REPORTED_ERRORS of
 * them); `what` names the kind of file in messages (`netlink-raw specs`, `overlays`).
 */
export function schemaErrors(doc: SpecDocument, validate: ValidateFunction, what: string): SpecError[] {
  if (validate(doc.data)) return [];
  const errors: SpecError[] = [];
  const seen = new Set<string>();
  const all = validate.errors ?? [];
  for (let i = 0; i < all.length; i++) {
    if (errors.length === MAX_REPORTED_ERRORS) {
      // A file this wrong is usually not a spec at all; more lines would bury the first ones.
      // Placed after the last error shown, so that it sorts last.
      const last = errors.reduce((a, b) => (b.line > a.line || (b.line === a.line && b.col > a.col) ? b : a));
      errors.push({ ...last, message: `… and ${all.length - i} more schema errors not shown (fix the ones above first)`, pointer: '' });
      break;
    }
    const e = all[i]!;
    const err = toSpecError(doc, e, what);
    if (!err) continue;
    const key = `${err.pointer}\0${err.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(err);
  }
  return errors;
}

// Turns one ajv error into our wording; returns undefined for errors that only summarise others.
function toSpecError(doc: SpecDocument, e: ErrorObject, what: string): SpecError | undefined {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
    case 'allOf':
      // "must match then schema": the failing `then` rule is reported on its own.
      return undefined;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return doc.error(at + '/' + escape(key), `unknown key "${key}" for ${what}; allowed here: ${allowed.join(', ')}`, {
        key: true,
      });
    }
    case 'required':
      return doc.error(at, `missing required key "${String(params.missingProperty)}"`, { key: true });
    case 'type': {
      const want = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type);
      return doc.error(at, `must be ${article(want)}, not ${describe(e.data)}`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v)).join(', ');
      return doc.error(at, `${JSON.stringify(e.data)} is not allowed here; expected one of: ${allowed}`);
    }
    case 'const':
      return doc.error(at, `must be ${JSON.stringify(params.allowedValue)}`);
    case 'pattern': {
      const hint = (e.parentSchema as { description?: string })?.description ?? `must match ${String(params.pattern)}`;
      return doc.error(at, `${JSON.stringify(e.data)}: ${hint}`);
    }
    case 'not': {
      const parent = e.parentSchema as { description?: string; not?: { required?: string[] } } | undefined;
      const hint = parent?.description ?? 'is not allowed here';
      // `not: { required: [key] }` forbids one key: point at that key.
      const banned = parent?.not?.required;
      if (banned?.length === 1) return doc.error(at + '/' + escape(banned[0]), hint, { key: true });
      return doc.error(at, hint);
    }
    case 'minimum':
      return doc.error(at, `${String(e.data)} is too small; must be >= ${String(params.limit)}`);
    case 'minLength':
      return doc.error(at, 'must not be empty');
    default:
      return doc.error(at, e.message ?? `fails schema rule ${e.keyword}`);
  }
}

function escape(seg: string): string {
  return toPointer([seg]).slice(1);
}

function article(t: string): string {
  return (/^[aeiou]/.test(t) ? 'an ' : 'a ') + t;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}
