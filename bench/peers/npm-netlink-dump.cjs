// Peer benchmark: dump the IPv4 routes of the current network namespace with the npm `netlink` package
// (installed by the bench into bench/.peers), `repeat` timed times after one warm-up, and print
// { count, times, maxRssMB } as one JSON line. Run inside the namespace (ip netns exec).
const { createRequire } = require('node:module');
const path = require('node:path');

const peersDir = process.argv[2];
const repeat = Number(process.argv[3] ?? 3);
const { createRtNetlink } = createRequire(path.join(peersDir, 'package.json'))('netlink');

async function main() {
  const socket = createRtNetlink();
  const times = [];
  let count = 0;
  for (let i = 0; i <= repeat; i++) {
    const t0 = process.hrtime.bigint();
    const routes = await socket.getRoutes({ family: 2 });
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) times.push(t);
    count = routes.length;
  }
  socket.socket.close?.();
  console.log(JSON.stringify({ count, times, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
