// As users would: `npm pack` the three workspace packages, install them into scratch apps outside the repository and
// run those apps against the kernel in a throwaway namespace.
//   (a) An app using shipped clients: `@nlgen/runtime` + `@nlgen/families`, nothing of the generator installed.
//   (b) An app generating its own clients from its own spec folder: `@nlgen/runtime`, and `nlgen` as a dev dependency;
//       after `npm prune --omit=dev` (the generator gone) the app still runs.
// Each app's node_modules is measured (bytes and files, before the type-checker is added) and held to the README's table.
// What the apps print is compared with `ip -j` and the uapi headers.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusSkipReason, corpusSpecsDir, repoRoot } from '../support/corpus.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = corpusSkipReason() ?? liveSkipReason();
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const version = (pkg: string) => JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

const npmQuiet = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** Bytes and regular files under `dir`, symlinks not followed (what `du --apparent-size` and `find -type f` count). */
function footprint(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        bytes += st.size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

/** The README's row for an app: `| (a) … | … | 4.1 MB | 312 |`. */
function readmeRow(label: '(a)' | '(b)'): { mb: number; files: number } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const m = new RegExp(`^\\| ${label.replace(/[()]/g, '\\$&')} [^|]*\\|[^|]*\\| ([\\d.]+) MB \\| ([\\d,]+) \\|`, 'm').exec(readme);
  if (!m) throw new Error(`README.md has no dependency-size row for ${label}`);
  return { mb: Number(m[1]), files: Number(m[2]!.replaceAll(',', '')) };
}

/** Holds a measured footprint to the README's figures (within 15%: npm's own metadata files vary a little). */
function expectReadmeFigures(label: '(a)' | '(b)', got: { bytes: number; files: number }): void {
  const row = readmeRow(label);
  const mb = got.bytes / 1e6;
  const say = `${label} measured ${mb.toFixed(1)} MB, ${got.files} files; README says ${row.mb} MB, ${row.files}`;
  expect(Math.abs(mb - row.mb) / row.mb, say).toBeLessThan(0.15);
  expect(Math.abs(got.files - row.files) / row.files, say).toBeLessThan(0.15);
}

function tsconfig(app: string): void {
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'esnext.disposable'], types: ['node'], outDir: 'build', rootDir: 'src', skipLibCheck: false },
      include: ['src'],
    }),
  );
}

function newApp(name: string): string {
  const app = mkdtempSync(join(tmpdir(), `nlgen-${name}-`));
  temps.push(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `nlgen-scratch-${name}`, private: true, type: 'module' }, null, 2));
  mkdirSync(join(app, 'src'));
  return app;
}

/** Links of the namespace as `ip -j -d link show` gives them, in the apps' printed shape. */
function ipLinks(ns: TestNetns) {
  const ip = ns.ipJson<{ ifindex: number; ifname: string; mtu: number; linkinfo?: { info_kind?: string } }[]>('-d', 'link', 'show');
  return ip.map((l) => ({ ifindex: l.ifindex, ifname: l.ifname, mtu: l.mtu, kind: l.linkinfo?.info_kind })).sort((a, b) => a.ifindex - b.ifindex);
}

type PrintedLink = { ifindex: number; ifname: string; mtu: number; kind?: string | null };
const sortLinks = (links: PrintedLink[]) => links.map((l) => ({ ...l, kind: l.kind ?? undefined })).sort((a, b) => a.ifindex - b.ifindex);

/** App (a): shipped clients and the runtime's error class, by package name. */
const SHIPPED_APP = `import { RtLink } from '@nlgen/families/rt-link';
import { NetlinkError } from '@nlgen/runtime';

const netns = process.argv[2];
if (!netns) throw new Error('usage: main.js <netns>');

await using link = await RtLink.open({ netns });
const links: { ifindex: number; ifname: string | undefined; mtu: number | undefined; kind: string | undefined }[] = [];
for await (const l of link.getlinkDump()) {
  links.push({ ifindex: l.ifiIndex, ifname: l.ifname, mtu: l.mtu, kind: l.linkinfo?.kind });
}
let missing = 'no error';
try {
  await link.getlink({ ifname: 'nosuchlink0' });
} catch (e) {
  // One runtime in the app: the families package's errors are this package's classes.
  missing = e instanceof NetlinkError ? e.code : \`not a NetlinkError: \${String(e)}\`;
}
console.log(JSON.stringify({ links, missing }));
`;

/** App (b): a client generated in the app from a downloaded (corpus) nlctrl spec. */
const OWN_APP = `import { Nlctrl } from './netlink/nlctrl.js';
import { NetlinkError } from '@nlgen/runtime';

const netns = process.argv[2];
if (!netns) throw new Error('usage: main.js <netns>');

await using ctrl = await Nlctrl.open({ netns });
const self = await ctrl.getfamily({ familyName: 'nlctrl' });
let missing = 'no error';
try {
  await ctrl.getfamily({ familyName: 'nosuchfamily' });
} catch (e) {
  missing = e instanceof NetlinkError ? e.code : String(e);
}
console.log(JSON.stringify({ nlctrlId: self.familyId, nlctrlName: self.familyName, missing }));
`;

describe.skipIf(skip !== undefined)('npm pack → scratch apps', () => {
  const tarballs: Record<'runtime' | 'families' | 'nlgen', string> = { runtime: '', families: '', nlgen: '' };
  const listing: Record<string, string[]> = {};
  const manifests: Record<string, Record<string, unknown>> = {};
  let ns: TestNetns | undefined;
  afterAll(() => ns?.dispose());

  beforeAll(() => {
    // Packed from a copy of the working tree, so that `prepack` rebuilding each package's dist/ never rewrites the
    // dist/ that other test files run at the same moment. Dependencies are the repository's own, linked.
    const src = mkdtempSync(join(tmpdir(), 'nlgen-src-'));
    temps.push(src);
    const skipped = new Set(['node_modules', '.git', 'dist', '.tmp', '.peers', 'results']);
    cpSync(repoRoot, src, { recursive: true, filter: (p) => !relative(repoRoot, p).split(sep).some((part) => skipped.has(part)) });
    symlinkSync(join(repoRoot, 'node_modules'), join(src, 'node_modules'));
    const packDir = mkdtempSync(join(tmpdir(), 'nlgen-pack-'));
    temps.push(packDir);
    // In dependency order: each package's prepack builds it, and the families build types against the runtime's.
    for (const [key, ws] of [['runtime', 'runtime'], ['families', 'generated'], ['nlgen', 'generator']] as const) {
      const before = new Set(readdirSync(packDir));
      run('npm', ['pack', '-w', ws, '--pack-destination', packDir, '--no-audit', '--no-fund', '--loglevel=error'], src);
      const made = readdirSync(packDir).filter((f) => !before.has(f) && f.endsWith('.tgz'));
      expect(made, ws).toHaveLength(1);
      tarballs[key] = join(packDir, made[0]!);
      listing[key] = run('tar', ['-tzf', tarballs[key]], packDir).split('\n').filter(Boolean);
      manifests[key] = JSON.parse(run('tar', ['-xzOf', tarballs[key], 'package/package.json'], packDir)) as Record<string, unknown>;
    }
  }, 600_000);

  test('each package carries its build, types, README, LICENSE and complete metadata, and no tests, benchmarks or maps', () => {
    for (const key of ['runtime', 'families', 'nlgen'] as const) {
      const files = listing[key]!;
      const m = manifests[key]!;
      for (const f of ['package/package.json', 'package/README.md', 'package/LICENSE', 'package/dist/index.d.ts']) expect(files, `${key}: ${f}`).toContain(f);
      for (const field of ['exports', 'types', 'files', 'license', 'repository', 'engines', 'description']) expect(m[field], `${key}: ${field}`).toBeDefined();
      expect(m.license).toBe('MIT');
      expect((m.engines as { node: string }).node).toMatch(/^>=\d+/);
      // (nlgen carries the specs of the shipped families in dist/specs: `nlgen list-attrs`, `policy` and `doctor` read them.)
      expect(files.filter((f) => (/\/(test|bench|examples|specs)\//.test(f) && !(key === 'nlgen' && /^package\/dist\/specs\/[^/]+\.yaml$/.test(f))) || f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
      // Every target the exports map names is in the tarball.
      const targets: string[] = [];
      const collect = (v: unknown): void => {
        if (typeof v === 'string') targets.push(v);
        else if (v && typeof v === 'object') Object.values(v).forEach(collect);
      };
      collect(m.exports);
      expect(targets.length, key).toBeGreaterThanOrEqual(3);
      for (const t of targets.filter((x) => !x.includes('*'))) expect(files, `${key}: export target ${t}`).toContain(`package/${t.slice(2)}`);
    }
    expect(manifests.runtime!.name).toBe('@nlgen/runtime');
    // The runtime's code is one bundled module (with `./ffi` beside it sharing one chunk), not tsc's ~40 modules: what
    // an app loads before its first request.
    expect(listing.runtime!.filter((f) => f.endsWith('.js')).sort()).toEqual(['package/dist/bundle/ffi.js', 'package/dist/bundle/index.js', expect.stringMatching(/^package\/dist\/bundle\/shared-[A-Z0-9]+\.js$/)]);
    expect(manifests.runtime!.dependencies).toEqual({ koffi: expect.any(String) });
    expect(manifests.families!.name).toBe('@nlgen/families');
    expect(manifests.families!.dependencies).toEqual({ '@nlgen/runtime': manifests.runtime!.version });
    for (const f of ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'nlctrl', 'netdev', 'ethtool', 'tcp_metrics', 'mptcp_pm', 'conntrack']) {
      expect(listing.families, f).toContain(`package/dist/${f}.js`);
      expect(listing.families, f).toContain(`package/dist/${f}.d.ts`);
    }
    expect(manifests.nlgen!.name).toBe('nlgen');
    expect(manifests.nlgen!.bin).toEqual({ nlgen: 'bin/nlgen.js' });
    // The generator's run-time dependencies: the spec reader and templates, and — for the family commands (nlgen do,
    // dump, doctor …) — the runtime and the shipped clients. No formatter (ts-morph is a test-only oracle).
    expect(Object.keys(manifests.nlgen!.dependencies as object).sort()).toEqual(['@nlgen/families', '@nlgen/runtime', 'ajv', 'handlebars', 'yaml']);
    expect(listing.nlgen).toContain('package/dist/specs/rt-link.yaml');
    expect(listing.nlgen).toContain('package/dist/tool/commands.js');
    for (const f of ['package/bin/nlgen.js', 'package/dist/cli.js', 'package/dist/templates/family.hbs', 'package/dist/templates/family-doc.hbs', 'package/dist/templates/index.hbs', 'package/dist/schemas/validators.cjs']) {
      expect(listing.nlgen, f).toContain(f);
    }
  });

  test('(a) an app using shipped clients: runtime + families only, runs live', { timeout: 600_000 }, () => {
    const app = newApp('shipped');
    run('npm', ['install', tarballs.runtime, tarballs.families, ...npmQuiet], app);
    // What the app depends on at run time: the two packages and koffi, nothing of the generator.
    const installed = readdirSync(join(app, 'node_modules')).filter((f) => !f.startsWith('.')).flatMap((f) => (f.startsWith('@') ? readdirSync(join(app, 'node_modules', f)).map((g) => `${f}/${g}`) : [f]));
    // (koffi ships its native build as a per-platform optional package, @koromix/koffi-<os>-<arch>.)
    expect(installed.filter((p) => !p.startsWith('@koromix/koffi-')).sort()).toEqual(['@nlgen/families', '@nlgen/runtime', 'koffi']);
    const size = footprint(join(app, 'node_modules'));
    console.log(`(a) shipped clients: ${(size.bytes / 1e6).toFixed(2)} MB, ${size.files} files`);
    expectReadmeFigures('(a)', size);

    run('npm', ['install', '--save-dev', `typescript@${version('typescript')}`, `@types/node@${version('@types/node')}`, ...npmQuiet], app);
    writeFileSync(join(app, 'src', 'main.ts'), SHIPPED_APP);
    tsconfig(app);
    run('npx', ['--no-install', 'tsc', '-p', '.'], app); // throws with tsc's diagnostics on any error

    ns ??= createNetns('nlgen-pack');
    if (!ipLinks(ns).some((l) => l.ifname === 'pk0')) ns.ip('link', 'add', 'pk0', 'mtu', '1400', 'type', 'veth', 'peer', 'name', 'pk1');
    const printed = JSON.parse(run(process.execPath, [join(app, 'build', 'main.js'), ns.name], app)) as { links: PrintedLink[]; missing: string };
    const got = sortLinks(printed.links);
    expect(got).toEqual(ipLinks(ns));
    expect(got.map((l) => l.ifname).sort()).toEqual(['lo', 'pk0', 'pk1']);
    expect(got.find((l) => l.ifname === 'pk0')).toMatchObject({ mtu: 1400, kind: 'veth' });
    expect(printed.missing).toBe('ENODEV');
  });

  test('(b) an app generating its own clients: nlgen as a dev dependency, runs live without it', { timeout: 600_000 }, () => {
    const app = newApp('own');
    run('npm', ['install', tarballs.runtime, ...npmQuiet], app);
    // (@nlgen/families is one of nlgen's dependencies; unpublished here, so its tarball is named too.)
    run('npm', ['install', '--save-dev', tarballs.families, tarballs.nlgen, ...npmQuiet], app);
    const size = footprint(join(app, 'node_modules'));
    console.log(`(b) own clients: ${(size.bytes / 1e6).toFixed(2)} MB, ${size.files} files`);
    expectReadmeFigures('(b)', size);

    mkdirSync(join(app, 'specs'));
    copyFileSync(join(corpusSpecsDir, 'nlctrl.yaml'), join(app, 'specs', 'nlctrl.yaml'));
    const gen = run('npx', ['--no-install', 'nlgen', 'specs/', '--out', 'src/netlink/'], app);
    expect(gen).toContain('1 family →');
    expect(readFileSync(join(app, 'src', 'netlink', 'nlctrl.ts'), 'utf8')).toContain("from '@nlgen/runtime'");
    expect(run('npx', ['--no-install', 'nlgen', '--version'], app).trim()).toContain(String(manifests.nlgen!.version));

    run('npm', ['install', '--save-dev', `typescript@${version('typescript')}`, `@types/node@${version('@types/node')}`, ...npmQuiet], app);
    writeFileSync(join(app, 'src', 'main.ts'), OWN_APP);
    tsconfig(app);
    run('npx', ['--no-install', 'tsc', '-p', '.'], app);

    // Production install: the generator and its dependencies leave; the generated client still runs.
    run('npm', ['prune', '--omit=dev', ...npmQuiet], app);
    for (const gone of ['nlgen', '@nlgen/families', 'yaml', 'ajv', 'handlebars', 'typescript']) expect(existsSync(join(app, 'node_modules', gone)), gone).toBe(false);
    const pruned = footprint(join(app, 'node_modules')).bytes / 1e6;
    const said = /`npm prune --omit=dev` leaves ([\d.]+) MB/.exec(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    expect(said, 'README gives the pruned size').not.toBeNull();
    expect(Math.abs(pruned - Number(said![1])) / pruned, `pruned: ${pruned.toFixed(2)} MB`).toBeLessThan(0.15);
    ns ??= createNetns('nlgen-pack');
    const printed = JSON.parse(run(process.execPath, [join(app, 'build', 'main.js'), ns.name], app)) as { nlctrlId: number; nlctrlName: string; missing: string };
    // linux/genetlink.h: GENL_ID_CTRL is NLMSG_MIN_TYPE, 0x10. A well-formed name no family has is ENOENT from nlctrl
    // (kept under GENL_NAMSIZ: a longer one fails the attribute policy with EINVAL first).
    expect(readFileSync('/usr/include/linux/genetlink.h', 'utf8')).toMatch(/#define GENL_ID_CTRL\s+NLMSG_MIN_TYPE/);
    expect(readFileSync('/usr/include/linux/netlink.h', 'utf8')).toMatch(/#define NLMSG_MIN_TYPE\s+0x10/);
    expect(printed).toEqual({ nlctrlId: 0x10, nlctrlName: 'nlctrl', missing: 'ENOENT' });
  });

  test('(a) is a small fraction of (b)', () => {
    // Read back from the README, which the two tests above hold to the measurements.
    expect(readmeRow('(a)').mb).toBeLessThan(readmeRow('(b)').mb * 0.6);
  });
});
