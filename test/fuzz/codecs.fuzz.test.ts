// Fuzzing every generated decoder and encoder: our shipped families and every corpus spec, generated at test time.
//
// Decoders get random bytes, valid encodings with bytes flipped, cut or grown, and deep nesting floods; they must
// return or throw a DecodeError of their own making (a DecodeError that only wraps another exception — the entry
// points' safety net — counts as a failure, except for a stack exhausted by nesting). Encoders get arbitrary JS values
// and mutated valid requests; they must return bytes or throw a ValidationError. Nothing may touch Object.prototype.
//
// The CI run is bounded (FUZZ_SECONDS, default 20 s in all); `npm run fuzz` runs longer. A failing input is written to
// test/fuzz/fixtures/ and replayed by every later run (commit it with the fix).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DecodeError, jsonText, ValidationError } from '@nlgen/runtime';
import type { Family } from '../../generator/model.js';
import { camelCase, NameScope } from '../../generator/names.js';
import { moduleFileName, printFamilyModule } from '../../generator/print-module.js';
import { readFamilies } from '../../generator/read-families.js';
import type { AttrSetCodec, MessageCodec, RequestCodec, StructCodec } from '../../runtime/codec/codecs.js';
import { concat } from '../support/bytes.js';
import { corpusSkipReason, corpusSpecFiles, repoRoot } from '../support/corpus.js';
import { ModelArbitraries } from '../support/model-arbitraries.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 20);
const fixturesDir = join(repoRoot, 'test', 'fuzz', 'fixtures');
const tmpDir = join(repoRoot, '.tmp', `fuzz-${process.pid}`);
afterAll(() => rmSync(tmpDir, { recursive: true, force: true }));

interface FamilyCodecs {
  structs: Record<string, StructCodec<unknown>>;
  attributeSets: Record<string, AttrSetCodec<unknown>>;
  operations: Record<string, { do?: RequestCodec<unknown> | MessageCodec<unknown, unknown>; dump?: RequestCodec<unknown> | MessageCodec<unknown, unknown> }>;
}
interface Subject {
  name: string;
  family: Family;
  codecs: FamilyCodecs;
  arbs: ModelArbitraries;
}

/** One decoder or encoder under test, with a generator of inputs. */
interface Target {
  id: string;
  kind: 'decode' | 'encode';
  run(input: unknown): unknown;
  input: fc.Arbitrary<unknown>;
}

/** A saved failing input. */
interface Fixture {
  target: string;
  kind: 'decode' | 'encode';
  /** Hex for decoders; JSON (bigints as {"$bigint": "…"}, bytes as {"$bytes": "hex"}) for encoders. */
  input: string;
  error: string;
  /** fast-check seed of the sample that failed: `fc.sample(<target's input>, { numRuns: 8, seed })` makes it again (for values JSON cannot hold). */
  seed?: number;
}

const subjects: Subject[] = [];
const targets = new Map<string, Target>();

function codecsOf(mod: Record<string, unknown>): FamilyCodecs {
  const key = Object.keys(mod).find((k) => k.endsWith('Codecs'));
  if (!key) throw new Error('module exports no <Family>Codecs');
  return mod[key] as FamilyCodecs;
}

/** Bytes a decoder may be given: random, or a valid encoding mutated. */
function bytesFrom(valid: fc.Arbitrary<Uint8Array> | undefined): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: 256 });
  // Attribute-shaped noise: headers with plausible lengths and types, so decoders get past the first check.
  const attrs = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 76 })), { maxLength: 12 })
    .map((list) => {
      const parts = list.map(([len, type, body]) => {
        const b = new Uint8Array(4 + body.length + ((4 - (body.length & 3)) & 3));
        new DataView(b.buffer).setUint16(0, len, true);
        new DataView(b.buffer).setUint16(2, type, true);
        b.set(body, 4);
        return b;
      });
      return concat(...parts);
    });
  if (!valid) return fc.oneof(random, attrs);
  const mutated = fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.integer({ min: -8, max: 8 })).map(([b, flips, grow]) => {
    const out = new Uint8Array(Math.max(0, b.length + grow));
    out.set(b.subarray(0, out.length));
    for (const [at, v] of flips) if (out.length > 0) out[at % out.length] = v;
    return out;
  });
  return fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: attrs, weight: 1 }, { arbitrary: random, weight: 1 });
}


/** Whole reply payloads: a genetlink header, the fixed header and every attribute of the op's set the arbitraries make. */
function fullReplies(s: Subject, setName: string | undefined, header: string | undefined): fc.Arbitrary<Uint8Array> {
  const setCodec = setName ? Object.values(s.codecs.attributeSets).find((c) => c.set === setName) : undefined;
  const hdrCodec = header ? Object.values(s.codecs.structs).find((c) => c.struct === header) : undefined;
  const none = fc.constant(new Uint8Array(0));
  const encoded = <T>(arb: fc.Arbitrary<T>, encode: (v: T) => Uint8Array) =>
    arb.map((v) => {
      try {
        return encode(v);
      } catch {
        return new Uint8Array(0);
      }
    });
  const hdr = hdrCodec ? encoded(s.arbs.structArb(header!, true), (p) => hdrCodec.encode(p.in as never)) : none;
  const attrs = setCodec ? encoded(s.arbs.setArb(setName!), (p) => setCodec.encode(p.in)) : none;
  const genl = new Uint8Array(s.family.protocol === 'netlink-raw' ? 0 : 4);
  return fc.tuple(hdr, attrs).map(([h, a]) => concat(genl, h, new Uint8Array((4 - (h.length & 3)) & 3), a));
}

/** Plain-JS values a caller might pass: anything JSON-like, typed arrays, bigints, and mutated valid requests. */
function valuesFrom(valid: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<unknown> {
  const anything = fc.anything({ maxDepth: 3, withBigInt: true, withTypedArray: true, withNullPrototype: false, withObjectString: true, withMap: false, withSet: false });
  if (!valid) return anything;
  const mutated = fc.tuple(valid, fc.string({ maxLength: 12 }), anything).map(([v, key, val]) => {
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    // Replace one existing property's value, or add a property.
    if (keys.length > 0 && key.length % 2 === 0) copy[keys[key.length % keys.length]!] = val;
    else copy[key] = val;
    return copy;
  });
  return fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: valid, weight: 1 }, { arbitrary: anything, weight: 1 });
}

/** Why an exception is not acceptable from a target of this kind; undefined when it is. */
function verdict(kind: 'decode' | 'encode', e: unknown): string | undefined {
  if (kind === 'decode') {
    if (!(e instanceof DecodeError)) return `threw ${describeError(e)}`;
    // The entry point's safety net caught something the decoder itself did not check.
    if (e.reason.startsWith('malformed data (')) return `a DecodeError wrapping ${describeError((e as Error & { cause?: unknown }).cause)}`;
    return undefined;
  }
  return e instanceof ValidationError ? undefined : `threw ${describeError(e)}`;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const jsonOut = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { $bigint: String(x) } : ArrayBuffer.isView(x) && x instanceof Uint8Array ? { $bytes: toHex(x) } : x));
const jsonIn = (s: string) =>
  JSON.parse(s, (_k, x) => (x && typeof x === 'object' && '$bigint' in x ? BigInt(x.$bigint) : x && typeof x === 'object' && '$bytes' in x ? fromHex(x.$bytes) : x));

function saveFixture(f: Fixture): void {
  mkdirSync(fixturesDir, { recursive: true });
  const name = `${f.target.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${Date.now()}.json`;
  writeFileSync(join(fixturesDir, name), `${JSON.stringify(f, null, 2)}\n`);
}

beforeAll(async () => {
  const specDirs = [join(repoRoot, 'specs')];
  const shipped = readFamilies(specDirs);
  expect(shipped.errors).toEqual([]);
  for (const family of shipped.families) {
    const mod = await import(join(repoRoot, 'generated', `${moduleFileName(family)}.ts`));
    subjects.push({ name: `shipped ${family.name}`, family, codecs: codecsOf(mod), arbs: new ModelArbitraries(family) });
  }
  if (corpusSkipReason() === undefined) {
    const corpus = readFamilies(corpusSpecFiles());
    mkdirSync(tmpDir, { recursive: true });
    for (const family of corpus.families) {
      const file = join(tmpDir, `${moduleFileName(family)}.ts`);
      writeFileSync(file, printFamilyModule(family));
      subjects.push({ name: `corpus ${family.name}`, family, codecs: codecsOf(await import(file)), arbs: new ModelArbitraries(family) });
    }
  }
  for (const s of subjects) {
    for (const def of s.family.definitions) {
      if (def.kind !== 'struct') continue;
      const codec = Object.values(s.codecs.structs).find((c) => c.struct === def.name);
      if (!codec) continue;
      const valid = s.arbs.structArb(def.name, true).map((p) => codec.encode(p.in as never));
      targets.set(`${s.name} struct ${def.name} decode`, { id: `${s.name} struct ${def.name} decode`, kind: 'decode', run: (b) => codec.decode(b as Uint8Array), input: bytesFrom(valid) });
      targets.set(`${s.name} struct ${def.name} encode`, { id: `${s.name} struct ${def.name} encode`, kind: 'encode', run: (v) => codec.encode(v as never), input: valuesFrom(s.arbs.structArb(def.name, true).map((p) => p.in)) });
    }
    for (const set of s.family.attributeSets) {
      const codec = Object.values(s.codecs.attributeSets).find((c) => c.set === set.name);
      if (!codec) continue;
      const valid = s.arbs.setArb(set.name).map((p) => codec.encode(p.in));
      targets.set(`${s.name} set ${set.name} decode`, { id: `${s.name} set ${set.name} decode`, kind: 'decode', run: (b) => codec.decode(b as Uint8Array), input: bytesFrom(valid) });
      targets.set(`${s.name} set ${set.name} encode`, { id: `${s.name} set ${set.name} encode`, kind: 'encode', run: (v) => codec.encode(v), input: valuesFrom(s.arbs.setArb(set.name).map((p) => p.in)) });
    }
    const opKeys = new NameScope();
    for (const op of s.family.operations.list.filter((o) => o.do || o.dump)) {
      const opKey = opKeys.claim(op.name, camelCase(op.name));
      const entry = s.codecs.operations[opKey];
      if (!entry) continue;
      for (const mode of ['do', 'dump'] as const) {
        const codec = entry[mode];
        if (!codec || !op[mode]) continue;
        const id = `${s.name} op ${op.name} ${mode}`;
        const req = s.arbs.requestArb(op.name, mode).map((p) => p.in);
        targets.set(`${id} encode`, { id: `${id} encode`, kind: 'encode', run: (v) => codec.encodeRequest(v), input: valuesFrom(req) });
        if ('decodeReply' in codec) {
          const mc = codec as MessageCodec<unknown, unknown>;
          const valid = req.map((v) => {
            try {
              return mc.encodeRequest(v);
            } catch {
              return new Uint8Array(0);
            }
          });
          targets.set(`${id} decode`, { id: `${id} decode`, kind: 'decode', run: (b) => mc.decodeReply(b as Uint8Array), input: bytesFrom(valid) });
          // The JSON writer must give the decoder's text exactly (or fail as the decoder does).
          targets.set(`${id} json`, {
            id: `${id} json`,
            kind: 'decode',
            run: (b) => {
              const text = mc.replyToJson(b as Uint8Array);
              const want = jsonText(mc.decodeReply(b as Uint8Array));
              if (text !== want) throw new Error(`replyToJson differs from jsonText(decodeReply): ${text.slice(0, 300)} vs ${want.slice(0, 300)}`);
              return text;
            },
            input: bytesFrom(fc.oneof(valid, fullReplies(s, op.attributeSet, op.fixedHeader ?? s.family.operations.fixedHeader))),
          });
        }
      }
    }
  }
}, 600_000);

describe('fuzzing generated codecs', () => {
  test('saved failing inputs (fixtures) stay fixed', () => {
    if (!existsSync(fixturesDir)) return;
    for (const f of readdirSync(fixturesDir).filter((n) => n.endsWith('.json'))) {
      const fx = JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as Fixture;
      const t = targets.get(fx.target);
      if (!t) continue; // the corpus may be absent here
      const input = fx.kind === 'decode' ? fromHex(fx.input) : jsonIn(fx.input);
      let why: string | undefined;
      try {
        t.run(input);
      } catch (e) {
        why = verdict(fx.kind, e);
      }
      expect(why, `${f}: ${fx.target}`).toBeUndefined();
    }
  });

  test('nesting floods: every recursive set, nested through its cycle until the stack gives out, is a DecodeError or a value', () => {
    let checked = 0;
    for (const s of subjects) {
      const sets = new Map(s.family.attributeSets.map((x) => [x.name, x]));
      // Edges set → child set, as the header types that lead there (an indexed-array adds its entry's header).
      const edges = (name: string) =>
        (sets.get(name)?.attributes ?? [])
          .filter((a) => a.nestedAttributes && sets.has(a.nestedAttributes) && (a.type === 'nest' || (a.type === 'indexed-array' && a.subType === 'nest')))
          .map((a) => ({ to: a.nestedAttributes!, types: a.type === 'nest' ? [a.value] : [a.value, 1] }));
      for (const set of s.family.attributeSets) {
        const codec = Object.values(s.codecs.attributeSets).find((c) => c.set === set.name);
        if (!codec) continue;
        // Shortest cycle back to this set (breadth first), as the header types along it.
        const seen = new Map<string, number[]>([[set.name, []]]);
        let cycle: number[] | undefined;
        for (let frontier = [set.name]; frontier.length > 0 && !cycle; ) {
          const next: string[] = [];
          for (const from of frontier) {
            for (const e of edges(from)) {
              const path = [...seen.get(from)!, ...e.types];
              if (e.to === set.name) {
                cycle = path;
                break;
              }
              if (!seen.has(e.to)) {
                seen.set(e.to, path);
                next.push(e.to);
              }
            }
            if (cycle) break;
          }
          frontier = next;
        }
        if (!cycle) continue;
        // Headers only, each the parent of the next, as deep as one 64 KiB outer attribute allows.
        const levels = Math.floor(0xffff / 4);
        const b = new Uint8Array(4 * levels);
        const v = new DataView(b.buffer);
        for (let i = 0; i < levels; i++) {
          v.setUint16(4 * i, 4 * (levels - i), true);
          v.setUint16(4 * i + 2, cycle[i % cycle.length]! | 0x8000, true);
        }
        let why: string | undefined;
        try {
          codec.decode(b);
        } catch (e) {
          why = verdict('decode', e);
          // Running out of stack is what this flood is for; its DecodeError is the expected outcome.
          if (e instanceof DecodeError && e.reason.startsWith('attributes nested too deeply')) why = undefined;
        }
        expect(why, `${s.name} ${set.name}`).toBeUndefined();
        checked++;
      }
    }
    console.log(`fuzz: nesting floods through ${checked} recursive sets`);
    // Cycles through nests and indexed arrays (ovs_flow, nl80211, devlink, tc …); the rt-link veth peer cycle goes through a
    // sub-message and has its own test (test/generated/decoder-totality.test.ts).
    expect(checked).toBeGreaterThanOrEqual(corpusSkipReason() === undefined ? 5 : 0);
  });

  test(`random, mutated and flooded inputs to every decoder and encoder (${SECONDS} s)`, () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort().join();
    const list = [...targets.values()];
    expect(list.length).toBeGreaterThan(100);
    const deadline = Date.now() + SECONDS * 1000;
    let calls = 0;
    const failures: string[] = [];
    let seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    outer: for (let round = 0; Date.now() < deadline; round++) {
      for (const t of list) {
        if (Date.now() >= deadline) break outer;
        const sampleSeed = seed++;
        const inputs = fc.sample(t.input, { numRuns: 8, seed: sampleSeed });
        for (const input of inputs) {
          calls++;
          try {
            t.run(input);
          } catch (e) {
            const why = verdict(t.kind, e);
            if (why === undefined) continue;
            failures.push(`${t.id} (sample seed ${sampleSeed}): ${why}`);
            saveFixture({ target: t.id, kind: t.kind, input: t.kind === 'decode' ? toHex(input as Uint8Array) : jsonOut(input), error: why, seed: sampleSeed });
            if (failures.length >= 20) break outer;
          }
        }
      }
    }
    console.log(`fuzz: ${calls} calls over ${list.length} targets of ${subjects.length} families in ${SECONDS} s; ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(calls).toBeGreaterThan(1000);
  }, 600_000);
});
