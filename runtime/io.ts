// Datagram I/O over preallocated native blocks: one recvmsg/send call, no per-call marshalling.
// All calls are synchronous on the main thread, so one process-wide receive block and one send block suffice.
import { addressOf, allocNative, errno, freeNative, MSG_DONTWAIT, MSG_TRUNC, type NativeBlock, NETLINK_PKTINFO, SOL_NETLINK, sys } from './ffi.js';

// struct msghdr (LP64): name@0 namelen@8 iov@16 iovlen@24 control@32 controllen@40 flags@48 → 56 bytes.
const MSGHDR_SIZE = 56;
const IOV_SIZE = 16;
// Two receive iovecs: the free tail of the current slab, then the overflow buffer.
const RX_IOV = 64;
const RX_ADDR = RX_IOV + 2 * IOV_SIZE; // struct sockaddr_nl: family u16, pad u16, pid u32, groups u32
const RX_CMSG = RX_ADDR + 16;
const RX_CMSG_CAP = 64;

/** Initial overflow capacity; grown after a truncated datagram so the next one of that size fits. */
const RX_INITIAL = 256 * 1024;

/** Facts about the last datagram `receive` returned (mutated in place to avoid allocations). */
export const rx = {
  /** The datagram bytes (owned by the caller: never written again by the runtime). */
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

/**
 * The kernel writes each datagram straight into the free tail of a JS slab (the first iovec), so a datagram that
 * fits is handed out as a view without any copy — copying even a 1.5 KB reply out of native memory cost more than
 * the rest of the receive. The first iovec is always SLAB_MIN_FREE bytes (a new slab starts when fewer are left), so
 * replies, ACKs and notifications fit; a bigger datagram (a dump batch) runs over into the native overflow buffer
 * (the second iovec) and is then copied into a buffer of its own. Slab regions are never reused; a slab is freed once no message points into it.
 */
const SLAB_SIZE = 64 * 1024;
const SLAB_MIN_FREE = 4096;
let slab = new Uint8Array(new ArrayBuffer(SLAB_SIZE));
let slabAddr = 0;
let slabOff = 0;

let rxHead: NativeBlock | undefined;
let rxData: NativeBlock | undefined;

function setupRx(capacity: number): void {
  if (rxData) freeNative(rxData);
  rxData = allocNative(capacity);
  if (!rxHead) {
    rxHead = allocNative(RX_CMSG + RX_CMSG_CAP);
    slabAddr = addressOf(slab);
  }
  const v = rxHead.view;
  const base = rxHead.ptr;
  v.setBigUint64(0, base + BigInt(RX_ADDR), true);
  v.setBigUint64(16, base + BigInt(RX_IOV), true);
  v.setBigUint64(24, 2n, true);
  v.setBigUint64(32, base + BigInt(RX_CMSG), true);
  v.setBigUint64(RX_IOV + IOV_SIZE, rxData.ptr, true);
  v.setBigUint64(RX_IOV + IOV_SIZE + 8, BigInt(capacity), true);
}

/** Current receive capacity in bytes (the overflow buffer; the slab's free tail comes on top). */
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
  if (SLAB_SIZE - slabOff < SLAB_MIN_FREE) {
    slab = new Uint8Array(new ArrayBuffer(SLAB_SIZE));
    slabAddr = addressOf(slab);
    slabOff = 0;
  }
  // Only up to SLAB_MIN_FREE bytes go to the slab: big dump datagrams landing there measured slower than copying
  // them out of the overflow buffer into a buffer of their own.
  const free = SLAB_MIN_FREE;
  setU64(v, RX_IOV, slabAddr + slabOff);
  setU64(v, RX_IOV + 8, free);
  v.setUint32(8, 12, true); // msg_namelen
  v.setUint32(40, RX_CMSG_CAP, true); // msg_controllen (low half; high half stays 0)
  // `slab` stays referenced (module state) while the kernel writes into it.
  const n = sys.recvmsg(fd, head.ptr, MSG_DONTWAIT | MSG_TRUNC);
  if (n < 0) return -errno();
  const cap = free + rxData!.bytes.length;
  rx.size = n;
  rx.truncated = n > cap;
  const len = n > cap ? cap : n;
  if (len <= free) {
    rx.data = slab.subarray(slabOff, slabOff + len);
    slabOff = (slabOff + len + 7) & ~7;
  } else {
    // Ran over into the overflow buffer: join both parts. The slab tail stays free for the next datagram.
    const data = new Uint8Array(len);
    data.set(slab.subarray(slabOff, slabOff + free), 0);
    data.set(rxData!.bytes.subarray(0, len - free), free);
    rx.data = data;
  }
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
  if (rx.truncated) setupRx(Math.max(rxData!.bytes.length * 2, 2 ** Math.ceil(Math.log2(n))));
  return n;
}

/** Native staging area the outgoing datagram is written into (grown on demand). */
let tx: NativeBlock | undefined;
let txBase = 0;

function setupTx(bytes: number): void {
  if (tx) freeNative(tx);
  tx = allocNative(bytes);
  txBase = Number(tx.ptr);
}

/** Writes a 64-bit little-endian value below 2^53 without allocating a BigInt. */
function setU64(v: DataView, at: number, value: number): void {
  v.setUint32(at, value % 0x100000000, true);
  v.setUint32(at + 4, Math.floor(value / 0x100000000), true);
}

/**
 * Sends several complete messages as one datagram with one send call (written back to back into a native
 * staging area). `fill(i, bytes, view, offset)` writes message i (`sizes[i]` bytes) at `offset`. Returns the
 * number of bytes sent or a negative errno.
 */
export function sendGathered(
  fd: number,
  count: number,
  totalBytes: number,
  sizes: ArrayLike<number>,
  fill: (i: number, dst: Uint8Array, dv: DataView, offset: number) => void,
): number {
  if (!tx || tx.bytes.length < totalBytes) setupTx(Math.max(totalBytes, tx?.bytes.length ?? 0, 64 * 1024));
  const t = tx!;
  const v = t.view;
  let off = 0;
  for (let i = 0; i < count; i++) {
    fill(i, t.bytes, v, off);
    off += sizes[i];
  }
  // The messages lie back to back, so a plain send covers them: no msghdr or iovec for the kernel to copy in (cheaper
  // than sendmsg per call), and no UIO_MAXIOV (1024) limit on how many messages one datagram carries. Without an
  // address the datagram goes to the kernel (port 0).
  const n = sys.sendAt(fd, txBase, off, 0);
  return n < 0 ? -errno() : n;
}
