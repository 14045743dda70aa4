// Overlays: the shipped ones (overlays/upstream/) make the corpus's upstream specs describe the ABI our specs have —
// every erratum gone, nothing left but what our specs describe beyond the corpus; a bad overlay is one positioned
// error per problem, exit 2; a patched value the spec schema refuses is blamed on the patch. Live: the corpus rt-link
// spec reads a bridge's priority byte-swapped, and with the overlay as `ip -d link` prints it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatSpecError, readFamilies } from '../../generator/index.js';
import { abiDiff, beyondCorpus, corpusErrata, familyAbi } from '../support/abi-picture.js';
import { corpusSkipReason, corpusSpecsDir, repoRoot } from '../support/corpus.js';
import { createNetns, liveSkipReason } from '../support/netns.js';
import { oneOpSpec } from '../support/one-op-spec.js';

const skip = corpusSkipReason();
const upstream = join(repoRoot, 'overlays', 'upstream');
const bin = join(repoRoot, 'generator', 'bin', 'nlgen.js');
const work = mkdtempSync(join(tmpdir(), 'nlgen-overlay-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const nlgen = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NLGEN_CACHE_DIR: join(work, 'cache') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe.skipIf(skip !== undefined)('the shipped overlays correct the corpus', () => {
  const families = Object.keys(corpusErrata).sort();

  test('every family with errata has an overlay', () => {
    expect(families).toEqual(['conntrack', 'ethtool', 'mptcp_pm', 'nftables', 'nlctrl', 'rt-addr', 'rt-link', 'rt-neigh', 'rt-route', 'rt-rule', 'tc', 'tcp_metrics']);
  });

  test.each(families)('%s: corpus + overlay has the ABI of our spec (beyond the corpus aside)', (name) => {
    const ours = readFamilies([join(repoRoot, 'specs', `${name}.yaml`)]);
    const patched = readFamilies([join(corpusSpecsDir, `${name}.yaml`)], { overlays: [upstream], unusedOverlays: 'ignore' });
    expect(patched.errors.map(formatSpecError)).toEqual([]);
    expect(patched.families[0]!.source.overlays).toEqual([`${name}.yaml`]);
    const diff = abiDiff(familyAbi(ours.families[0]!), familyAbi(patched.families[0]!), name);
    const errata = corpusErrata[name]!.flatMap((e) => e.lines);
    expect(diff.filter((d) => errata.includes(d))).toEqual([]);
    const beyond = (beyondCorpus[name] ?? []).flatMap((e) => e.lines);
    expect(diff.filter((d) => !beyond.includes(d))).toEqual([]);
    // And without the overlay the errata are there: the overlay is what removed them.
    const bare = readFamilies([join(corpusSpecsDir, `${name}.yaml`)]);
    const before = abiDiff(familyAbi(ours.families[0]!), familyAbi(bare.families[0]!), name);
    expect(errata.filter((e) => !before.includes(e))).toEqual([]);
  });

  test('generated code records the overlays it was generated with', () => {
    const out = join(work, 'gen');
    const r = nlgen(join(corpusSpecsDir, 'rt-addr.yaml'), '--overlay', join(upstream, 'rt-addr.yaml'), '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const unused = nlgen(join(corpusSpecsDir, 'rt-addr.yaml'), '--overlay', upstream, '--out', out);
    expect(unused.code).toBe(2);
    // The folder has overlays for families not given: each is an error at its `family:`.
    expect(unused.err).toMatch(/overlays\/upstream\/nlctrl\.yaml:3:9: none of the specs given defines family "nlctrl"; the overlay applies to nothing/);
  });
});

describe('bad overlays', () => {
  const spec = oneOpSpec();
  const specFile = join(work, 'demo.yaml');
  writeFileSync(specFile, spec);
  const cases: [string, string, RegExp][] = [
    ['unknown set', 'family: demo\npatches:\n  - attribute-set: mian\n    attribute: id\n    set: { type: u16 }\n', /:3:20: attribute set "mian" is not in the spec/],
    ['unknown attribute', 'family: demo\npatches:\n  - attribute-set: main\n    attribute: idd\n    set: { type: u16 }\n', /:4:16: attribute set "main" attribute "idd" is not in the spec/],
    ['unknown key', 'family: demo\npatches:\n  - attribute-set: main\n    attrib: id\n    set: { type: u16 }\n', /:4:5: unknown key "attrib" for overlays; allowed here: doc, attribute-set, attribute/],
    ['malformed YAML', 'family: demo\npatches:\n  - attribute-set: [main\n', /:\d+:\d+: /],
    ['nothing to do', 'family: demo\npatches:\n  - attribute-set: main\n    attribute: id\n', /:3:5: say what to do: set, remove, add or drop/],
    ['two targets', 'family: demo\npatches:\n  - attribute-set: main\n    operation: fetch\n    set: { doc: x }\n', /:3:5: name one thing to patch, not attribute-set and operation/],
    ['a value the spec schema refuses', 'family: demo\npatches:\n  - attribute-set: main\n    attribute: id\n    set: { type: u33 }\n', /:3:5: "u33" is not allowed here; expected one of: .*\(in the spec as patched; at \/attribute-sets\/0\/attributes\/0\/type\)/],
    ['an attribute that exists', 'family: demo\npatches:\n  - attribute-set: main\n    add: [{ name: id, type: u8 }]\n', /:4:10: "id" is already in \/attribute-sets\/0\/attributes; patch it with set instead/],
    ['a family not given', 'family: other\npatches:\n  - attribute-set: main\n    attribute: id\n    set: { type: u16 }\n', /:1:9: none of the specs given defines family "other"/],
  ];
  test.each(cases)('%s: file:line:col, exit 2, no stack trace', (_what, text, want) => {
    const file = join(work, `overlay-${_what.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, text);
    const r = nlgen('validate', specFile, '--overlay', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(want);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('a good overlay changes the generated type', () => {
    const file = join(work, 'good.yaml');
    writeFileSync(file, 'family: demo\npatches:\n  - attribute-set: main\n    add: [{ name: label, type: string }]\n  - operation: fetch\n    set: { do: { request: { attributes: [id, label] } } }\n');
    const r = nlgen('validate', specFile, '--overlay', file);
    expect(r).toMatchObject({ code: 0, out: 'ok demo (genetlink, 1 attribute set, 1 op)\n' });
    const { families } = readFamilies([specFile], { overlays: [file] });
    expect(families[0]!.operations.list[0]!.do!.request.attributes).toEqual(['id', 'label']);
    expect(families[0]!.attributeSets[0]!.attributes.map((a) => [a.name, a.value])).toEqual([['id', 1], ['label', 2]]);
  });
});

describe.skipIf(skip !== undefined || liveSkipReason() !== undefined)('an overlay fixes what a user generating from upstream sees, live', () => {
  test('a bridge of priority 4096: 16 from the corpus rt-link spec, 4096 with the overlay, as ip prints it', () => {
    const ns = createNetns('nlovl');
    try {
      ns.ip('link', 'add', 'obr0', 'type', 'bridge', 'priority', '4096');
      const get = (...extra: string[]) => {
        const r = nlgen('do', 'getlink', '--spec', join(corpusSpecsDir, 'rt-link.yaml'), ...extra, '--netns', ns.name, '--json', '{"ifname":"obr0"}');
        expect(r.err).toBe('');
        return JSON.parse(r.out) as { linkinfo: { data: { priority: number; bridgeId: { prio: number } } } };
      };
      const [ip] = ns.ipJson<{ linkinfo: { info_data: { bridge_id: string; priority: number } } }[]>('-d', 'link', 'show', 'obr0');
      expect(ip!.linkinfo.info_data.bridge_id.startsWith('1000.')).toBe(true);
      expect(get().linkinfo.data.bridgeId.prio).toBe(16);
      const fixed = get('--overlay', '@upstream');
      expect(fixed.linkinfo.data.bridgeId.prio).toBe(4096);
      expect(fixed.linkinfo.data.bridgeId.prio.toString(16).padStart(4, '0')).toBe(ip!.linkinfo.info_data.bridge_id.slice(0, 4));
    } finally {
      ns.dispose();
    }
  });
});
