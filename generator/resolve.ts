// Resolution: a validated spec document becomes the plain-data Family model (numbers assigned, subsets
// merged, references checked, structs laid out). All semantic errors are collected, then thrown together.
import { InvalidSpecError, type SpecError } from './diagnostics.js';
import type { SpecDocument } from './load.js';
import type { AttrSet, Family, Protocol } from './model.js';
import { indexAttrSets, resolveAttrSets } from './resolve-attrs.js';
import { ResolveContext } from './resolve-context.js';
import { resolveDefinitions } from './resolve-definitions.js';
import type { YSpec } from './resolve-input.js';
import { resolveMcastGroups, resolveOperations } from './resolve-ops.js';
import { validateSpec } from './validate.js';
import { checkFamily } from './check-family.js';

/** NETLINK_GENERIC: the protocol number of every genetlink family's socket. */
export const NETLINK_GENERIC = 16;

/** Keys copied verbatim into `Family.cNames`. */
const cNameKeys = ['c-family-name', 'c-version-name', 'max-by-define', 'cmd-max-name', 'cmd-cnt-name', 'kernel-policy'];

/**
 * Validates `doc` against its protocol's schema and resolves it into a Family. Throws InvalidSpecError
 * carrying every schema error, or else every semantic error (dangling references, duplicates, ...).
 * Tolerable problems (as the kernel's own tools tolerate them) are appended to `opts.warnings`.
 */
export function resolveFamily(doc: SpecDocument, opts: { warnings?: SpecError[] } = {}): Family {
  const schemaErrors = validateSpec(doc);
  if (schemaErrors.length > 0) throw new InvalidSpecError(schemaErrors);
  const spec = doc.data as YSpec;
  const ctx = new ResolveContext(doc, spec);
  const protocol = (spec.protocol ?? 'genetlink') as Protocol;

  const definitions = resolveDefinitions(ctx);
  const sets = indexAttrSets(ctx);
  const { attributeSets, subMessages } = resolveAttrSets(ctx, sets);
  const mcastGroups = resolveMcastGroups(ctx, protocol);
  const setsByName = new Map<string, AttrSet>();
  for (const s of attributeSets) if (!setsByName.has(s.name)) setsByName.set(s.name, s);
  const operations = resolveOperations(ctx, setsByName, mcastGroups);

  let protonum = NETLINK_GENERIC;
  if (protocol === 'netlink-raw') {
    if (spec.protonum === undefined) ctx.error('', 'netlink-raw specs need `protonum` (the netlink protocol number)', false);
    else protonum = spec.protonum;
  }
  opts.warnings?.push(...ctx.warnings);
  if (ctx.errors.length > 0) throw new InvalidSpecError(ctx.errors);

  const cNames: Record<string, string | boolean> = {};
  for (const k of cNameKeys) {
    const v = spec[k];
    if (typeof v === 'string' || typeof v === 'boolean') cNames[k] = v;
  }
  const genl = protocol !== 'netlink-raw';
  const family: Family = {
    name: spec.name,
    protocol,
    protonum,
    ...(spec.doc !== undefined ? { doc: spec.doc } : {}),
    ...(genl ? { version: spec.version ?? 1, kernelFamily: spec.name } : {}),
    ...(spec['uapi-header'] !== undefined ? { uapiHeader: spec['uapi-header'] } : {}),
    ...(Object.keys(cNames).length > 0 ? { cNames } : {}),
    definitions,
    attributeSets,
    subMessages,
    operations,
    mcastGroups,
    source: { file: doc.file, sha256: doc.sha256 },
  };
  const problems = checkFamily(family);
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return family;
}
