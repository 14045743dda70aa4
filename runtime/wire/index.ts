// wire/ — the netlink wire format, with no I/O: nlmsghdr framing, the attribute writer and cursor, string payloads,
// extended ACK decoding, error classes and attribute paths. May import sys/ (strerror for error messages) and
// nothing above it.
export * from './message.js';
export * from './attrs.js';
export * from './attr-path.js';
export * from './errors.js';
export * from './dump-interrupted.js';
export * from './extack.js';
