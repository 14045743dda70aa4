// As a user would: `npm pack` the project (prepare builds dist/), install the tarball into a scratch app outside the
// repository, generate a client there from a corpus spec with `npx nlgen`, import it together with a shipped family
// and the runtime by package name, type-check under strict + nodenext, and run it against the kernel in a throwaway
// network namespace. What the app prints is compared with `ip -j` and the uapi header.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
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

/** The scratch application: a corpus-generated nlctrl client, the shipped rt-link client, the runtime's errors. */
const APP = `import { Nlctrl } from './netlink/nlctrl.js';
import { RtLink } from 'nlgen/rt-link';
import { NetlinkError } from 'nlgen/runtime';

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

await using link = await RtLink.open({ netns });
const links: { ifindex: number; ifname: string | undefined; mtu: number | undefined; kind: string | undefined }[] = [];
for await (const l of link.getlinkDump()) {
  links.push({ ifindex: l.ifiIndex, ifname: l.ifname, mtu: l.mtu, kind: l.linkinfo?.kind });
}
console.log(JSON.stringify({ nlctrlId: self.familyId, nlctrlName: self.familyName, missing, links }));
`;

describe.skipIf(skip !== undefined)('npm pack → scratch app', () => {
  let ns: TestNetns | undefined;
  afterAll(() => ns?.dispose());

  test('installs, generates from a corpus spec, type-checks strict/nodenext, and runs live', { timeout: 600_000 }, () => {
    // Packed from a copy of the working tree, so that `prepare` rebuilding dist/ never rewrites the dist/ that other
    // test files run at the same moment (bin/nlgen.js). Dependencies are the repository's own, linked.
    const src = mkdtempSync(join(tmpdir(), 'nlgen-src-'));
    temps.push(src);
    const skipped = new Set(['node_modules', '.git', 'dist', '.tmp', '.peers', 'results']);
    cpSync(repoRoot, src, { recursive: true, filter: (p) => !relative(repoRoot, p).split(sep).some((part) => skipped.has(part)) });
    symlinkSync(join(repoRoot, 'node_modules'), join(src, 'node_modules'));
    const packDir = mkdtempSync(join(tmpdir(), 'nlgen-pack-'));
    temps.push(packDir);
    run('npm', ['pack', '--pack-destination', packDir, '--no-audit', '--no-fund', '--loglevel=error'], src);
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);
    const tarball = join(packDir, tarballs[0]!);
    // The package carries what a user needs and none of the repository's tests.
    const listing = run('tar', ['-tzf', tarball], packDir).split('\n');
    for (const f of ['package/bin/nlgen.js', 'package/dist/runtime/index.js', 'package/dist/generated/rt-link.d.ts', 'package/templates/family.hbs', 'package/templates/family-doc.hbs', 'package/LICENSE', 'package/README.md', 'package/docs/families/rt-link.md', 'package/docs/writing-specs.md']) {
      expect(listing).toContain(f);
    }
    expect(listing.filter((f) => f.startsWith('package/test/') || f.startsWith('package/dist/test/') || f.startsWith('package/dist/bench/') || f.startsWith('package/bench/'))).toEqual([]);

    const app = mkdtempSync(join(tmpdir(), 'nlgen-app-'));
    temps.push(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'nlgen-scratch-app', private: true, type: 'module' }, null, 2));
    // Same TypeScript and Node types as this repository; --prefer-offline takes them from npm's cache when it has them.
    run('npm', ['install', tarball, `typescript@${version('typescript')}`, `@types/node@${version('@types/node')}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

    mkdirSync(join(app, 'specs'));
    copyFileSync(join(corpusSpecsDir, 'nlctrl.yaml'), join(app, 'specs', 'nlctrl.yaml'));
    const gen = run('npx', ['--no-install', 'nlgen', 'specs/', '--out', 'src/netlink/'], app);
    expect(gen).toContain('1 family →');
    expect(readFileSync(join(app, 'src', 'netlink', 'nlctrl.ts'), 'utf8')).toContain("from 'nlgen/runtime'");

    writeFileSync(join(app, 'src', 'main.ts'), APP);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'esnext.disposable'], types: ['node'], outDir: 'build', rootDir: 'src', skipLibCheck: false },
        include: ['src'],
      }),
    );
    run('npx', ['--no-install', 'tsc', '-p', '.'], app); // throws with tsc's diagnostics on any error

    ns = createNetns('nlgen-pack');
    ns.ip('link', 'add', 'pk0', 'mtu', '1400', 'type', 'veth', 'peer', 'name', 'pk1');
    const printed = JSON.parse(run(process.execPath, [join(app, 'build', 'main.js'), ns.name], app)) as {
      nlctrlId: number;
      nlctrlName: string;
      missing: string;
      links: { ifindex: number; ifname: string; mtu: number; kind?: string }[];
    };

    // linux/genetlink.h: GENL_ID_CTRL is NLMSG_MIN_TYPE, 0x10. A well-formed name no family has is ENOENT from nlctrl
    // (kept under GENL_NAMSIZ: a longer one fails the attribute policy with EINVAL first).
    const header = readFileSync('/usr/include/linux/genetlink.h', 'utf8');
    expect(header).toMatch(/#define GENL_ID_CTRL\s+NLMSG_MIN_TYPE/);
    expect(readFileSync('/usr/include/linux/netlink.h', 'utf8')).toMatch(/#define NLMSG_MIN_TYPE\s+0x10/);
    expect(printed.nlctrlId).toBe(0x10);
    expect(printed.nlctrlName).toBe('nlctrl');
    expect(printed.missing).toBe('ENOENT');

    const ip = ns.ipJson<{ ifindex: number; ifname: string; mtu: number; linkinfo?: { info_kind?: string } }[]>('-d', 'link', 'show');
    const want = ip.map((l) => ({ ifindex: l.ifindex, ifname: l.ifname, mtu: l.mtu, kind: l.linkinfo?.info_kind })).sort((a, b) => a.ifindex - b.ifindex);
    const got = printed.links.map((l) => ({ ...l, kind: l.kind ?? undefined })).sort((a, b) => a.ifindex - b.ifindex);
    expect(got).toEqual(want);
    expect(got.map((l) => l.ifname).sort()).toEqual(['lo', 'pk0', 'pk1']);
    expect(got.find((l) => l.ifname === 'pk0')).toMatchObject({ mtu: 1400, kind: 'veth' });
  });
});
