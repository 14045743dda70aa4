// Socket options through setsockopt/getsockopt: integers, and the receive buffer with its privileged fallback.
import { EPERM, errno, SO_RCVBUF, SO_RCVBUFFORCE, SOL_SOCKET, sys } from '../sys/ffi.js';
import { SystemError } from '../wire/errors.js';

/** Sets an integer socket option; false when the kernel refuses it (errno tells why). */
export function setInt(fd: number, level: number, name: number, value: number): boolean {
  return sys.setsockopt(fd, level, name, new Int32Array([value]), 4) === 0;
}

/** Reads an integer socket option. */
export function getInt(fd: number, level: number, name: number): number {
  const v = new Int32Array(1);
  const len = [4];
  if (sys.getsockopt(fd, level, name, v, len) !== 0) throw new SystemError(`getsockopt(${level}, ${name})`, errno());
  return v[0];
}

/** SO_RCVBUFFORCE (needs CAP_NET_ADMIN), else SO_RCVBUF (capped at rmem_max). */
export function setRcvBuf(fd: number, bytes: number): void {
  if (setInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, bytes)) return;
  const e = errno();
  if (e !== EPERM && e !== 13 /* EACCES */) throw new SystemError('setsockopt(SO_RCVBUFFORCE)', e);
  if (!setInt(fd, SOL_SOCKET, SO_RCVBUF, bytes)) throw new SystemError('setsockopt(SO_RCVBUF)', errno());
}
