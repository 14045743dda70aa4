// Socket lifecycle: file descriptors, process exit, privileges, and network namespace switching.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import {
  AttrWriter,
  currentNetnsId,
  NETLINK_ROUTE,
  NetlinkSocket,
  pollerStats,
  SystemError,
} from '@nlgen/runtime';
import { createNetns, liveSkipReason } from '../support/netns.js';
import { runtimeJsDir, writeScript } from './support/child.js';
import { ifinfomsg, linkOf, RTM_GETLINK } from './support/rtnl.js';

const skip = liveSkipReason();
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const fdCount = () => readdirSync('/proc/self/fd').length;
// libuv runs close callbacks at the end of a loop iteration: let one full iteration pass.
const tick = () => new Promise((r) => setTimeout(r, 5)).then(() => new Promise((r) => setImmediate(r)));

describe.skipIf(skip)('socket lifecycle', () => {
  test('10,000 open/close cycles return open fds and poll handles to baseline', async () => {
    const before = fdCount();
    for (let i = 0; i < 10_000; i++) {
      const s = await NetlinkSocket.open(NETLINK_ROUTE);
      if (i % 100 === 0) {
        const r = await s.request({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter(), 1).finish() });
        expect(r.messages.length).toBe(1);
      }
      s.close();
    }
    await tick();
    expect(fdCount()).toBe(before);
    expect(pollerStats()).toEqual({ open: 0, closing: 0 });
  });

  const script = (body: string) => `
import { NetlinkSocket, AttrWriter } from './runtime/index.js';
${body}
console.log('done');
`;
  const getlink = `{ type: 18, payload: new AttrWriter().rawU8(0).rawZeros(3).rawU32(1).rawZeros(8).finish() }`;

  function run(path: string, timeout: number) {
    return spawnSync(process.execPath, [path], { cwd: runtimeJsDir(), encoding: 'utf8', timeout });
  }

  test('a script that closes its sockets exits by itself', () => {
    const p = writeScript(
      'exit-closed.mjs',
      script(`
const s = await NetlinkSocket.open(0);
await s.request(${getlink});
for await (const m of s.dump({ type: 18, payload: new AttrWriter().rawZeros(16).finish() })) void m;
const sub = s.subscribe([1]);
sub.close();
s.close();`),
    );
    const r = run(p, 20_000);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('done');
  });

  test('an idle socket left open does not keep the process alive; an open subscription does', () => {
    const idle = writeScript('exit-idle.mjs', script(`const s = await NetlinkSocket.open(0);\nawait s.request(${getlink});`));
    const r = run(idle, 20_000);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    // Control: a pending subscription is work in progress and must hold the process (killed by the timeout).
    const held = writeScript('exit-held.mjs', script(`const s = await NetlinkSocket.open(0);\ns.subscribe([1]);`));
    const h = run(held, 1500);
    expect(h.stdout.trim()).toBe('done');
    expect(h.signal).toBe('SIGTERM');
  });

  test('a client subscription given up before or after iterating releases the process', () => {
    // What generated clients return from subscribe(): return() must end the subscription even before the first
    // next() (an async generator would not run its cleanup then, and the joined socket kept the process alive).
    const pre = (body: string) =>
      script(`import { MappedSubscription } from './runtime/client/client-support.js';
const s = await NetlinkSocket.open(0);
const sub = new MappedSubscription(s.subscribe([1]), (m) => m);
${body}`);
    for (const [name, body] of [
      ['exit-return.mjs', 'await sub.return();'],
      ['exit-mapped-close.mjs', 'sub.close();'],
      ['exit-throw.mjs', 'await sub.throw(new Error("x")).catch(() => {});'],
      ['exit-next-return.mjs', 'const pending = sub.next();\nawait sub.return();\nconsole.log(JSON.stringify(await pending));'],
    ]) {
      const r = run(writeScript(name!, pre(body!)), 20_000);
      expect(r.stderr, name).toBe('');
      expect(r.signal, name).toBeNull();
      expect(r.status, name).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1), name).toBe('done');
    }
    // Control: the same subscription left live holds the process, as a server's would (killed by the timeout).
    const h = run(writeScript('exit-mapped-held.mjs', pre('void sub;')), 1500);
    expect(h.stdout.trim()).toBe('done');
    expect(h.signal).toBe('SIGTERM');
  });

  test('an unprivileged process changing a link gets EPERM', () => {
    const ns = createNetns('nlpriv');
    cleanups.push(() => ns.dispose());
    const p = writeScript(
      'unpriv.mjs',
      `
import { NetlinkSocket, AttrWriter } from './runtime/index.js';
const s = await NetlinkSocket.open(0);
const w = new AttrWriter().rawZeros(16);
w.string(3, 'np0');
const li = w.beginNest(18); w.string(1, 'veth'); w.endNest(li);
try {
  await s.request({ type: 16, flags: 0x400 | 0x200, payload: w.finish() });
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, code: e.code, errno: e.errno, uid: process.getuid() }));
}
s.close();`,
    );
    const r = spawnSync(
      'ip',
      ['netns', 'exec', ns.name, 'setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, p],
      { cwd: runtimeJsDir(), encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({ name: 'NetlinkError', code: 'EPERM', errno: 1, uid: out.uid });
    expect(out.uid).not.toBe(0);
    expect(ns.ipJson<{ ifname: string }[]>('link', 'show').map((l) => l.ifname)).toEqual(['lo']);
  });

  test('opens in a netns by name, path and fd, and always returns to the original namespace', async () => {
    const ns = createNetns('nlns');
    cleanups.push(() => ns.dispose());
    ns.ip('link', 'add', 'inside0', 'type', 'veth', 'peer', 'name', 'inside1');
    const home = currentNetnsId();
    const names = async (s: NetlinkSocket) => {
      const out: string[] = [];
      for await (const m of s.dump({ type: RTM_GETLINK, payload: ifinfomsg(new AttrWriter()).finish() })) out.push(linkOf(m).ifname!);
      s.close();
      return out.sort();
    };
    const fd = openSync(`/run/netns/${ns.name}`, 'r');
    try {
      for (const netns of [ns.name, `/run/netns/${ns.name}`, fd]) {
        const s = await NetlinkSocket.open(NETLINK_ROUTE, { netns });
        expect(currentNetnsId()).toBe(home);
        expect(s.netnsId).not.toBe(home);
        expect(await names(s)).toEqual(['inside0', 'inside1', 'lo']);
      }
    } finally {
      closeSync(fd);
    }
    // Failure before switching (no such namespace) and after switching (socket() refuses the protocol).
    await expect(NetlinkSocket.open(NETLINK_ROUTE, { netns: 'nlgen-does-not-exist' })).rejects.toThrow(/cannot be opened: ENOENT/);
    expect(currentNetnsId()).toBe(home);
    const err = await NetlinkSocket.open(29, { netns: ns.name }).catch((e) => e);
    expect(err).toBeInstanceOf(SystemError);
    expect(err.code).toBe('EPROTONOSUPPORT');
    expect(currentNetnsId()).toBe(home);
    // And the default namespace is still what a fresh socket sees.
    const s = await NetlinkSocket.open(NETLINK_ROUTE);
    expect(s.netnsId).toBe(home);
    expect(await names(s)).not.toContain('inside0');
  });

  test('the example in docs/runtime.md runs, lists the links ip shows, and exits by itself', () => {
    const doc = readFileSync(new URL('../../docs/runtime.md', import.meta.url), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(doc)![1].replace("'@nlgen/runtime'", "'./runtime/index.js'");
    const r = run(writeScript('doc-example.mjs', code), 20_000);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const names = r.stdout.split('\n').filter((l) => /^\d+ /.test(l)).map((l) => l.split(' ')[1]);
    const want = (JSON.parse(spawnSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' }).stdout) as { ifname: string }[]).map((l) => l.ifname);
    expect(names.sort()).toEqual(want.sort());
    expect(r.stdout).toMatch(/ethtool family id \d+/);
  });
});
