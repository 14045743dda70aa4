// The my_family example module's checks, run inside a VM that loaded it (test/vm/my-family.vm.test.ts boots it;
// `node --test-reporter=spec dist/examples/my-family/vm-checks.js` as root on any machine with the module loaded).
// node:test, not vitest: it starts in a fraction of the time under software emulation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttrWriter, NETLINK_GENERIC, NetlinkError, NetlinkSocket, NlgenError, resolveFamily, ValidationError } from '@nlgen/runtime';
import { MyFamily, type EchoRequest } from './generated/my_family.js';
import { MyRaw } from './generated/my_raw.js';

const full: EchoRequest = { msg: 'hello, kernel', num32: 0xdeadbeef, num64: (1n << 63n) + 5n, point: { x: 3, y: 65535 }, item: [1, 2, 3, 0xffffffff] };

test('echo: the reply carries every attribute of the request', async () => {
  const fam = await MyFamily.open();
  try {
    assert.deepEqual(await fam.echo(full), full);
    assert.deepEqual(await fam.echo({ msg: '' }), { msg: '' });
    assert.deepEqual(await fam.echo({}), {});
    // Several at once share a sendmsg; each gets its own reply.
    const many = await Promise.all([1, 2, 3, 4, 5].map((n) => fam.echo({ num32: n, item: [n, n] })));
    assert.deepEqual(many.map((r) => r.num32), [1, 2, 3, 4, 5]);
  } finally {
    fam.close();
  }
});

test('echo: the echoes group gets a typed notification', async () => {
  const fam = await MyFamily.open();
  const listener = await MyFamily.open();
  try {
    const sub = listener.subscribe(['echoes']);
    await fam.echo(full);
    await fam.echo({ msg: 'second' });
    const got: unknown[] = [];
    for await (const n of sub) {
      got.push(n);
      if (got.length === 2) break;
    }
    assert.deepEqual(got, [{ name: 'echoed', msg: full }, { name: 'echoed', msg: { msg: 'second' } }]);
  } finally {
    fam.close();
    listener.close();
  }
});

test('list dump: streamed over several datagrams, complete and in order', async () => {
  const fam = await MyFamily.open();
  try {
    let batches = 0;
    const seen: number[] = [];
    for await (const batch of fam.listDump({ count: 3000 }).batches()) {
      batches++;
      for (const e of batch) {
        seen.push(e.index!);
        assert.equal(e.msg, `entry ${e.index} of 3000, padded to take some room`);
      }
    }
    assert.ok(batches > 2, `3000 entries came in ${batches} datagram(s)`);
    assert.deepEqual(seen, Array.from({ length: 3000 }, (_, i) => i));
    // Without a count the module lists 1000.
    assert.equal((await fam.listDump().toArray()).length, 1000);
    // Breaking off early leaves the socket usable.
    for await (const e of fam.listDump({ count: 2000 })) if (e.index === 10) break;
    assert.equal((await fam.echo({ num32: 9 })).num32, 9);
  } finally {
    fam.close();
  }
});

test('list dump: a count outside 1..10000 is refused by the client and, sent by hand, by the kernel policy', async () => {
  const fam = await MyFamily.open();
  try {
    assert.throws(() => fam.listDump({ count: 0 }), (e: unknown) => e instanceof ValidationError && e.path === 'count');
  } finally {
    fam.close();
  }
  const sock = await NetlinkSocket.open(NETLINK_GENERIC);
  try {
    const f = await resolveFamily(sock, 'my_family');
    // genlmsghdr (cmd 2 = list, version 1) and MY_ATTR_COUNT (8) = 0, past the spec's checks.
    const payload = new AttrWriter().rawU8(2).rawU8(1).rawU16(0).u32(8, 0).finish();
    await assert.rejects(sock.dumpAll({ type: f.id, payload }), (e: unknown) => {
      assert.ok(e instanceof NetlinkError, String(e));
      assert.equal(e.code, 'ERANGE');
      assert.equal(e.extack.badAttrOffset, 20);
      assert.equal(e.extack.policy?.minValueUnsigned, 1n);
      assert.equal(e.extack.policy?.maxValueUnsigned, 10000n);
      return true;
    });
  } finally {
    sock.close();
  }
});

test('check: x > y is refused with the extack text and the property path of y', async () => {
  const fam = await MyFamily.open();
  try {
    await fam.check({ point: { x: 1, y: 2 } });
    await assert.rejects(fam.check({ point: { x: 5, y: 1 } }), (e: unknown) => {
      assert.ok(e instanceof NetlinkError, String(e));
      assert.equal(e.code, 'ERANGE');
      assert.equal(e.extack.message, 'y must not be smaller than x');
      assert.equal(e.path, 'point.y');
      assert.equal(typeof e.extack.badAttrOffset, 'number');
      return true;
    });
  } finally {
    fam.close();
  }
});

test('check: a missing attribute is named even when the kernel sends no text', async () => {
  const fam = await MyFamily.open();
  try {
    await assert.rejects(fam.check({}), (e: unknown) => {
      assert.ok(e instanceof NetlinkError, String(e));
      assert.equal(e.code, 'EINVAL');
      assert.equal(e.extack.missingType, 5);
      assert.equal(e.path, 'point');
      assert.match(e.message, /missing attribute|attribute point/i);
      return true;
    });
    await assert.rejects(fam.check({ point: { x: 1 } }), (e: unknown) => {
      assert.ok(e instanceof NetlinkError, String(e));
      assert.equal(e.extack.missingType, 2);
      assert.equal(typeof e.extack.missingNest, 'number');
      assert.equal(e.path, 'point.y');
      return true;
    });
  } finally {
    fam.close();
  }
});

/** Whether a user other than the owner can reach and read `file` (every directory above it searchable). */
function worldReadable(file: string): boolean {
  if ((statSync(file).mode & 0o004) === 0) return false;
  for (let d = dirname(file); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === dirname(d)) return true;
  }
}

test('admin: granted to root, EPERM for an unprivileged user', async () => {
  const fam = await MyFamily.open();
  try {
    assert.deepEqual(await fam.admin({}), { msg: 'granted' });
  } finally {
    fam.close();
  }
  const client = fileURLToPath(new URL('./generated/my_family.js', import.meta.url));
  const script = `import { MyFamily } from ${JSON.stringify(client)};
const fam = await MyFamily.open();
try { await fam.admin({}); console.log('granted'); } catch (e) { console.log(e.code); } finally { fam.close(); }`;
  const run = (cmd: string, args: string[], opts: { uid?: number; gid?: number } = {}): string => {
    const r = spawnSync(cmd, [...args, '--input-type=module', '-e', script], { ...opts, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  // As nobody, when nobody can read the checkout (a checkout in a private directory — mktemp -d is 0700 — cannot be).
  if (worldReadable(client)) assert.equal(run(process.execPath, [], { uid: 65534, gid: 65534 }), 'EPERM');
  // As root with every capability dropped (bounding set emptied before exec): what the kernel checks is the capability.
  assert.equal(run('setpriv', ['--bounding-set=-all', '--inh-caps=-all', '--', process.execPath]), 'EPERM');
});

test('raw unit 31: answers in tutorial style are matched with replyMatch order', async () => {
  const raw = await MyRaw.open({ replyMatch: 'order' });
  try {
    assert.deepEqual(await raw.ping({ id: 42, kind: 1, flags: 2, text: 'ping', value: 7 }), { id: 42, kind: 1, flags: 2, text: 'ping', value: 7 });
    assert.deepEqual(await raw.data({ id: 0xffffffff, kind: 65535, flags: 0, text: 'data' }), { id: 0xffffffff, kind: 65535, flags: 0, text: 'data' });
    // Started together, answered one after the other, each with its own reply.
    const replies = await Promise.all([1, 2, 3, 4].map((id) => raw.ping({ id, text: `p${id}` })));
    assert.deepEqual(replies.map((r) => [r.id, r.text]), [[1, 'p1'], [2, 'p2'], [3, 'p3'], [4, 'p4']]);
  } finally {
    raw.close();
  }
  // An error (with the request's sequence number, before any reply) still rejects its request.
  const sock = await NetlinkSocket.open(31, { replyMatch: 'order' });
  try {
    await assert.rejects(sock.request({ type: 18, payload: new Uint8Array(8) }), (e: unknown) => {
      assert.ok(e instanceof NetlinkError, String(e));
      assert.equal(e.code, 'EOPNOTSUPP');
      assert.equal(e.extack.message, 'unknown message type');
      return true;
    });
    const ok = await sock.request({ type: 16, payload: new Uint8Array(8).fill(1) });
    assert.equal(ok.messages.length, 1);
    assert.deepEqual([...ok.messages[0].payload], [1, 1, 1, 1, 1, 1, 1, 1]);
  } finally {
    sock.close();
  }
});

test('raw unit 31: matched by sequence number (the default), the answer is not found', async () => {
  const raw = await MyRaw.open();
  try {
    await assert.rejects(raw.ping({ id: 1 }), (e: unknown) => e instanceof NlgenError && /no reply/.test(e.message));
  } finally {
    raw.close();
  }
});

test('the generic netlink controller lists the family as the module registered it', async () => {
  const sock = await NetlinkSocket.open(NETLINK_GENERIC);
  try {
    const f = await resolveFamily(sock, 'my_family');
    assert.equal(f.version, 1);
    assert.equal(f.maxAttr, 8);
    assert.deepEqual([...f.mcastGroups.keys()], ['echoes']);
    assert.deepEqual(f.ops.map((o) => o.id).sort(), [1, 2, 3, 4]);
  } finally {
    sock.close();
  }
});

test('the example program (npm run example:my-family) runs against the module', () => {
  const program = fileURLToPath(new URL('./my-family.js', import.meta.url));
  const r = spawnSync(process.execPath, [program], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /notification: echoed \{\s+msg: 'hello',\s+num32: 7,/);
  assert.match(r.stdout, /entry 2 entry 2 of 3/);
  assert.match(r.stdout, /check refused: ERANGE point\.y y must not be smaller than x/);
  assert.match(r.stdout, /raw ping answered: \{\s+id: 42,\s+kind: 1,\s+flags: 0,\s+text: 'ping'\s+\}/);
});
