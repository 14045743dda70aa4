// Public surface of the nlgen runtime (imported by generated clients as `@nlgen/runtime`), layer by layer, lowest
// first; each folder's index says what the layer owns and what it may import (test/generator/import-cycles.test.ts
// holds the order).
export * from './sys/index.js';
export * from './wire/index.js';
export * from './transport/index.js';
export * from './socket/index.js';
export * from './codec/index.js';
export * from './client/index.js';
export * from './mock/index.js';
