// Public API of the spec toolchain: load → validate → resolve into the Family model.
export * from './model.js';
export { formatSpecError, compareSpecErrors, InvalidSpecError, type SpecError } from './diagnostics.js';
export { loadSpec, loadSpecText, type SpecDocument, type LinePos } from './load.js';
export { validateSpec, protocols } from './validate.js';
export { resolveFamily, NETLINK_GENERIC } from './resolve.js';
export { readFamilies, specPaths } from './read-families.js';
export { schemasByProtocol, type JsonSchema } from './schemas/index.js';
export { printFamilyModule, printIndexModule, moduleFileName, GENERATED_MARK } from './print-module.js';
