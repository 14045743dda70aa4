// Code awaiting a socket runs as soon as the runtime has read what it waits for, with nothing else to wake the event
// loop. The runtime reads from inside libuv (uv_poll's callback, through koffi), and Node 26 runs the promise jobs such
// a call queues only when a callback of its own next returns: before the runtime scheduled one (an immediate per
// wakeup, transport/poll.ts), the notifications below were handled only when each step's guard timer fired.
// A shell adds one route each time the script writes a line to a FIFO, so the script's process gets no other event
// (its child, the shell, exits only after the last route). It runs as a plain Node process: a test worker's own
// traffic with vitest would wake the loop and hide the fault.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { runtimeJsDir, writeScript } from './support/child.js';
import { RTA_DST, RTM_NEWROUTE, RTNLGRP_IPV4_ROUTE } from './support/rtnl.js';

const skip = liveSkipReason();
const work = mkdtempSync(join(tmpdir(), 'nlgen-wakeup-'));
let ns: TestNetns | undefined;
afterAll(() => {
  ns?.dispose();
  rmSync(work, { recursive: true, force: true });
});

const program = (fifo: string, netns: string) => `
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { AttrCursor, NETLINK_ROUTE, NetlinkSocket } from './runtime/index.js';
const sock = await NetlinkSocket.open(NETLINK_ROUTE, { netns: ${JSON.stringify(netns)} });
const events = sock.subscribe([${RTNLGRP_IPV4_ROUTE}])[Symbol.asyncIterator]();
const shell = spawn('sh', ['-c', 'for i in 1 2 3; do read x < "$1"; ip -n "$2" route add 198.18.9.$i/32 dev wk0; done', 'sh', ${JSON.stringify(fifo)}, ${JSON.stringify(netns)}], { stdio: 'ignore' });
const dstOf = (m) => {
  const c = new AttrCursor().reset(m.view, m.start + 12, m.end);
  while (c.next()) if (c.type === ${RTA_DST}) return [...m.data.subarray(c.start, c.end)].join('.');
};
const steps = [];
for (const i of [1, 2, 3]) {
  // Written synchronously: the write itself wakes nothing in this process.
  writeFileSync(${JSON.stringify(fifo)}, 'go\\n');
  let guardFired = false;
  const guard = setTimeout(() => (guardFired = true), 3000);
  let dst;
  while (dst !== '198.18.9.' + i) {
    const { value } = await events.next();
    if (value.kind === 'message' && value.type === ${RTM_NEWROUTE}) dst = dstOf(value);
  }
  clearTimeout(guard);
  steps.push({ route: i, guardFired });
}
shell.kill();
sock.close();
console.log(JSON.stringify(steps));
`;

describe.skipIf(skip !== undefined)('waking the code that awaits a socket', () => {
  test('each notification reaches the awaiting code before an unrelated timer wakes the loop', () => {
    ns = createNetns('nlwake');
    ns.ip('link', 'add', 'wk0', 'type', 'veth', 'peer', 'name', 'wk1');
    ns.ip('link', 'set', 'wk0', 'up');
    const fifo = join(work, 'go');
    execFileSync('mkfifo', [fifo]);
    const r = spawnSync(process.execPath, [writeScript('loop-wakeup.mjs', program(fifo, ns.name))], { cwd: runtimeJsDir(), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual([1, 2, 3].map((route) => ({ route, guardFired: false })));
  });
});
