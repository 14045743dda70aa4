// Datagram I/O over preallocated native blocks: one recv/recvmsg/send call, no per-call marshalling.
// `receive` and `sendGathered` run on the main thread, so one process-wide receive block and one send block suffice;
// background receives (big dumps) each take a block set of their own.
import { addressOf, allocNative, errno, freeNative, MSG_DONTWAIT, MSG_TRUNC, type NativeBlock, NETLINK_PKTINFO, recvmmsgInBackground, SOL_NETLINK, sys } from '../sys/ffi.js';

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
  /**
   * The datagram bytes. Never written again by the runtime, except those of a background receive (`block` set),
   * which are reused once that block's holders are done with them.
   */
  data: new Uint8Array(0),
  /** The reusable block `data` lies in (background receives), or undefined: bytes that are never reused. */
  block: undefined as ReceivedBlock | undefined,
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
/** Address of `slab` for the kernel (taken on first use: it is a native call). */
let slabAddr = -1;
let slabOff = 0;

let rxHead: NativeBlock | undefined;
let rxData: NativeBlock | undefined;

function setupRx(capacity: number): void {
  if (rxData) freeNative(rxData);
  rxData = allocNative(capacity, false);
  if (!rxHead) rxHead = allocNative(RX_CMSG + RX_CMSG_CAP);
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
export function receive(fd: number, limit = Infinity): number {
  if (!rxData) setupRx(RX_INITIAL);
  const head = rxHead!;
  const v = head.view;
  if (SLAB_SIZE - slabOff < SLAB_MIN_FREE) {
    slab = new Uint8Array(new ArrayBuffer(SLAB_SIZE));
    slabAddr = -1;
    slabOff = 0;
  }
  // Only up to SLAB_MIN_FREE bytes go to the slab: big dump datagrams landing there measured slower than copying
  // them out of the overflow buffer into a buffer of their own.
  // A receive limit (a debugging aid, OpenOptions.receiveLimit) caps what the two iovecs offer together.
  const free = Math.min(SLAB_MIN_FREE, limit);
  const over = Math.min(rxData!.bytes.length, limit - free);
  if (slabAddr < 0) slabAddr = addressOf(slab);
  setU64(v, RX_IOV, slabAddr + slabOff);
  setU64(v, RX_IOV + 8, free);
  setU64(v, RX_IOV + IOV_SIZE + 8, over);
  v.setUint32(8, 12, true); // msg_namelen
  v.setUint32(40, RX_CMSG_CAP, true); // msg_controllen (low half; high half stays 0)
  // `slab` stays referenced (module state) while the kernel writes into it.
  const n = sys.recvmsg(fd, head.ptr, MSG_DONTWAIT | MSG_TRUNC);
  if (n < 0) return -errno();
  const cap = free + over;
  rx.size = n;
  rx.truncated = n > cap;
  const len = n > cap ? cap : n;
  rx.block = undefined;
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
  describeSource(v, 0, RX_ADDR, RX_CMSG);
  if (rx.truncated && limit === Infinity) growReceiveCapacity(n);
  return n;
}

/**
 * Sockets that hear only the kernel's unicast (connected to the kernel, never joined a group) receive with a plain
 * `recv` straight into a bigger slab: no msghdr for the kernel to copy in and write back, no sender address, no
 * control data (measured ≈0.4 µs less per datagram than `receive`). The free tail handed to the kernel is always at
 * least the receive capacity, so the same datagrams fit as with `receive`, all without a copy.
 */
const DIRECT_SLAB_SIZE = 1024 * 1024;
let directSlab = new Uint8Array(0);
let directAddr = 0;
let directOff = 0;

/**
 * `receive` for a socket connected to the kernel that never joined a multicast group: every datagram is the
 * kernel's unicast (`rx.srcPid` and `rx.group` are 0). Same results and errors as `receive`.
 */
export function receiveDirect(fd: number, limit = Infinity): number {
  if (!rxData) setupRx(RX_INITIAL);
  const cap = Math.min(SLAB_MIN_FREE + rxData!.bytes.length, limit);
  if (directSlab.length - directOff < cap) {
    directSlab = new Uint8Array(new ArrayBuffer(Math.max(DIRECT_SLAB_SIZE, 2 * cap)));
    directAddr = addressOf(directSlab);
    directOff = 0;
  }
  // `directSlab` stays referenced (module state) while the kernel writes into it.
  const n = sys.recvAt(fd, directAddr + directOff, cap, MSG_DONTWAIT | MSG_TRUNC);
  if (n < 0) return -errno();
  rx.size = n;
  rx.truncated = n > cap;
  const len = n > cap ? cap : n;
  rx.data = directSlab.subarray(directOff, directOff + len);
  rx.block = undefined;
  directOff = (directOff + len + 7) & ~7;
  rx.srcPid = 0;
  rx.group = 0;
  if (rx.truncated && limit === Infinity) growReceiveCapacity(n);
  return n;
}

/**
 * Sets `rx.srcPid` and `rx.group` from a received msghdr at `hdr` in `v`, its sockaddr_nl at `addr` and its control
 * buffer at `cmsg`: the group from NETLINK_PKTINFO (any group number), else from the sockaddr's group mask.
 */
function describeSource(v: DataView, hdr: number, addr: number, cmsg: number): void {
  rx.srcPid = v.getUint32(addr + 4, true);
  let group = 0;
  // msg_controllen (low half), then one cmsghdr: len u64, level i32, type i32, data.
  if (v.getUint32(hdr + 40, true) >= 20 && v.getInt32(cmsg + 8, true) === SOL_NETLINK && v.getInt32(cmsg + 12, true) === NETLINK_PKTINFO) {
    group = v.getUint32(cmsg + 16, true);
  }
  if (group === 0) {
    const mask = v.getUint32(addr + 8, true);
    if (mask !== 0) group = 31 - Math.clz32(mask & -mask) + 1;
  }
  rx.group = group;
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

// ---- background receives: several datagrams per call, taken on libuv's threadpool ----

/** Datagrams one background receive takes at most (a dump part is ≤ 32 KiB: ~8 parts of kernel work per call). */
export const BACKGROUND_DATAGRAMS = 8;
// Per datagram: struct mmsghdr (msghdr 56 + msg_len u32 + pad) 64, iovec 16, sockaddr_nl 16, control 64.
const MM_SIZE = 64;
const MM_IOV = BACKGROUND_DATAGRAMS * MM_SIZE;
const MM_ADDR = MM_IOV + BACKGROUND_DATAGRAMS * IOV_SIZE;
const MM_CMSG = MM_ADDR + BACKGROUND_DATAGRAMS * 16;
const MM_HEAD = MM_CMSG + BACKGROUND_DATAGRAMS * RX_CMSG_CAP;

/**
 * Native memory for one background receive: mmsghdr vector, and one slot per datagram as big as the main-thread
 * receive can take (so a datagram fits here exactly when it would fit there). Reused through a free list.
 */
export class ReceiveSet {
  readonly head: NativeBlock;
  readonly data: NativeBlock;
  readonly slot: number;
  readonly #headAddr: number;

  constructor(slot: number) {
    this.slot = slot;
    this.head = allocNative(MM_HEAD);
    this.data = allocNative(slot * BACKGROUND_DATAGRAMS, false);
    this.#headAddr = Number(this.head.ptr);
    const v = this.head.view;
    const base = this.#headAddr;
    const dataBase = Number(this.data.ptr);
    for (let i = 0; i < BACKGROUND_DATAGRAMS; i++) {
      const m = i * MM_SIZE;
      setU64(v, m, base + MM_ADDR + i * 16); // msg_name
      setU64(v, m + 16, base + MM_IOV + i * IOV_SIZE); // msg_iov
      setU64(v, m + 24, 1); // msg_iovlen
      setU64(v, m + 32, base + MM_CMSG + i * RX_CMSG_CAP); // msg_control
      setU64(v, MM_IOV + i * IOV_SIZE, dataBase + i * slot);
      setU64(v, MM_IOV + i * IOV_SIZE + 8, slot);
    }
  }

  /** Address of the mmsghdr vector (for recvmmsg). */
  get vector(): number {
    // The kernel shrinks msg_namelen and msg_controllen to what it wrote: restore them before every call.
    const v = this.head.view;
    for (let i = 0; i < BACKGROUND_DATAGRAMS; i++) {
      v.setUint32(i * MM_SIZE + 8, 12, true);
      setU64(v, i * MM_SIZE + 40, RX_CMSG_CAP);
    }
    return this.#headAddr;
  }

  /**
   * Copies the first `n` received datagrams out of native memory into a block (a reused one when one is free), and
   * describes datagram `i` through `rx` when `load(i)` is called. Returns the block; the caller closes it once every
   * datagram is handled.
   */
  take(n: number): ReceivedBlock {
    let total = 0;
    for (let i = 0; i < n; i++) total += (this.#len(i) + 7) & ~7;
    const block = ReceivedBlock.get(total);
    const out = block.bytes;
    const src = this.data.bytes;
    let off = 0;
    for (let i = 0; i < n; i++) {
      const len = this.#len(i);
      out.set(src.subarray(i * this.slot, i * this.slot + len), off);
      this.#offsets[i] = off;
      off += (len + 7) & ~7;
    }
    this.#taken = block;
    return block;
  }

  #offsets = new Array<number>(BACKGROUND_DATAGRAMS).fill(0);
  #taken: ReceivedBlock | undefined = undefined;

  /** Fills `rx` with datagram `i` of the last `take` (data, its block, size, truncation, sender, group). */
  load(i: number): void {
    const len = this.#len(i);
    const at = this.#offsets[i]!;
    const block = this.#taken!;
    rx.data = block.bytes.subarray(at, at + len);
    rx.block = block;
    this.#describe(i);
  }

  #describe(i: number): void {
    const v = this.head.view;
    const m = i * MM_SIZE;
    const size = v.getUint32(m + 56, true);
    rx.size = size;
    rx.truncated = (v.getUint32(m + 48, true) & MSG_TRUNC) !== 0 || size > this.slot;
    describeSource(v, m, MM_ADDR + i * 16, MM_CMSG + i * RX_CMSG_CAP);
  }

  /** Bytes of datagram `i` that are in its slot (its size, unless truncated). */
  #len(i: number): number {
    return Math.min(this.head.view.getUint32(i * MM_SIZE + 56, true), this.slot);
  }

  /**
   * Whether datagram `i` (still in native memory, before `take`) ends with a message of type `t1` or `t2` whose
   * sequence number is `seq`: lets the caller see the end of a dump before deciding on another receive.
   */
  endsWith(i: number, seq: number, t1: number, t2: number): boolean {
    const len = this.#len(i);
    const d = this.data.view;
    const base = i * this.slot;
    let off = 0;
    let last = -1;
    while (off + 16 <= len) {
      const l = d.getUint32(base + off, true);
      if (l < 16) return false;
      last = off;
      off += (l + 3) & ~3;
    }
    if (last < 0) return false;
    const t = d.getUint16(base + last + 4, true);
    return (t === t1 || t === t2) && d.getUint32(base + last + 8, true) === seq;
  }

  /** Frees the native memory; the set must not be used afterwards. */
  free(): void {
    freeNative(this.head);
    freeNative(this.data);
  }
}

/**
 * The datagrams of one background receive, copied out of native memory, and who still needs them. Fresh memory
 * costs a page fault per 4 KiB on first touch (~6 µs each on the VM measured; a 100,000-route dump copies out ~5 MB
 * in 20 receives, and reusing blocks took ~700 faults off it), so a block is reused for a later receive once nothing can still read it: every `hold` was released (decoded
 * dump batches whose decoder copies what it keeps), nothing was marked `kept` (a Message or any other view handed on
 * keeps its bytes for good: the block is then left to the garbage collector), and the receive it came from is
 * closed.
 */
export class ReceivedBlock {
  #holds = 0;
  #open = true;
  /** Something may keep a view of these bytes: the block is never reused. */
  kept = false;

  private constructor(readonly bytes: Uint8Array<ArrayBuffer>) {}

  /** A block of at least `size` bytes: a free one when one is big enough, else a new one. */
  static get(size: number): ReceivedBlock {
    for (let i = spareBlocks.length - 1; i >= 0; i--) {
      if (spareBlocks[i]!.length >= size) {
        const bytes = spareBlocks[i]!;
        spareBlocks[i] = spareBlocks[spareBlocks.length - 1]!;
        spareBlocks.pop();
        blockCounts.reused++;
        return new ReceivedBlock(bytes);
      }
    }
    blockCounts.created++;
    // Rounded up so that the next receive, a little bigger, still fits a reused block.
    return new ReceivedBlock(new Uint8Array(Math.max(BLOCK_MIN, (size + BLOCK_MIN - 1) & ~(BLOCK_MIN - 1))));
  }

  /** One more reader that will `release` the block when done (a pending batch). */
  hold(): void {
    this.#holds++;
  }

  /** A reader is done with the bytes. */
  release(): void {
    this.#holds--;
    this.#recycle();
  }

  /** Every datagram of the block was handled. */
  close(): void {
    this.#open = false;
    this.#recycle();
  }

  #recycle(): void {
    if (this.#holds !== 0 || this.#open || this.kept) return;
    // Once only: a recycled block has no bytes left to give back.
    this.kept = true;
    if (spareBlocks.length < MAX_SPARE_BLOCKS) spareBlocks.push(this.bytes);
  }
}

/** Size blocks are rounded up to: 8 datagrams of a typical 32 KiB dump part. */
const BLOCK_MIN = 256 * 1024;
/** Free blocks kept (a dump in flight needs about three: one being received, one being read, one queued). */
const MAX_SPARE_BLOCKS = 4;
const spareBlocks: Uint8Array<ArrayBuffer>[] = [];
const blockCounts = { created: 0, reused: 0 };

/** Blocks background receives copied datagrams into since the process started: new ones, and reused ones (tests). */
export function receivedBlockStats(): { created: number; reused: number } {
  return { ...blockCounts };
}

const freeSets: ReceiveSet[] = [];

/** A receive set sized for the current receive capacity (from the free list when one fits). */
export function takeReceiveSet(): ReceiveSet {
  const slot = SLAB_MIN_FREE + receiveCapacity();
  while (freeSets.length > 0) {
    const s = freeSets.pop()!;
    if (s.slot === slot) return s;
    s.free();
  }
  return new ReceiveSet(slot);
}

/** Returns a set to the free list (at most a few are kept). */
export function releaseReceiveSet(set: ReceiveSet): void {
  if (freeSets.length < 4) freeSets.push(set);
  else set.free();
}

/**
 * Receives up to BACKGROUND_DATAGRAMS queued datagrams into `set` on libuv's threadpool, without blocking; `done(n,
 * err)` runs on the main thread with the count (0…) or −1 and the errno (EAGAIN when nothing was queued). The set
 * must stay untouched until then.
 */
export function receiveInBackground(fd: number, set: ReceiveSet, done: (n: number, err: number) => void): void {
  recvmmsgInBackground(fd, set.vector, BACKGROUND_DATAGRAMS, MSG_DONTWAIT | MSG_TRUNC, done);
}

/** Grows the receive capacity after a datagram of `size` bytes did not fit (background receives follow suit). */
export function growReceiveCapacity(size: number): void {
  if (!rxData) setupRx(RX_INITIAL);
  if (size > SLAB_MIN_FREE + rxData!.bytes.length) setupRx(Math.max(rxData!.bytes.length * 2, 2 ** Math.ceil(Math.log2(size))));
}
