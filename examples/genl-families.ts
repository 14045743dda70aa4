#!/usr/bin/env node
// Lists the generic netlink families the kernel has registered, through the generated nlctrl client:
// name, id, version, number of commands, and multicast groups.
//
//   npm run example:genl -- [--netns NAME] [--json]
import { Nlctrl, type GetfamilyDumpReply } from '@nlgen/families/nlctrl';
import { columns, commonOptions, exitOnClosedStdout, parseCli, toJson } from './cli.js';

const USAGE = `Usage: genl-families [--netns NAME] [--json]

Lists generic netlink families: name, id, version, number of commands, multicast groups.

  --netns NAME  ask the controller of the network namespace NAME (from /run/netns)
  --json        print a JSON array instead of a table
  -h, --help    show this help
`;

/** One family, in the shape printed by --json. */
interface FamilyRow {
  name: string;
  id: number;
  version: number;
  /** Size of the family's own header after the genetlink header (0 for most). */
  hdrsize: number;
  /** Highest top-level attribute the family accepts. */
  maxattr: number;
  /** Number of commands the family implements. */
  ops: number;
  groups: { name: string; id: number }[];
}

/** Rows from a family dump, ordered by id. */
function familyRows(families: readonly GetfamilyDumpReply[]): FamilyRow[] {
  return families
    .map((f) => ({
      name: f.familyName ?? '?',
      id: f.familyId ?? 0,
      version: f.version ?? 0,
      hdrsize: f.hdrsize ?? 0,
      maxattr: f.maxattr ?? 0,
      ops: f.ops?.length ?? 0,
      groups: (f.mcastGroups ?? []).map((g) => ({ name: g.name ?? '?', id: g.id ?? 0 })),
    }))
    .sort((a, b) => a.id - b.id);
}

async function main(): Promise<void> {
  exitOnClosedStdout();
  const args = parseCli(commonOptions, USAGE);
  const ctrl = await Nlctrl.open(args.netns === undefined ? {} : { netns: args.netns });
  try {
    const rows = familyRows(await ctrl.getfamilyDump().toArray());
    if (args.json) {
      process.stdout.write(`${toJson(rows)}\n`);
      return;
    }
    const widths = [Math.max(6, ...rows.map((r) => r.name.length)), 5, 7, 4];
    process.stdout.write(`${columns(['FAMILY', 'ID', 'VERSION', 'OPS', 'GROUPS'], widths)}\n`);
    for (const r of rows) {
      const groups = r.groups.map((g) => `${g.name}(${g.id})`).join(' ');
      process.stdout.write(`${columns([r.name, String(r.id), String(r.version), String(r.ops), groups || '-'], widths)}\n`);
    }
  } finally {
    ctrl.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`genl-families: ${err.message}\n`);
  process.exitCode = 1;
});
