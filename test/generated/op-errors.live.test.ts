// Errors name what failed: a NetlinkError from a generated client says which family and op (`rt-link newlink:
// EEXIST …`), EPERM says which capability the kernel wanted, its stack shows the caller's frame (not only runtime
// frames from the poll callback), and an unknown generic netlink family has a `code`. Against the live kernel, in
// throwaway namespaces; the unprivileged case runs the built client as uid 65534.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FamilyNotFoundError, NetlinkError, NETLINK_GENERIC, NetlinkSocket, resolveFamily } from '@nlgen/runtime';
import { RtLink } from '../../generated/rt-link.js';
import { repoRoot } from '../support/corpus.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';

const skip = liveSkipReason();

describe.skipIf(skip)('errors name the family, op, capability and caller', () => {
  let ns: TestNetns;
  let link: RtLink;
  beforeAll(async () => {
    ns = createNetns('nlerr');
    link = await RtLink.open({ netns: ns.name });
  });
  afterAll(() => {
    link?.close();
    ns?.dispose();
  });

  async function createTwice(): Promise<void> {
    await link.newlink({ ifname: 'br-dup', linkinfo: { kind: 'bridge' } }, { create: true, excl: true });
    await link.newlink({ ifname: 'br-dup', linkinfo: { kind: 'bridge' } }, { create: true, excl: true });
  }

  test('EEXIST from newlink: family and op in the message and fields; the caller in the stack', async () => {
    let err: unknown;
    try {
      await createTwice();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetlinkError);
    const e = err as NetlinkError;
    expect(e.code).toBe('EEXIST');
    expect(e.family).toBe('rt-link');
    expect(e.op).toBe('newlink');
    expect(e.message.startsWith('rt-link newlink: EEXIST')).toBe(true);
    expect(e.capability).toBeUndefined();
    // The awaiting callers, not just the socket's receive path.
    expect(e.stack).toContain('createTwice');
    expect(e.stack).toContain('op-errors.live.test.ts');
    ns.ip('link', 'del', 'br-dup');
  });

  test('a get that fails names its op and asks for no capability', async () => {
    const e = await link.getlink({ ifname: 'no-such-link0' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetlinkError);
    expect((e as NetlinkError).message).toMatch(/^rt-link getlink: ENODEV/);
  });

  test('EPERM as an unprivileged user says the kernel wants CAP_NET_ADMIN', () => {
    const dir = join(repoRoot, '.tmp', `op-errors-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      // The built client (generated/dist/): Node resolves `@nlgen/runtime` through the workspace's node_modules link.
      const script = join(dir, 'unpriv.mjs');
      writeFileSync(
        script,
        `import { RtLink } from '${join(repoRoot, 'generated/dist/rt-link.js')}';
const link = await RtLink.open();
try {
  await link.newlink({ ifname: 'np0', linkinfo: { kind: 'bridge' } }, { create: true });
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ code: e.code, op: e.op, capability: e.capability, message: e.message }));
}
link.close();
`,
      );
      const r = spawnSync('ip', ['netns', 'exec', ns.name, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, script], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as { code: string; op: string; capability: string; message: string };
      expect(out).toMatchObject({ code: 'EPERM', op: 'newlink', capability: 'CAP_NET_ADMIN' });
      expect(out.message).toMatch(/^rt-link newlink: EPERM .*\(the kernel requires CAP_NET_ADMIN for this operation/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown generic netlink family: FamilyNotFoundError with code ENOENT', async () => {
    const sock = await NetlinkSocket.open(NETLINK_GENERIC, { netns: ns.name });
    try {
      const e = await resolveFamily(sock, 'nosuchfam').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FamilyNotFoundError);
      expect((e as FamilyNotFoundError).code).toBe('ENOENT');
    } finally {
      sock.close();
    }
  });
});
