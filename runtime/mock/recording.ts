// Record and replay: a live session's datagrams (what the socket sent, what the kernel answered, notifications) saved
// as JSON with their times, and a transport that plays them back in a test without a kernel. Replay matches each
// request to the next one recorded (message type, flags and payload; sequence numbers and port ids are rewritten to
// the live socket's), then delivers the datagrams recorded after it.
import type { NetlinkTransport, SocketRecorder, TransportDatagram } from '../socket/transport.js';
import { NLMSG_ERROR, NLMSG_HDRLEN, parseMessages } from '../wire/message.js';
import { errorReply, MockError } from './mock-kernel.js';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { readFileSync, renameSync, writeFileSync } = process.getBuiltinModule('node:fs');

/** One datagram of a recorded session. */
export interface RecordedDatagram {
  /** Milliseconds since the recording started. */
  t: number;
  /** Sent by the socket, or received from the kernel. */
  dir: 'send' | 'recv';
  /** Multicast group of a received datagram (0: unicast). */
  group: number;
  /** The datagram's bytes, in hex. */
  hex: string;
}

/** A recorded session, as saved. */
export interface Recording {
  format: 'nlgen-recording';
  version: 1;
  /** The port id the socket had (replay replaces it with the live socket's). */
  portid: number;
  datagrams: RecordedDatagram[];
}

const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/** Records a socket's session: pass it as `open({ record })`, then `save(file)`. */
export class SessionRecorder implements SocketRecorder {
  readonly #start = performance.now();
  readonly datagrams: RecordedDatagram[] = [];
  portid = 0;

  sent(datagram: Uint8Array): void {
    if (datagram.length >= NLMSG_HDRLEN) this.portid = new DataView(datagram.buffer, datagram.byteOffset).getUint32(12, true);
    this.#push('send', 0, datagram);
  }

  received(datagram: Uint8Array, group: number): void {
    this.#push('recv', group, datagram);
  }

  /** The session as plain data. */
  toJSON(): Recording {
    return { format: 'nlgen-recording', version: 1, portid: this.portid, datagrams: [...this.datagrams] };
  }

  /** Writes the session to `file` (a temporary file renamed into place: never a half-written recording). */
  save(file: string): void {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(this.toJSON(), null, 1)}\n`);
    renameSync(`${file}.tmp`, file);
  }

  #push(dir: 'send' | 'recv', group: number, datagram: Uint8Array): void {
    this.datagrams.push({ t: Math.round((performance.now() - this.#start) * 1000) / 1000, dir, group, hex: toHex(datagram) });
  }
}

/** Reads a recording (a file path or the parsed object), checking its shape: a clear error for anything else. */
export function loadRecording(source: string | unknown): Recording {
  const r = (typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : source) as Partial<Recording>;
  const what = typeof source === 'string' ? source : 'recording';
  if (r?.format !== 'nlgen-recording' || r.version !== 1 || !Array.isArray(r.datagrams) || typeof r.portid !== 'number') {
    throw new TypeError(`${what}: not an nlgen recording (format 'nlgen-recording', version 1)`);
  }
  r.datagrams.forEach((d, i) => {
    if ((d.dir !== 'send' && d.dir !== 'recv') || typeof d.hex !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(d.hex) || typeof d.group !== 'number') {
      throw new TypeError(`${what}: datagram ${i} is malformed`);
    }
    // Checked here, once: replay then never meets a header it cannot walk.
    try {
      parseMessages(fromHex(d.hex));
    } catch (e) {
      throw new TypeError(`${what}: datagram ${i} holds no valid netlink messages (${(e as Error).message})`);
    }
  });
  return r as Recording;
}

interface Msg {
  type: number;
  flags: number;
  seq: number;
  payload: string;
  /** The message's nlmsghdr. */
  header: Uint8Array;
}

function messagesOf(d: Uint8Array): Msg[] {
  return parseMessages(d).map((m) => ({ type: m.type, flags: m.flags, seq: m.seq, payload: toHex(m.payload), header: d.subarray(m.start - NLMSG_HDRLEN, m.start) }));
}

let replays = 0;

/**
 * A transport that plays a recording back: each request the socket sends must be the next recorded one (else it is
 * answered with EIO and an extack message naming the difference, and listed in `mismatches`); the datagrams recorded
 * after it are then delivered with the live sequence numbers and port id. Joining a group delivers the notifications
 * recorded next.
 */
export class ReplayTransport implements NetlinkTransport {
  readonly portid: number;
  readonly netnsId = `replay-${++replays}`;
  /** Requests that did not match the recording, described. */
  readonly mismatches: string[] = [];
  readonly #recording: Recording;
  readonly #queue: (TransportDatagram | number)[] = [];
  #next = 0;
  #wake: (() => void) | undefined;
  /** Recorded sequence number → the live one. */
  readonly #seqs = new Map<number, number>();

  constructor(recording: Recording | string, portid = 4242) {
    this.#recording = loadRecording(recording);
    this.portid = portid;
  }

  /** Datagrams of the recording not yet played. */
  get remaining(): number {
    return this.#recording.datagrams.length - this.#next;
  }

  get queued(): number {
    return this.#queue.length;
  }

  send(datagram: Uint8Array): void {
    const live = messagesOf(datagram);
    const rec = this.#recording.datagrams[this.#next];
    const recorded = rec?.dir === 'send' ? messagesOf(fromHex(rec.hex)) : [];
    const differs =
      rec?.dir !== 'send'
        ? `request ${live.map((m) => m.type).join(',')} was not recorded here (the recording expects ${rec ? 'a received datagram' : 'nothing more'})`
        : recorded.length !== live.length
          ? `${live.length} message(s) sent where the recording has ${recorded.length}`
          : live.map((m, i) => (m.type !== recorded[i]!.type || m.flags !== recorded[i]!.flags || m.payload !== recorded[i]!.payload ? `message ${i} (type ${m.type}) differs from the recorded one (type ${recorded[i]!.type})` : '')).find(Boolean);
    if (differs) {
      this.mismatches.push(differs);
      for (const m of live) this.#deliver({ data: errorReply(m.header, m.seq, this.portid, new MockError('EIO', { message: `replay: ${differs}` })), group: 0 });
      return;
    }
    this.#next++;
    live.forEach((m, i) => this.#seqs.set(recorded[i]!.seq, m.seq));
    this.#playReceived();
  }

  receive(): TransportDatagram | number | undefined {
    return this.#queue.shift();
  }

  membership(group: number, joined: boolean): void {
    if (joined) this.#playReceived();
    void group;
  }

  onReadable(wake: () => void): void {
    this.#wake = wake;
  }

  close(): void {
    this.#queue.length = 0;
  }

  /** Delivers the received datagrams recorded next, up to the next recorded request. */
  #playReceived(): void {
    const ds = this.#recording.datagrams;
    while (this.#next < ds.length && ds[this.#next]!.dir === 'recv') {
      const d = ds[this.#next++]!;
      this.#deliver({ data: this.#rewrite(fromHex(d.hex)), group: d.group });
    }
  }

  /** The recorded datagram with the live socket's sequence numbers and port id. */
  #rewrite(d: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const recordedPort = this.#recording.portid;
    const fix = (off: number) => {
      const seq = v.getUint32(off + 8, true);
      const live = this.#seqs.get(seq);
      if (live !== undefined) v.setUint32(off + 8, live, true);
      if (v.getUint32(off + 12, true) === recordedPort) v.setUint32(off + 12, this.portid, true);
    };
    for (let off = 0; off + NLMSG_HDRLEN <= d.length; ) {
      const len = v.getUint32(off, true);
      if (len < NLMSG_HDRLEN || off + len > d.length) break;
      fix(off);
      // An error or ACK echoes the request's header: that copy is rewritten too.
      if (v.getUint16(off + 4, true) === NLMSG_ERROR && len >= NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) fix(off + NLMSG_HDRLEN + 4);
      off += (len + 3) & ~3;
    }
    return d;
  }

  #deliver(d: TransportDatagram | number): void {
    this.#queue.push(d);
    this.#wake?.();
  }
}
