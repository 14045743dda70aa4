// sys/ — the C library, the runtime's lowest layer: system calls through koffi (socket, bind, sendmsg, recvmsg,
// setsockopt, setns, strerror) and errno names. May import nothing of the runtime. Everything that calls into libc goes
// through ffi.ts, the only importer of koffi.
export * from './errno.js';
