// Parsing iproute2's `genl ctrl` text output, the oracle for generic netlink family listings.

/** One family as `genl ctrl list` prints it. */
export interface GenlFamily {
  name: string;
  id: number;
  version?: number;
  hdrsize?: number;
  maxattr?: number;
  ops: { id: number; flags?: number }[];
  groups: { id: number; name: string }[];
}

/** Parses the text of `genl ctrl list` / `genl ctrl get` (iproute2 genl/ctrl.c print_ctrl). */
export function parseGenlFamilies(text: string): GenlFamily[] {
  const out: GenlFamily[] = [];
  for (const block of text.split(/^Name: /m).slice(1)) {
    const name = block.slice(0, block.indexOf('\n')).trim();
    const head = /ID: 0x([0-9a-f]+)\s+(?:Version: 0x([0-9a-f]+)\s+)?(?:header size: (\d+)\s+)?(?:max attribs: (\d+))?/.exec(block)!;
    const fam: GenlFamily = { name, id: parseInt(head[1]!, 16), ops: [], groups: [] };
    if (head[2] !== undefined) fam.version = parseInt(head[2], 16);
    if (head[3] !== undefined) fam.hdrsize = Number(head[3]);
    if (head[4] !== undefined) fam.maxattr = Number(head[4]);
    const cmds = /commands supported:([\s\S]*?)(?:multicast groups:|$)/.exec(block)?.[1] ?? '';
    for (const m of cmds.matchAll(/#\d+:\s+ID-0x([0-9a-f]+)[ \t]*(?:\n\s*Capabilities \(0x([0-9a-f]+)\))?/g)) {
      fam.ops.push(m[2] === undefined ? { id: parseInt(m[1]!, 16) } : { id: parseInt(m[1]!, 16), flags: parseInt(m[2], 16) });
    }
    const groups = /multicast groups:([\s\S]*)$/.exec(block)?.[1] ?? '';
    for (const m of groups.matchAll(/#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)/g)) fam.groups.push({ id: parseInt(m[1]!, 16), name: m[2]! });
    out.push(fam);
  }
  return out;
}

