// mock/ — a kernel in JavaScript for unit tests of code that uses generated clients: the transport a socket is opened
// on instead of the kernel, served by handlers per message type (see mock-kernel.ts). May import every layer below;
// nothing in the runtime imports it.
export * from './mock-kernel.js';
export * from './recording.js';
export * from './mock-family.js';
