// Datagram I/O over preallocated native msghdr/iovec blocks: one recvmsg/sendmsg call, no per-call marshalling.
// All calls are synchronous on the main thread, so one process-wide receive block and one send block suffice.
import { allocNative, errno, freeNative, MSG_DONTWAIT, MSG_TRUNC, type NativeBlock, NETLINK_PKTINFO, SOL_NETLINK, sys } from './ffi.js';

// struct msghdr (LP64): name@0 namelen@8 iov@16 iovlen@24 control@32 controllen@40 flags@48 → 56 bytes.
const MSGHDR_SIZE = 56;
const IOV_SIZE = 16;
const RX_IOV = 64;
const RX_ADDR = 80; // struct sockaddr_nl: family u16, pad u16, pid u32, groups u32
const RX_CMSG = 96;
const RX_CMSG_CAP = 64;

/** Initial receive capacity; grown after a truncated datagram so the next one of that size fits. */
const RX_INITIAL = 256 * 1024;

/** Facts about the last datagram `receive` returned (mutated in place to avoid allocations). */
export const rx = {
  /** The datagram bytes (a fresh copy, owned by the caller). */
  data: new Uint8Array(0),
  /** Real datagram size (may exceed data.length when truncated). */
  size: 0,
  /** The datagram did not fit and was cut. */
  truncated: false,
  /** Sender port id (0 = the kernel). */
  srcPid: 0,
  /** Destination multicast group (0 = unicast), from NETLINK_PKTINFO or the group mask. */
  group: 0,
};

/** Datagrams up to this size share a slab (see `receive`); larger ones (dump batches) get their own buffer. */
const POOL_MAX_DATAGRAM = 4096;
const POOL_SIZE = 64 * 1024;
let pool = new Uint8Array(POOL_SIZE);
let poolOff = 0;

let rxHead: NativeBlock | undefined;
let rxData: NativeBlock | undefined;

function setupRx(capacity: number): void {
  if (rxData) freeNative(rxData);
  rxData = allocNative(capacity);
  if (!rxHead) rxHead = allocNative(RX_CMSG + RX_CMSG_CAP);
  const v = rxHead.view;
  const base = rxHead.ptr;
  v.setBigUint64(0, base + BigInt(RX_ADDR), true);
  v.setBigUint64(16, base + BigInt(RX_IOV), true);
  v.setBigUint64(24, 1n, true);
  v.setBigUint64(32, base + BigInt(RX_CMSG), true);
  v.setBigUint64(RX_IOV, rxData.ptr, true);
  v.setBigUint64(RX_IOV + 8, BigInt(capacity), true);
}

/** Current receive capacity in bytes. */
export function receiveCapacity(): number {
  if (!rxData) setupRx(RX_INITIAL);
  return rxData!.bytes.length;
}

/**
 * Receives one datagram without blocking. Returns its size (≥ 0; details in `rx`), or a negative errno
 * (−EAGAIN when nothing is queued, −ENOBUFS after an overrun).
 */
export function receive(fd: number): number {
  if (!rxData) setupRx(RX_INITIAL);
  const head = rxHead!;
  const v = head.view;
  v.setUint32(8, 12, true); // msg_namelen
  v.setUint32(40, RX_CMSG_CAP, true); // msg_controllen (low half; high half stays 0)
  const n = sys.recvmsg(fd, head.ptr, MSG_DONTWAIT | MSG_TRUNC);
  if (n < 0) return -errno();
  const cap = rxData!.bytes.length;
  rx.size = n;
  rx.truncated = n > cap;
  const len = n > cap ? cap : n;
  if (len <= POOL_MAX_DATAGRAM) {
    // Small datagrams (replies, ACKs, notifications) are copied into a shared slab instead of each getting an
    // ArrayBuffer of its own: allocating (and later collecting) a backing store costs more than the round trip's
    // own JS work. Slab regions are never reused; a slab is freed once no message points into it.
    if (poolOff + len > POOL_SIZE) {
      pool = new Uint8Array(POOL_SIZE);
      poolOff = 0;
    }
    pool.set(rxData!.bytes.subarray(0, len), poolOff);
    rx.data = pool.subarray(poolOff, poolOff + len);
    poolOff = (poolOff + len + 7) & ~7;
  } else rx.data = rxData!.bytes.slice(0, len);
  rx.srcPid = v.getUint32(RX_ADDR + 4, true);
  let group = 0;
  const clen = v.getUint32(40, true);
  if (clen >= 20) {
    // One cmsghdr: len u64, level i32, type i32, data.
    if (v.getInt32(RX_CMSG + 8, true) === SOL_NETLINK && v.getInt32(RX_CMSG + 12, true) === NETLINK_PKTINFO) {
      group = v.getUint32(RX_CMSG + 16, true);
    }
  }
  if (group === 0) {
    const mask = v.getUint32(RX_ADDR + 8, true);
    if (mask !== 0) group = 31 - Math.clz32(mask & -mask) + 1;
  }
  rx.group = group;
  if (rx.truncated) setupRx(Math.max(cap * 2, 2 ** Math.ceil(Math.log2(n))));
  return n;
}

let tx: NativeBlock | undefined;
let txDataOff = 0;
let txIovCap = 0;

function setupTx(iovs: number, bytes: number): void {
  if (tx) freeNative(tx);
  txIovCap = iovs;
  txDataOff = MSGHDR_SIZE + 8 + iovs * IOV_SIZE;
  tx = allocNative(txDataOff + bytes);
  txBase = Number(tx.ptr);
  tx.view.setBigUint64(16, tx.ptr + BigInt(MSGHDR_SIZE + 8), true);
}

let txBase = 0;

/** Writes a 64-bit little-endian value below 2^53 without allocating a BigInt. */
function setU64(v: DataView, at: number, value: number): void {
  v.setUint32(at, value % 0x100000000, true);
  v.setUint32(at + 4, Math.floor(value / 0x100000000), true);
}

/**
 * Sends several complete messages as one datagram with one sendmsg call (written back to back into a native
 * staging area, sent as one iovec). `fill(i, bytes, view, offset)` writes message i (`sizes[i]` bytes) at `offset`. Returns the
 * number of bytes sent or a negative errno.
 */
export function sendGathered(
  fd: number,
  count: number,
  totalBytes: number,
  sizes: ArrayLike<number>,
  fill: (i: number, dst: Uint8Array, dv: DataView, offset: number) => void,
): number {
  if (!tx || txIovCap < count || tx.bytes.length - txDataOff < totalBytes) {
    setupTx(Math.max(count, txIovCap, 64), Math.max(totalBytes, (tx?.bytes.length ?? 0) - txDataOff, 64 * 1024));
  }
  const t = tx!;
  const v = t.view;
  let off = txDataOff;
  for (let i = 0; i < count; i++) {
    fill(i, t.bytes, v, off);
    off += sizes[i];
  }
  // The messages lie back to back, so one iovec covers them: no per-message iovec to write, and no UIO_MAXIOV
  // (1024) limit on how many messages one sendmsg carries.
  const iovBase = MSGHDR_SIZE + 8;
  setU64(v, iovBase, txBase + txDataOff);
  setU64(v, iovBase + 8, off - txDataOff);
  setU64(v, 24, 1);
  const n = sys.sendmsg(fd, t.ptr, 0);
  return n < 0 ? -errno() : n;
}
