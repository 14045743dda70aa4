#!/usr/bin/env node
// Lists network interfaces like `ip -br link`, through the generated rt-link client:
// name (name@peer for paired links), operational state, MAC address, flags, and link kind.
//
//   npm run example:links -- [--netns NAME] [--json]
import { RtLink, type GetlinkDumpReply } from '@nlgen/families/rt-link';
import { columns, commonOptions, exitOnClosedStdout, ipFlagWords, operstateName, parseCli, toJson } from './cli.js';

const USAGE = `Usage: links [--netns NAME] [--json]

Lists network interfaces, one per line: name, state, MAC address, <flags>, kind.

  --netns NAME  list the interfaces of the network namespace NAME (from /run/netns)
  --json        print a JSON array instead of text
  -h, --help    show this help
`;

/** One interface, in the shape printed by --json. */
interface LinkRow {
  ifindex: number;
  ifname: string;
  /** Index of the lower or peer device, when the kernel reports one (veth peer, vlan parent). */
  link?: number;
  /** Name shown in the first column: `ifname`, or `ifname@peer` like `ip -br link`. */
  label: string;
  operstate: string;
  address?: string;
  flags: string[];
  mtu?: number;
  kind?: string;
  master?: number;
}

/** Builds the rows from a full link dump (names of peers are looked up within the same dump). */
function linkRows(links: readonly GetlinkDumpReply[]): LinkRow[] {
  const names = new Map(links.map((l) => [l.ifiIndex, l.ifname ?? `if${l.ifiIndex}`]));
  const up = new Map(links.map((l) => [l.ifiIndex, l.ifiFlags.includes('up')]));
  return links.map((l) => {
    const ifname = l.ifname ?? `if${l.ifiIndex}`;
    let label = ifname;
    let linkedDown = false;
    // iproute2 print_name_and_link: @NONE for 0, @ifN when the peer lives in another namespace, else its name.
    if (l.link !== undefined) {
      if (l.link === 0) label += '@NONE';
      else if (l.linkNetnsid !== undefined) label += `@if${l.link}`;
      else {
        label += `@${names.get(l.link) ?? `if${l.link}`}`;
        linkedDown = up.get(l.link) === false;
      }
    }
    const row: LinkRow = { ifindex: l.ifiIndex, ifname, label, operstate: operstateName(l.operstate), flags: ipFlagWords(l.ifiFlags, linkedDown) };
    if (l.link !== undefined) row.link = l.link;
    if (l.address !== undefined) row.address = l.address;
    if (l.mtu !== undefined) row.mtu = l.mtu;
    if (l.linkinfo?.kind !== undefined) row.kind = l.linkinfo.kind;
    if (l.master !== undefined) row.master = l.master;
    return row;
  });
}

async function main(): Promise<void> {
  exitOnClosedStdout();
  const args = parseCli(commonOptions, USAGE);
  const client = await RtLink.open(args.netns === undefined ? {} : { netns: args.netns });
  try {
    const rows = linkRows(await client.getlinkDump().toArray());
    if (args.json) {
      process.stdout.write(`${toJson(rows)}\n`);
      return;
    }
    for (const r of rows) {
      process.stdout.write(`${columns([r.label, r.operstate, r.address ?? '', `<${r.flags.join(',')}>`, r.kind ?? ''], [16, 14, 17, 0])}\n`);
    }
  } finally {
    client.close();
  }
}

main().catch((err: Error & { code?: string }) => {
  process.stderr.write(`links: ${err.message}\n`);
  process.exitCode = 1;
});
