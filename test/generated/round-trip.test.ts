// Round trips through generated codecs, property-based: for every struct, attribute set and request/reply pair of
// several families, values drawn from the spec model (test/support/model-arbitraries.ts, independent of the generated
// code) are encoded with the family's public `<Family>Codecs` and decoded back to the same object; re-encoding the
// decoded object gives the same bytes. Families: our shipped generated/ modules, and corpus specs generated at test
// time into .tmp/ (gitignored; inside the repository so `@nlgen/runtime` resolves through vitest's alias).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Attr, Family } from '../../generator/model.js';
import { NameScope, camelCase } from '../../generator/names.js';
import { moduleFileName, printFamilyModule } from '../../generator/print-module.js';
import { readFamilies } from '../../generator/read-families.js';
import type { AttrSetCodec, MessageCodec, RequestCodec, StructCodec } from '../../runtime/codec/codecs.js';
import { corpusSkipReason, corpusSpecsDir, repoRoot } from '../support/corpus.js';
import { decodeFailure } from '../support/decode-failure.js';
import { ModelArbitraries, type Pair } from '../support/model-arbitraries.js';
import { NlctrlCodecs } from '../../generated/nlctrl.js';
import { RtLinkCodecs } from '../../generated/rt-link.js';
import { RtRuleCodecs } from '../../generated/rt-rule.js';

/** Corpus families chosen so that, together, they hold every attribute kind (asserted below). */
const CORPUS_FAMILIES = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'tc', 'ovs_flow', 'nlctrl', 'nftables', 'conntrack', 'wireguard', 'dpll', 'nl80211'];
/** Runs per struct / set / operation; the sets are many, so each gets a modest share. */
const RUNS = 30;

interface FamilyCodecs {
  structs: Record<string, StructCodec<unknown>>;
  attributeSets: Record<string, AttrSetCodec<unknown>>;
  operations: Record<string, { do?: RequestCodec<unknown> | MessageCodec<unknown, unknown>; dump?: RequestCodec<unknown> | MessageCodec<unknown, unknown> }>;
}

interface Subject {
  origin: 'shipped' | 'corpus';
  family: Family;
  codecs: FamilyCodecs;
}

const corpusSkip = corpusSkipReason();
const tmpDir = join(repoRoot, '.tmp', `round-trip-${process.pid}`);
const subjects: Subject[] = [];

function codecsOf(mod: Record<string, unknown>): FamilyCodecs {
  const key = Object.keys(mod).find((k) => k.endsWith('Codecs'));
  if (!key) throw new Error('module exports no <Family>Codecs');
  return mod[key] as FamilyCodecs;
}

beforeAll(async () => {
  const shipped = readFamilies([join(repoRoot, 'specs')]);
  expect(shipped.errors).toEqual([]);
  for (const family of shipped.families) {
    const mod = await import(join(repoRoot, 'generated', `${moduleFileName(family)}.ts`));
    subjects.push({ origin: 'shipped', family, codecs: codecsOf(mod) });
  }
  if (corpusSkip) return;
  const corpus = readFamilies(CORPUS_FAMILIES.map((n) => join(corpusSpecsDir, `${n}.yaml`)));
  expect(corpus.errors).toEqual([]);
  mkdirSync(tmpDir, { recursive: true });
  for (const family of corpus.families) {
    const file = join(tmpDir, `${moduleFileName(family)}.ts`);
    writeFileSync(file, printFamilyModule(family));
    subjects.push({ origin: 'corpus', family, codecs: codecsOf(await import(file)) });
  }
});
afterAll(() => rmSync(tmpDir, { recursive: true, force: true }));

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Encode → decode gives `out`; encoding the decoded value again gives the same bytes. */
function roundTrip(label: string, p: Pair, encode: (v: unknown) => Uint8Array, decode: (b: Uint8Array) => unknown): void {
  const bytes = encode(p.in);
  const back = decode(bytes);
  expect(back, label).toEqual(p.out);
  expect(hex(encode(back)), `${label} (re-encoded)`).toBe(hex(bytes));
}

function check(origin: Subject['origin']) {
  return (name: string) => {
    const s = subjects.find((x) => x.origin === origin && x.family.name === name);
    expect(s, `${origin} family ${name} loaded`).toBeDefined();
    const { family, codecs } = s!;
    const arbs = new ModelArbitraries(family);

    const structCodecs = Object.values(codecs.structs);
    for (const def of family.definitions) {
      if (def.kind !== 'struct') continue;
      const codec = structCodecs.find((c) => c.struct === def.name)!;
      expect(codec, `struct codec ${def.name}`).toBeDefined();
      expect(codec.size).toBe(def.size);
      fc.assert(
        fc.property(arbs.structArb(def.name, true), (p) => {
          const bytes = codec.encode(p.in as never);
          // Exactly sizeof plus any kept tail: the layout the kernel checks.
          expect(bytes.length).toBe(def.size + ((p.in as { $extra?: Uint8Array }).$extra?.length ?? 0));
          roundTrip(`${family.name} struct ${def.name}`, p, (v) => codec.encode(v as never), (b) => codec.decode(b));
        }),
        { numRuns: RUNS },
      );
    }

    const setCodecs = Object.values(codecs.attributeSets);
    for (const set of family.attributeSets) {
      const codec = setCodecs.find((c) => c.set === set.name)!;
      expect(codec, `attribute-set codec ${set.name}`).toBeDefined();
      fc.assert(
        fc.property(arbs.setArb(set.name), (p) => roundTrip(`${family.name} set ${set.name}`, p, (v) => codec.encode(v), (b) => codec.decode(b))),
        { numRuns: RUNS },
      );
    }

    // Requests decoded with their op's reply decoder: same attribute set and header, so the request comes back whole.
    const opKeys = new NameScope();
    for (const op of family.operations.list.filter((o) => o.do || o.dump)) {
      const entry = codecs.operations[opKeys.claim(op.name, camelCase(op.name))];
      expect(entry, `operation codec ${op.name}`).toBeDefined();
      for (const mode of ['do', 'dump'] as const) {
        if (!op[mode]) continue;
        const codec = entry![mode]!;
        expect(codec, `${op.name}.${mode}`).toBeDefined();
        if (!op[mode]!.reply) {
          expect('decodeReply' in codec).toBe(false);
          continue;
        }
        const mc = codec as MessageCodec<unknown, unknown>;
        const genl = family.protocol !== 'netlink-raw';
        fc.assert(
          fc.property(arbs.requestArb(op.name, mode), (p) => {
            const bytes = mc.encodeRequest(p.in);
            if (genl) expect([...bytes.subarray(0, 4)], 'genlmsghdr: cmd, version, reserved').toEqual([op[mode]!.request.value, family.version ?? 1, 0, 0]);
            roundTrip(`${family.name} ${op.name} ${mode}`, p, (v) => mc.encodeRequest(v), (b) => mc.decodeReply(b));
          }),
          { numRuns: RUNS },
        );
      }
    }
  };
}

describe('round trips through the shipped generated/ families', () => {
  for (const name of ['nlctrl', 'rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'netdev', 'ethtool', 'tcp_metrics', 'mptcp_pm']) {
    test(name, () => check('shipped')(name));
  }
});

describe.skipIf(corpusSkip !== undefined)('round trips through corpus families generated at test time', () => {
  test('the chosen families cover every attribute kind', () => {
    const kinds = new Set<string>();
    const note = (a: Attr) => {
      kinds.add(a.type);
      if (a.multiAttr) kinds.add('multi-attr');
      if (a.byteOrder === 'big-endian') kinds.add('big-endian');
      if (a.displayHint) kinds.add(`hint ${a.displayHint}`);
      if (a.struct) kinds.add('binary struct');
      if (a.enum) kinds.add(a.enumAsFlags ? 'enum-as-flags' : 'enum');
      if (a.subType && a.type === 'binary') kinds.add('binary array');
    };
    const corpus = subjects.filter((s) => s.origin === 'corpus');
    for (const s of corpus) for (const set of s.family.attributeSets) set.attributes.forEach(note);
    for (const s of corpus) for (const d of s.family.definitions) if (d.kind === 'flags') kinds.add('flags');
    const want = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'uint', 'sint', 'flag', 'string', 'binary', 'nest', 'indexed-array', 'nest-type-value', 'bitfield32', 'sub-message', 'multi-attr', 'big-endian', 'hint ipv4', 'hint ipv6', 'hint ipv4-or-v6', 'hint mac', 'hint uuid', 'binary struct', 'enum', 'enum-as-flags', 'flags', 'binary array'];
    expect(want.filter((k) => !kinds.has(k))).toEqual([]);
  });
  for (const name of CORPUS_FAMILIES) test(name, () => check('corpus')(name));
});

describe('fixed-width integer attributes one byte short', () => {
  const WIDTH: Record<string, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8 };
  test('every such attribute of every family here is a DecodeError naming its type and width, at its payload', () => {
    let checked = 0;
    for (const { family, codecs } of subjects) {
      const setCodecs = Object.values(codecs.attributeSets);
      for (const set of family.attributeSets) {
        const codec = setCodecs.find((c) => c.set === set.name)!;
        for (const a of set.attributes) {
          const w = WIDTH[a.type];
          if (w === undefined) continue;
          // len = 4 + w - 1, the attribute's type, w - 1 zero bytes, padding to 4.
          const bytes = new Uint8Array(4 + ((w - 1 + 3) & ~3));
          new DataView(bytes.buffer).setUint16(0, 4 + w - 1, true);
          new DataView(bytes.buffer).setUint16(2, a.value, true);
          const at = `${family.name} ${set.name}.${a.name} (${a.type})`;
          expect(decodeFailure(() => codec.decode(bytes)), at).toEqual({ reason: `${a.type} attribute payload is ${w - 1} bytes, expected ${w}`, offset: 4 });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

// Bytes derived by hand from the uapi headers named in each comment (not from the generator).
describe('codec bytes derived by hand', () => {
  test('genetlink request: genlmsghdr then attributes (nlctrl getfamily)', () => {
    const bytes = NlctrlCodecs.operations.getfamily.do.encodeRequest({ familyName: 'nlctrl' });
    expect(hex(bytes)).toBe(
      '03' + '01' + '0000' + // genlmsghdr: CTRL_CMD_GETFAMILY = 3 (linux/genetlink.h), version 1 (YNL default), reserved
        '0b00' + '0200' + '6e6c6374726c00' + '00', // CTRL_ATTR_FAMILY_NAME = 2, len 4 + 7, "nlctrl\0", 1 pad byte
    );
  });

  test('big-endian attribute: network order and NLA_F_NET_BYTEORDER (vxlan port)', () => {
    const bytes = RtLinkCodecs.attributeSets.linkinfoVxlanAttrs.encode({ port: 4789 });
    // IFLA_VXLAN_PORT = 15 (linux/if_link.h) | NLA_F_NET_BYTEORDER (1 << 14, linux/netlink.h); 4789 = 0x12b5 in
    // network order; len 6, 2 pad bytes.
    expect(hex(bytes)).toBe('0600' + '0f40' + '12b5' + '0000');
    expect(RtLinkCodecs.attributeSets.linkinfoVxlanAttrs.decode(bytes)).toEqual({ port: 4789 });
  });

  test('struct with trailing padding is sizeof bytes (rtnl_link_ifmap, 28 bytes of members + 4)', () => {
    const ifmap = RtLinkCodecs.structs.rtnlLinkIfmap;
    const bytes = ifmap.encode({ memStart: 1n, memEnd: 2n, baseAddr: 3n, irq: 0x0405, dma: 6, port: 7 });
    // linux/if_link.h: three __u64, __u16 irq, __u8 dma, __u8 port; 8-byte alignment pads it to 32.
    expect(hex(bytes)).toBe('0100000000000000' + '0200000000000000' + '0300000000000000' + '0504' + '06' + '07' + '00000000');
  });

  test('a header field named like an attribute is its own property (fib_rule_hdr.table vs FRA_TABLE)', () => {
    const bytes = RtRuleCodecs.operations.newrule.do.encodeRequest({ family: 2, fibRuleHdrTable: 0, table: 70000, action: 'to-tbl' });
    expect(hex(bytes)).toBe(
      '02' + '00' + '00' + '00' + '00' + '00' + '00' + '01' + '00000000' + // fib_rule_hdr: family AF_INET, table 0, action FR_ACT_TO_TBL = 1, flags
        '0800' + '0f00' + '70110100', // FRA_TABLE = 15 (linux/fib_rules.h), u32 70000 = 0x11170
    );
    expect(RtRuleCodecs.operations.newrule.do).not.toHaveProperty('decodeReply');
    expect(RtRuleCodecs.operations.getrule.dump.decodeReply(bytes)).toMatchObject({ family: 2, fibRuleHdrTable: 0, table: 70000, action: 'to-tbl' });
  });
});

describe.skipIf(corpusSkip !== undefined)('codec bytes derived by hand (corpus)', () => {
  test('bitfield32 attribute: value then selector (tc dump-flags)', () => {
    const tc = subjects.find((s) => s.origin === 'corpus' && s.family.name === 'tc')!;
    const codec = Object.values(tc.codecs.attributeSets).find((c) => c.set === 'attrs')!;
    const bytes = codec.encode({ dumpFlags: { value: 1, selector: 1 } });
    // TCA_DUMP_FLAGS = 15 (linux/rtnetlink.h); struct nla_bitfield32 { __u32 value; __u32 selector; } (linux/netlink.h),
    // TCA_DUMP_FLAGS_TERSE = 1 << 0.
    expect(hex(bytes)).toBe('0c00' + '0f00' + '01000000' + '01000000');
    expect(codec.decode(bytes)).toEqual({ dumpFlags: { value: 1, selector: 1 } });
  });
});

describe('codec options', () => {
  test('selectors: a sub-message chosen outside the coded bytes (veth peer, chosen by linkinfo kind)', () => {
    const veth = RtLinkCodecs.attributeSets.linkinfoVethAttrs;
    // The format's type asks for the whole ifinfomsg header (it doubles as the decoded type).
    const peer = { ifiFamily: 0, ifiType: 0, ifiIndex: 0, ifiFlags: [], ifiChange: 0, ifname: 'b' };
    const bytes = veth.encode({ peer }, { selectors: { kind: 'veth' } });
    expect(veth.decode(bytes, { selectors: { kind: 'veth' } })).toEqual({ peer });
    // Without the selector the payload cannot be interpreted: it is kept as bytes, and encodes back unchanged.
    const raw = veth.decode(bytes);
    expect(raw.peer).toBeInstanceOf(Uint8Array);
    expect(hex(veth.encode(raw))).toBe(hex(bytes));
    expect(() => veth.encode({ peer })).toThrow(/peer\(undefined\): no format for selector value undefined/);
  });

  test('strict decoding rejects attributes the spec does not describe; lenient keeps them', () => {
    const set = RtLinkCodecs.attributeSets.linkinfoVxlanAttrs;
    const bytes = Uint8Array.from([8, 0, 0xf0, 0x3f, 1, 2, 3, 4]); // type 0x3ff0: no vxlan attribute has it
    expect(set.decode(bytes)).toEqual({ $unknown: [{ type: 0x3ff0, data: Uint8Array.from([1, 2, 3, 4]) }] });
    expect(() => set.decode(bytes, { strict: true })).toThrow(/unknown attribute type 16368/);
  });
});
