// The socket's requests awaiting replies, by sequence number. Sequence numbers are handed out one after another,
// so a direct-mapped array indexed by their low bits holds nearly all of them; the rare entry whose slot is taken
// (more than SLOTS requests apart, e.g. a long dump beside a long stream of requests) goes to a Map. A Map alone
// cost ≈0.2 µs per request: V8 shrinks and rehashes it every time it goes from one entry back to none.

const SLOTS = 1024;
const MASK = SLOTS - 1;

/** What the table stores: anything that knows its own sequence number. */
export interface Sequenced {
  readonly seq: number;
}

/** A map from sequence number to entry (the subset of `Map` the socket uses). */
export class PendingTable<T extends Sequenced> {
  readonly #slots: (T | undefined)[] = new Array<T | undefined>(SLOTS).fill(undefined);
  readonly #overflow = new Map<number, T>();
  #size = 0;

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The entry with sequence number `seq`. */
  get(seq: number): T | undefined {
    const e = this.#slots[seq & MASK];
    if (e !== undefined && e.seq === seq) return e;
    return this.#overflow.size === 0 ? undefined : this.#overflow.get(seq);
  }

  /** Whether an entry has sequence number `seq`. */
  has(seq: number): boolean {
    return this.get(seq) !== undefined;
  }

  /** Adds `entry` under its sequence number (which must not be in the table). */
  add(entry: T): void {
    const i = entry.seq & MASK;
    if (this.#slots[i] === undefined) this.#slots[i] = entry;
    else this.#overflow.set(entry.seq, entry);
    this.#size++;
  }

  /** Removes the entry with sequence number `seq`; false when there is none. */
  delete(seq: number): boolean {
    const i = seq & MASK;
    const e = this.#slots[i];
    if (e !== undefined && e.seq === seq) {
      this.#slots[i] = undefined;
      this.#size--;
      return true;
    }
    if (this.#overflow.delete(seq)) {
      this.#size--;
      return true;
    }
    return false;
  }

  /** A snapshot of the entries (safe to change the table while going through it). */
  values(): T[] {
    const out: T[] = [];
    if (this.#size === 0) return out;
    for (const e of this.#slots) if (e !== undefined) out.push(e);
    for (const e of this.#overflow.values()) out.push(e);
    return out;
  }

  /** Removes every entry. */
  clear(): void {
    if (this.#size === 0) return;
    this.#slots.fill(undefined);
    this.#overflow.clear();
    this.#size = 0;
  }
}
