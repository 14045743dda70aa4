// What the spec validators are compiled with, shared by the CLI's validation and the build step that precompiles them.
import { createHash } from 'node:crypto';
import type { Options } from 'ajv';

/** ajv options for our schemas: every error, with the schema that raised it (the messages quote it). */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
  allowUnionTypes: true,
};

/** File name of the precompiled validators module, written next to the compiled schemas at build time. */
export const PRECOMPILED_VALIDATORS = 'validators.cjs';

/** Export name of a protocol level's validator in that module (`genetlink-legacy` → `genetlink_legacy`). */
export function validatorExportName(protocol: string): string {
  return protocol.replace(/-/g, '_');
}

/**
 * Fingerprint of the schemas a precompiled module was made from: the CLI uses the module only when it matches the
 * schemas it runs with, so a build that refreshed one and not the other can never validate against stale rules.
 */
export function schemaDigest(schemas: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(schemas)).update(JSON.stringify(AJV_OPTIONS)).digest('hex');
}
