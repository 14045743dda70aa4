// The family commands of the real `nlgen` command, run as a user would (a child process of the built CLI) against a
// throwaway namespace: dumps compared with `ip -j` and `genl ctrl list`, requests and --multi checked with `ip -j`,
// every kind of bad input one line with its exit code, a user's spec generated in memory and cached, notifications.
// Nothing is brought up and no packets are sent: links, addresses and routes are configured, dumped and deleted.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();
const bin = join(repoRoot, 'generator', 'bin', 'nlgen.js');
const cache = mkdtempSync(join(tmpdir(), 'nlgen-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const nlgen = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NLGEN_CACHE_DIR: cache, ...env }, maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const lines = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
/** One line on stderr, no stack trace. */
const oneLine = (err: string) => {
  expect(err).not.toMatch(/\n\s+at /);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
};

describe.skipIf(skip)('nlgen do / dump / subscribe, live', () => {
  let ns: TestNetns;
  beforeAll(() => {
    ns = createNetns('nlcli');
    ns.ip('link', 'add', 'cv0', 'type', 'veth', 'peer', 'name', 'cv1');
    ns.ip('link', 'add', 'cbr0', 'type', 'bridge');
    ns.ip('link', 'set', 'cv0', 'mtu', '1400');
    ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'cv0');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'cv0', 'nodad');
    ns.ip('link', 'set', 'cv0', 'up');
    ns.ip('route', 'add', '198.51.100.0/24', 'dev', 'cv0');
    ns.ip('route', 'add', '203.0.113.0/25', 'via', '192.0.2.254', 'dev', 'cv0');
  });
  afterAll(() => ns?.dispose());

  test('dump getlink prints every link as ip -j link show has it, one object per line', () => {
    const r = nlgen(['dump', 'getlink', '--family', 'rt-link', '--netns', ns.name]);
    expect(r.code).toBe(0);
    const ours = lines(r.out);
    const ip = ns.ipJson<{ ifindex: number; ifname: string; mtu: number; address?: string; flags: string[] }[]>('link', 'show');
    expect(ours.map((l) => [l.ifiIndex, l.ifname, l.mtu])).toEqual(ip.map((l) => [l.ifindex, l.ifname, l.mtu]));
    for (const l of ip) {
      const o = ours.find((x) => x.ifname === l.ifname)!;
      if (l.address !== undefined) expect(o.address).toBe(l.address);
      // ip prints the IFF_ flags upper-case without the prefix; ours are the spec's names.
      // ip adds NO-CARRIER and M-DOWN, which are not IFF_ bits.
      expect((o.ifiFlags as string[]).map((f) => f.toUpperCase().replace(/-/g, '_'))).toEqual(expect.arrayContaining(l.flags.filter((f) => f !== 'M-DOWN' && f !== 'NO-CARRIER')));
    }
  });

  test('dump getaddr and getroute match ip -j addr / route; --count stops early', () => {
    const addrs = lines(nlgen(['dump', 'getaddr', '-f', 'rt-addr', '--netns', ns.name]).out);
    const ipAddrs = ns.ipJson<{ ifname: string; addr_info: { local: string; prefixlen: number }[] }[]>('addr', 'show').flatMap((l) => l.addr_info.map((a) => `${a.local}/${a.prefixlen}`));
    expect(addrs.map((a) => `${String(a.local ?? a.address)}/${String(a.ifaPrefixlen)}`).sort()).toEqual(ipAddrs.sort());
    const routes = lines(nlgen(['dump', 'getroute', '-f', 'rt-route', '--netns', ns.name, '--json', '{"rtmFamily": 2}']).out).filter((r) => r.table === 254);
    const ipRoutes = ns.ipJson<{ dst: string; gateway?: string }[]>('-4', 'route', 'show');
    expect(routes.map((r) => (r.dst === undefined ? 'default' : `${String(r.dst)}/${String(r.rtmDstLen)}`) + (r.gateway ? ` via ${String(r.gateway)}` : '')).sort()).toEqual(
      ipRoutes.map((r) => (r.dst.includes('/') ? r.dst : `${r.dst}/32`) + (r.gateway ? ` via ${r.gateway}` : '')).sort(),
    );
    const two = nlgen(['dump', 'getlink', '-f', 'rt-link', '--netns', ns.name, '--count', '2']);
    expect(two.code).toBe(0);
    expect(lines(two.out)).toHaveLength(2);
  });

  test('a big dump arrives whole and in order in a file and through a pipe whose reader keeps stopping', async () => {
    // 20,000 routes in a table of their own: the dump goes through the background receives, and each batch's
    // lines through the reused output buffers, which a pipe that fills must not let the next batch write over.
    const batch = Array.from({ length: 20_000 }, (_, i) => `route add 198.18.${i >> 8}.${i & 255}/32 dev cv0 table 100`).join('\n');
    ns.exec('ip', ['-batch', '-'], `${batch}\n`);
    try {
      const args = [bin, 'dump', 'getroute', '-f', 'rt-route', '--netns', ns.name, '--json', '{"rtmFamily": 2}'];
      const env = { ...process.env, NLGEN_CACHE_DIR: cache };
      const file = join(cache, 'routes.jsonl');
      const fd = openSync(file, 'w');
      try {
        expect(spawnSync(process.execPath, args, { stdio: ['ignore', fd, 'pipe'], env }).status).toBe(0);
      } finally {
        closeSync(fd);
      }
      const child = spawn(process.execPath, args, { env });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => {
        chunks.push(c);
        // Stop reading now and then: the pipe fills, and nlgen's writes wait for it.
        if (chunks.length % 4 === 0) {
          child.stdout.pause();
          setTimeout(() => child.stdout.resume(), 5);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      const piped = Buffer.concat(chunks).toString('utf8');
      expect(piped).toBe(readFileSync(file, 'utf8'));
      const ours = lines(piped).filter((r) => r.table === 100).map((r) => String(r.dst));
      const ip = ns.ipJson<{ dst: string }[]>('-4', 'route', 'show', 'table', '100').map((r) => r.dst);
      expect(ours).toHaveLength(20_000);
      expect(ours).toEqual(ip);
      // A non-blocking pipe (O_NONBLOCK on the file description nlgen's stdout shares, as a parent may leave it):
      // writes to fd 1 fail with EAGAIN once it is full, and the rest must go out through process.stdout in order.
      // Node's spawn makes a child's stdio blocking, so a preload sets the flag (fcntl through koffi).
      const preload = join(cache, 'nonblocking-stdout.cjs');
      writeFileSync(
        preload,
        `const koffi = require(${JSON.stringify(createRequire(import.meta.url).resolve('koffi'))});
const fcntl = koffi.load('libc.so.6').func('int fcntl(int fd, int cmd, ...)');
const flags = fcntl(1, 3 /* F_GETFL */);
if (fcntl(1, 4 /* F_SETFL */, 'int', flags | 0o4000 /* O_NONBLOCK */) !== 0) throw new Error('fcntl');
`,
      );
      const fifo = join(cache, 'out.fifo');
      execFileSync('mkfifo', [fifo]);
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(fifo, constants.O_WRONLY);
      const slow = spawn(process.execPath, ['-r', preload, ...args], { env, stdio: ['ignore', writer, 'pipe'] });
      closeSync(writer);
      const got: Buffer[] = [];
      const exited = new Promise<number | null>((resolve) => slow.on('close', resolve));
      let done = false;
      void exited.then(() => (done = true));
      const buf = Buffer.alloc(1 << 16);
      for (;;) {
        // Read a little, then let the pipe fill again.
        await new Promise((r) => setTimeout(r, 2));
        let n = 0;
        try {
          n = readSync(reader, buf, 0, buf.length, null);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          continue;
        }
        if (n === 0 && done) break;
        got.push(Buffer.from(buf.subarray(0, n)));
      }
      closeSync(reader);
      expect(await exited).toBe(0);
      expect(Buffer.concat(got).toString('utf8')).toBe(piped);
    } finally {
      ns.ip('route', 'flush', 'table', '100');
    }
  });

  test('output still queued for a full pipe when the command is done goes out before nlgen exits', async () => {
    // A FIFO filled to capacity before nlgen starts: its first write to stdout cannot go out, so Node queues it,
    // and nlgen (which ends the process itself once nothing is queued) must wait for the reader instead.
    const fifo = join(cache, 'full.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    let filled = 0;
    const filler = Buffer.alloc(4096, 0x2e);
    for (;;) {
      try {
        filled += writeSync(writer, filler);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw e;
      }
    }
    const child = spawn(process.execPath, [bin, 'list-ops', '-f', 'rt-route'], { env: { ...process.env, NLGEN_CACHE_DIR: cache }, stdio: ['ignore', writer, 'pipe'] });
    closeSync(writer);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Long enough for nlgen to have written (into Node's queue) and finished its command.
    await new Promise((r) => setTimeout(r, 1000));
    const got: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    let done = false;
    void exited.then(() => (done = true));
    for (;;) {
      let n = 0;
      try {
        n = readSync(reader, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      if (n === 0) {
        // End of file: nlgen is gone (its exit event may still be on the way).
        if (done) break;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      got.push(Buffer.from(buf.subarray(0, n)));
    }
    closeSync(reader);
    expect(await exited).toBe(0);
    const all = Buffer.concat(got).toString('utf8');
    expect(all.length).toBeGreaterThan(filled);
    expect(all.slice(0, filled)).toBe('.'.repeat(filled));
    expect(all.slice(filled)).toBe(nlgen(['list-ops', '-f', 'rt-route']).out);
  });

  test('--dbg-small-recv: dumps come in datagrams no bigger than asked, each logged on stderr; the same routes', () => {
    // 600 more routes make a dump of many datagrams (all on cv0, nothing is sent).
    const batch = Array.from({ length: 600 }, (_, i) => `route add 198.18.${i >> 8}.${i & 255}/32 dev cv0`).join('\n');
    ns.exec('ip', ['-batch', '-'], `${batch}\n`);
    try {
      const plain = nlgen(['dump', 'getroute', '-f', 'rt-route', '--netns', ns.name, '--json', '{"rtmFamily":2}']);
      const small = nlgen(['dump', 'getroute', '-f', 'rt-route', '--netns', ns.name, '--json', '{"rtmFamily":2}', '--dbg-small-recv', '4096']);
      expect([plain.code, small.code]).toEqual([0, 0]);
      expect(small.out).toBe(plain.out);
      expect(plain.err).toBe('');
      const reads = small.err.trimEnd().split('\n').map((l) => /^recv: (\d+) bytes, (\d+) messages?$/.exec(l));
      expect(reads.every((m) => m !== null)).toBe(true);
      const sizes = reads.map((m) => Number(m![1]));
      // Every route once, plus the dump's closing NLMSG_DONE.
      expect(reads.reduce((n, m) => n + Number(m![2]), 0)).toBe(lines(plain.out).length + 1);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
      // The kernel sizes dump datagrams by the reader's buffer: offered 64 KiB it sends bigger ones, so fewer.
      const big = nlgen(['dump', 'getroute', '-f', 'rt-route', '--netns', ns.name, '--json', '{"rtmFamily":2}', '--dbg-small-recv', '65536']);
      const bigSizes = big.err.trimEnd().split('\n').map((l) => Number(/^recv: (\d+) bytes/.exec(l)![1]));
      expect(big.out).toBe(plain.out);
      expect(Math.max(...bigSizes)).toBeGreaterThan(4096);
      expect(bigSizes.length).toBeLessThan(sizes.length);
      const bad = nlgen(['dump', 'getroute', '-f', 'rt-route', '--dbg-small-recv', '512']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/--dbg-small-recv: expected a number of bytes of at least 4096, got "512"/);
    } finally {
      ns.exec('ip', ['-batch', '-'], `${batch.replaceAll('route add', 'route del')}\n`);
    }
  });

  test('--echo (NLM_F_ECHO): tc answers a single qdisc get only so; without it the request gets no reply, exit 1', () => {
    ns.exec('tc', ['qdisc', 'add', 'dev', 'cbr0', 'root', 'handle', '3:', 'pfifo', 'limit', '77']);
    try {
      const ifindex = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'cbr0')[0]!.ifindex;
      const req = JSON.stringify({ ifindex, parent: 0xffffffff, handle: 0x30000 });
      const echoed = nlgen(['do', 'getqdisc', '-f', 'tc', '--netns', ns.name, '--echo', '--json', req]);
      expect(echoed).toMatchObject({ code: 0, err: '' });
      const [q] = lines(echoed.out);
      const [shown] = JSON.parse(ns.exec('tc', ['-j', 'qdisc', 'show', 'dev', 'cbr0', 'root'])) as { kind: string; handle: string; options: { limit: number } }[];
      expect([q!.kind, q!.handle, (q!.options as { limit: number }).limit, shown!.handle]).toEqual([shown!.kind, 0x30000, shown!.options.limit, '3:']);
      const plain = nlgen(['do', 'getqdisc', '-f', 'tc', '--netns', ns.name, '--json', req]);
      expect(plain.code).toBe(1);
      expect(plain.err).toMatch(/sent no reply \(a family that answers only with NLM_F_ECHO/);
    } finally {
      ns.exec('tc', ['qdisc', 'del', 'dev', 'cbr0', 'root']);
    }
  });

  test('do with --json, --create --excl: the link exists for ip; again with --excl is EEXIST, exit 1', () => {
    const req = JSON.stringify({ ifname: 'cbr1', linkinfo: { kind: 'bridge' } });
    const made = nlgen(['do', 'newlink', '-f', 'rt-link', '--netns', ns.name, '--create', '--excl', '--json', req]);
    expect(made).toEqual({ code: 0, out: '', err: '' });
    expect(ns.ipJson<{ linkinfo: { info_kind: string } }[]>('-d', 'link', 'show', 'cbr1')[0]!.linkinfo.info_kind).toBe('bridge');
    const again = nlgen(['do', 'newlink', '-f', 'rt-link', '--netns', ns.name, '--create', '--excl', '--json', req]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^nlgen do: .*EEXIST/);
    oneLine(again.err);
    const got = nlgen(['do', 'getlink', '-f', 'rt-link', '--netns', ns.name, '--json', '{"ifname":"cbr1"}', '-o', 'text']);
    expect(got.code).toBe(0);
    expect(got.out).toMatch(/^---\n/);
    expect(got.out).toContain('ifname: cbr1\n');
    ns.ip('link', 'del', 'cbr1');
  });

  test('--multi: every op goes out, each result or error is printed in order, exit 1 when one failed', () => {
    const r = nlgen([
      'do', '-f', 'rt-link', '--netns', ns.name, '--create', '--excl',
      '--multi', 'newlink', '{"ifname":"cm1","linkinfo":{"kind":"bridge"}}',
      '--multi', 'newlink', '{"ifname":"cbr0","linkinfo":{"kind":"bridge"}}',
      '--multi', 'newlink', '{"ifname":"cm2","linkinfo":{"kind":"bridge"}}',
    ]);
    expect(r.code).toBe(1);
    const out = lines(r.out);
    expect(out.map((o) => [o.op, o.ok === true, (o.error as { code?: string } | undefined)?.code])).toEqual([
      ['newlink', true, undefined],
      ['newlink', false, 'EEXIST'],
      ['newlink', true, undefined],
    ]);
    const names = ns.ipJson<{ ifname: string }[]>('link', 'show').map((l) => l.ifname);
    expect(names).toEqual(expect.arrayContaining(['cm1', 'cm2']));
    // One bad request stops all of them before anything is sent.
    const bad = nlgen(['do', '-f', 'rt-link', '--netns', ns.name, '--create', '--multi', 'newlink', '{"ifname":"cm3","linkinfo":{"kind":"bridge"}}', '--multi', 'newlink', '{"ifname":"cm4","mtu":"big"}']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^nlgen do: rt-link newlink: bad request: mtu: /);
    expect(ns.ipJson<{ ifname: string }[]>('link', 'show').map((l) => l.ifname)).not.toContain('cm3');
    ns.ip('link', 'del', 'cm1');
    ns.ip('link', 'del', 'cm2');
  });

  test('nlctrl dump getfamily lists what genl ctrl list lists', () => {
    const ours = lines(nlgen(['dump', 'getfamily', '-f', 'nlctrl', '--netns', ns.name]).out).map((f) => `${String(f.familyName)} ${Number(f.familyId)}`);
    const genl = spawnSync('ip', ['netns', 'exec', ns.name, 'genl', 'ctrl', 'list'], { encoding: 'utf8' }).stdout;
    const theirs = [...genl.matchAll(/Name: (\S+)\s+ID: (0x[0-9a-f]+)/g)].map((m) => `${m[1]} ${parseInt(m[2]!, 16)}`);
    expect(theirs.length).toBeGreaterThan(3);
    expect(ours.sort()).toEqual(theirs.sort());
  });

  test('bad input: one line each, exit 2, nothing sent; a refused request exit 1', () => {
    const cases: [string[], RegExp][] = [
      [['do', 'getlink', '-f', 'rt-link', '--json', '{"ifname":'], /^nlgen do: --json: not JSON: /],
      [['do', 'getlink', '-f', 'rt-link', '--json', '[1]'], /^nlgen do: --json: expected a JSON object, got an array$/],
      [['do', 'getlinkk', '-f', 'rt-link'], /^nlgen do: rt-link has no op "getlinkk"; its ops: .*getlink/],
      [['do', 'getlink', '-f', 'rt-link', '--json', '{"mtuu":1}'], /^nlgen do: rt-link getlink: bad request: mtuu: unknown property; expected one of /],
      [['do', 'getlink', '-f', 'rt-link', '--json', '{"ifname":5}'], /^nlgen do: rt-link getlink: bad request: ifname: expected a string, got number 5 \(nothing was sent\)$/],
      [['dump', 'getlink', '-f', 'no-such'], /^nlgen dump: no family named "no-such": nlgen ships /],
      [['dump', 'getlink', '-f', 'rt-link', '--bogus'], /^nlgen dump: unknown option --bogus$/],
      [['dump', 'getlink', '-f', 'rt-link', '--timeout', 'soon'], /^nlgen dump: --timeout: expected a duration/],
      [['dump', 'newlink', '-f', 'rt-link'], /^nlgen dump: rt-link op "newlink" has no dump \(it has do; use nlgen do\)$/],
      [['subscribe', 'nosuch', '-f', 'rt-link'], /^nlgen subscribe: rt-link has no multicast group "nosuch"; its groups: /],
    ];
    for (const [args, want] of cases) {
      const r = nlgen([...args, '--netns', ns.name]);
      expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 2, out: '' });
      expect(r.err.trimEnd()).toMatch(want);
      oneLine(r.err);
    }
    // The kernel refuses a vxlan id of 2^24 (ERANGE, with extack): its message and the property path are printed.
    const vx = nlgen(['do', 'newlink', '-f', 'rt-link', '--netns', ns.name, '--create', '--excl', '--json', '{"ifname":"cvx0","linkinfo":{"kind":"vxlan","data":{"id":16777216}}}']);
    expect(vx.code).toBe(1);
    expect(vx.err).toMatch(/^nlgen do: .*ERANGE.*: .+ \(at linkinfo\.data\(vxlan\)\.id\)\n$/);
    oneLine(vx.err);
    const refused = nlgen(['do', 'getlink', '-f', 'rt-link', '--netns', ns.name, '--json', '{"ifname":"nope0"}']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^nlgen do: rt-link getlink: ENODEV/);
    oneLine(refused.err);
  });

  test('without CAP_NET_ADMIN: EPERM with the capability named, exit 1', () => {
    // Run as nobody inside the namespace; the checkout must be readable by it (as in the other permission tests).
    const r = spawnSync('ip', ['netns', 'exec', ns.name, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, bin, 'do', 'newlink', '-f', 'rt-link', '--create', '--json', '{"ifname":"cp0","linkinfo":{"kind":"bridge"}}'], {
      encoding: 'utf8',
      env: { ...process.env, NLGEN_CACHE_DIR: '', HOME: '/nonexistent' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nlgen do: .*EPERM.*CAP_NET_ADMIN/);
    oneLine(r.stderr);
  });

  test('--spec FILE: generated in memory, cached by hash, and the cached module serves the next run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlgen-userspec-'));
    try {
      cpSync(join(repoRoot, 'specs', 'rt-addr.yaml'), join(dir, 'my-addr.yaml'));
      const before = readdirSync(cache).filter((f) => f.endsWith('.mjs')).length;
      const r = nlgen(['dump', 'getaddr', '--spec', join(dir, 'my-addr.yaml'), '--netns', ns.name]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const shipped = nlgen(['dump', 'getaddr', '-f', 'rt-addr', '--netns', ns.name]);
      expect(r.out).toBe(shipped.out);
      const mjs = readdirSync(cache).filter((f) => f.endsWith('.mjs'));
      expect(mjs.length).toBe(before + 1);
      // The cache is private: another user could otherwise plant code this process runs.
      chmodSync(cache, 0o777);
      const refused = nlgen(['dump', 'getaddr', '--spec', join(dir, 'my-addr.yaml'), '--netns', ns.name], { XDG_CACHE_HOME: '', HOME: '' });
      chmodSync(cache, 0o700);
      expect(refused.code).toBe(0); // fell back to a private folder of its own
      // --specs DIR finds the user's family by name; a broken spec is file:line:col, exit 2.
      const viaDir = nlgen(['dump', 'getaddr', '-f', 'rt-addr', '--specs', dir, '--netns', ns.name]);
      expect(viaDir.out).toBe(shipped.out);
      cpSync(join(repoRoot, 'test', 'generator', 'cli-family.live.test.ts'), join(dir, 'broken.yaml'));
      const broken = nlgen(['dump', 'getaddr', '--spec', join(dir, 'broken.yaml')]);
      expect(broken.code).toBe(2);
      expect(broken.err).toMatch(/broken\.yaml:\d+:\d+: /);
      expect(broken.err).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('subscribe prints a typed notification per change, and --count ends it', async () => {
    const child = spawn(process.execPath, [bin, 'subscribe', 'rtnlgrp-link', '-f', 'rt-link', '--netns', ns.name, '--count', '1', '--timeout', '20s'], { env: { ...process.env, NLGEN_CACHE_DIR: cache } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // The subscription joins its group some time after the process starts: change links until one is seen.
    for (let i = 0; i < 40 && child.exitCode === null; i++) {
      ns.ip('link', 'add', `cs${i}`, 'type', 'bridge');
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(await done).toBe(0);
    const [n] = lines(out);
    expect(n!.name).toBe('newlink-ntf');
    expect(String((n!.msg as { ifname: string }).ifname)).toMatch(/^cs\d+$/);
    for (const l of ns.ipJson<{ ifname: string }[]>('link', 'show')) if (/^cs\d+$/.test(l.ifname)) ns.ip('link', 'del', l.ifname);
  });
});

describe('nlgen list-* and policy', () => {
  test('list-families names the shipped families with their protocols', () => {
    const r = nlgen(['list-families']);
    expect(r.code).toBe(0);
    const rows = lines(r.out);
    expect(rows.map((x) => `${String(x.name)} ${String(x.protocol)}`)).toEqual(expect.arrayContaining(['rt-link netlink-raw', 'netdev genetlink', 'nlctrl genetlink-legacy']));
    expect(rows.every((x) => existsSync(String(x.file)))).toBe(true);
  });

  test('list-ops, list-msgs and list-attrs read the model: numbers as the uapi headers have them', () => {
    const ops = lines(nlgen(['list-ops', '-f', 'rt-link']).out);
    // RTM_GETLINK = 18, RTM_NEWLINK = 16 (linux/rtnetlink.h).
    expect(ops.find((o) => o.name === 'getlink')).toMatchObject({ modes: ['do', 'dump'] });
    const msgs = lines(nlgen(['list-msgs', '-f', 'rt-link']).out);
    expect(msgs.find((m) => m.name === 'getlink' && m.kind === 'do request')?.id).toBe(18);
    expect(msgs.find((m) => m.name === 'newlink' && m.kind === 'do request')?.id).toBe(16);
    const attrs = lines(nlgen(['list-attrs', 'getfamily', '-f', 'nlctrl']).out)[0] as { do: { request: { name: string; value: number }[] } };
    // CTRL_ATTR_FAMILY_NAME = 2 (linux/genetlink.h); the lookup takes the name.
    expect(attrs.do.request.map((a) => [a.name, a.value])).toEqual([['family-name', 2]]);
    const text = nlgen(['list-attrs', 'getfamily', '-f', 'nlctrl', '-o', 'text']).out;
    expect(text).toContain('  family-name (2) string');
    expect(nlgen(['list-attrs', 'nope', '-f', 'nlctrl']).code).toBe(2);
  });

  test.skipIf(skip)('policy prints the kernel\'s policy of an op with the spec\'s names', () => {
    const r = nlgen(['policy', 'getfamily', '-f', 'nlctrl']);
    expect(r.code).toBe(0);
    const p = lines(r.out)[0] as { do: { type: number; name: string; policy: { type: string; maxLength?: number } }[] };
    // ctrl_policy_family: CTRL_ATTR_FAMILY_ID u16, CTRL_ATTR_FAMILY_NAME a string of at most GENL_NAMSIZ - 1 bytes.
    expect(p.do).toEqual([
      { type: 1, name: 'family-id', policy: { type: 'u16', minValueU: 0, maxValueU: 65535 } },
      { type: 2, name: 'family-name', policy: { type: 'nul-string', maxLength: 15 } },
    ]);
    expect(nlgen(['policy', 'getlink', '-f', 'rt-link']).code).toBe(2);
  });
});
