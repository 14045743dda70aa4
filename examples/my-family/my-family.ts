#!/usr/bin/env node
// Talks to the my_family example module (examples/my-family/module) through the clients generated from its specs:
// an echo seen both as the reply and as a notification, a dump, a check the module refuses, and a raw unit-31 ping.
//
//   make -C examples/my-family/module && insmod examples/my-family/module/my_family.ko
//   npm run example:my-family
import { MyFamily } from './generated/my_family.js';
import { MyRaw } from './generated/my_raw.js';
import { NetlinkError } from '@nlgen/runtime';

async function main(): Promise<void> {
  const fam = await MyFamily.open();
  const raw = await MyRaw.open({ replyMatch: 'order' }); // the module answers with port id 0 and sequence 0
  try {
    // Subscribed before the echo, so its notification is not missed.
    const echoes = fam.subscribe(['echoes']);
    const reply = await fam.echo({ msg: 'hello', num32: 7, num64: 1n << 40n, point: { x: 1, y: 2 }, item: [3, 4, 5] });
    console.log('echo reply:', reply);
    for await (const n of echoes) {
      if (n.name === 'echoed') console.log('notification:', n.name, n.msg);
      break;
    }

    let entries = 0;
    for await (const e of fam.listDump({ count: 3 })) {
      console.log('entry', e.index, e.msg);
      entries++;
    }
    console.log(entries, 'entries');

    try {
      await fam.check({ point: { x: 5, y: 1 } });
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      console.log('check refused:', e.code, e.path, e.extack.message); // ERANGE point.y y must not be smaller than x
    }

    const pong = await raw.ping({ id: 42, kind: 1, flags: 0, text: 'ping' });
    console.log('raw ping answered:', pong);
  } finally {
    fam.close();
    raw.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`my-family: ${err.message}\n`);
  process.exitCode = 1;
});
