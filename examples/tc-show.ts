#!/usr/bin/env node
// Lists traffic control objects like `tc qdisc show` (or `tc class show`, `tc filter show`), through the generated
// tc client: kind, handle, device, parent and the common options of htb, tbf and the fifos; with --json in the
// shape of `tc -j qdisc show` for the fields it prints.
//
//   npm run example:tc -- [--netns NAME] [--dev NAME] [--show qdisc|class|filter] [--json]
import { readFileSync } from 'node:fs';
import { RtLink } from '@nlgen/families/rt-link';
import { Tc, type GetqdiscDumpReply, type GettclassDumpReply, type GettfilterDumpReply } from '@nlgen/families/tc';
import { commonOptions, exitOnClosedStdout, parseCli, toJson } from './cli.js';

const USAGE = `Usage: tc-show [--netns NAME] [--dev NAME] [--show qdisc|class|filter] [--json]

Lists qdiscs (default), classes or filters, one per line: kind, handle, device, parent, options.

  --netns NAME   list the network namespace NAME (from /run/netns)
  --dev NAME     only the device NAME
  --show WHAT    qdisc, class or filter
  --json         print a JSON array instead of text
  -h, --help     show this help
`;

const options = { ...commonOptions, dev: { type: 'string' }, show: { type: 'string', default: 'qdisc' } } as const;

const TC_H_ROOT = 0xffffffff;
const TC_H_INGRESS = 0xfffffff1;
const TC_H_MIN_INGRESS = 0xfff2;
const TC_H_MIN_EGRESS = 0xfff3;

/** tc's text of a handle: `1:` for a qdisc (minor 0), `1:10` otherwise, both halves in hex. */
function handleText(h: number, qdisc: boolean): string {
  const minor = h & 0xffff;
  return `${(h >>> 16).toString(16)}:${qdisc && minor === 0 ? '' : minor.toString(16)}`;
}

/** Scheduler ticks per microsecond, from /proc/net/psched the way tc reads it (tc_core_init). */
function ticksPerUsec(): number {
  const [t2us, us2t, clockRes] = readFileSync('/proc/net/psched', 'utf8').trim().split(/\s+/).map((x) => parseInt(x, 16));
  return (t2us! / us2t!) * (clockRes! / 1e6);
}

/** A burst in bytes from scheduler ticks at a rate in bytes/s, as tc computes it (whole microseconds). */
const burstBytes = (rate: number, ticks: number, perUsec: number) => Math.round((rate * Math.trunc(ticks / perUsec)) / 1e6);

/** One qdisc, in the shape `tc -j qdisc show` prints (for the fields this program knows). */
interface QdiscRow {
  kind: string;
  handle: string;
  dev: string;
  root?: true;
  parent?: string;
  refcnt?: number;
  ingress_block?: number;
  egress_block?: number;
  options?: Record<string, number | string>;
}

/** The options tc prints for htb, tbf and the fifos; undefined when the kernel sent none for them. */
function qdiscOptions(q: GetqdiscDumpReply, perUsec: number): Record<string, number | string> | undefined {
  switch (q.kind) {
    case 'htb': {
      const init = q.options?.init;
      if (init === undefined) return undefined;
      const o: Record<string, number | string> = { r2q: init.rate2quantum, default: `0x${init.defcls.toString(16)}`, direct_packets_stat: init.directPkts };
      if (q.options?.directQlen !== undefined) o.direct_qlen = q.options.directQlen;
      return o;
    }
    case 'tbf': {
      const p = q.options?.parms;
      if (p === undefined) return undefined;
      const rate = q.options?.rate64 !== undefined ? Number(q.options.rate64) : p.rate.rate;
      const o: Record<string, number | string> = { rate, burst: burstBytes(rate, p.buffer, perUsec) };
      const lat = Math.round(1e6 * (p.limit / rate) - Math.trunc(p.buffer / perUsec));
      if (lat >= 0) o.lat = lat;
      return o;
    }
    case 'pfifo':
    case 'bfifo':
    case 'pfifo_head_drop':
      return q.options === undefined ? undefined : { limit: q.options.limit };
    default:
      // Like tc for kinds without options (ingress, clsact, noqueue); other kinds' options are not shown here.
      return {};
  }
}

function qdiscRow(q: GetqdiscDumpReply, dev: string, perUsec: number): QdiscRow {
  const row: QdiscRow = { kind: q.kind ?? '?', handle: handleText(q.handle, true), dev };
  if (q.parent === TC_H_ROOT) row.root = true;
  else row.parent = handleText(q.parent, false);
  // A qdisc's tcmsg info is its reference count; tc shows it when it is not 1.
  if (q.info !== 1) row.refcnt = q.info;
  if (q.ingressBlock !== undefined) row.ingress_block = q.ingressBlock;
  if (q.egressBlock !== undefined) row.egress_block = q.egressBlock;
  const o = qdiscOptions(q, perUsec);
  if (o !== undefined) row.options = o;
  return row;
}

/** One class, with its rates in bits per second when the kind is htb. */
interface ClassRow {
  kind: string;
  handle: string;
  dev: string;
  parent: string;
  rate?: number;
  ceil?: number;
  prio?: number;
}

function classRow(c: GettclassDumpReply, dev: string): ClassRow {
  const row: ClassRow = { kind: c.kind ?? '?', handle: handleText(c.handle, false), dev, parent: c.parent === TC_H_ROOT ? 'root' : handleText(c.parent, true) };
  if (c.kind === 'htb' && c.options?.parms !== undefined) {
    const p = c.options.parms;
    row.rate = 8 * (c.options.rate64 !== undefined ? Number(c.options.rate64) : p.rate.rate);
    row.ceil = 8 * (c.options.ceil64 !== undefined ? Number(c.options.ceil64) : p.ceil.rate);
    row.prio = p.prio;
  }
  return row;
}

/** One filter: its priority, protocol (ethertype) and kind, and where it sends packets. */
interface FilterRow {
  kind: string;
  dev: string;
  parent: string;
  pref: number;
  protocol: number;
  chain?: number;
  handle: string;
  flowid?: string;
  actions?: string[];
}

function filterRow(f: GettfilterDumpReply, dev: string): FilterRow {
  const proto = f.info & 0xffff;
  const row: FilterRow = { kind: f.kind ?? '?', dev, parent: handleText(f.parent, true), pref: f.info >>> 16, protocol: ((proto & 0xff) << 8) | (proto >> 8), handle: `0x${f.handle.toString(16)}` };
  if (f.chain !== undefined) row.chain = f.chain;
  const o = f.options as { classid?: number; act?: { kind?: string }[] } | undefined;
  if (o?.classid !== undefined) row.flowid = handleText(o.classid, false);
  if (o?.act !== undefined) row.actions = o.act.map((a) => a.kind ?? '?');
  return row;
}

function text(row: QdiscRow | ClassRow | FilterRow, what: string): string {
  if (what === 'filter') {
    const f = row as FilterRow;
    const words = [`filter parent ${f.parent} protocol 0x${f.protocol.toString(16).padStart(4, '0')} pref ${f.pref} ${f.kind}`];
    if (f.chain !== undefined) words.push(`chain ${f.chain}`);
    words.push(`handle ${f.handle}`);
    if (f.flowid !== undefined) words.push(`flowid ${f.flowid}`);
    if (f.actions !== undefined) words.push(`action ${f.actions.join(' ')}`);
    return `${words.join(' ')} dev ${f.dev}`;
  }
  if (what === 'class') {
    const c = row as ClassRow;
    const words = [`class ${c.kind} ${c.handle} dev ${c.dev} ${c.parent === 'root' ? 'root' : `parent ${c.parent}`}`];
    if (c.prio !== undefined) words.push(`prio ${c.prio}`);
    if (c.rate !== undefined) words.push(`rate ${c.rate}bit ceil ${c.ceil}bit`);
    return words.join(' ');
  }
  const q = row as QdiscRow;
  const words = [`qdisc ${q.kind} ${q.handle} dev ${q.dev} ${q.root ? 'root' : `parent ${q.parent}`}`];
  if (q.refcnt !== undefined) words.push(`refcnt ${q.refcnt}`);
  if (q.ingress_block !== undefined) words.push(`ingress_block ${q.ingress_block}`);
  if (q.egress_block !== undefined) words.push(`egress_block ${q.egress_block}`);
  for (const [k, v] of Object.entries(q.options ?? {})) words.push(`${k} ${v}`);
  return words.join(' ');
}

async function main(): Promise<void> {
  exitOnClosedStdout();
  const args = parseCli(options, USAGE);
  if (!['qdisc', 'class', 'filter'].includes(args.show)) {
    process.stderr.write(`--show takes qdisc, class or filter, not ${JSON.stringify(args.show)}\n\n${USAGE}`);
    process.exit(2);
  }
  const open = args.netns === undefined ? {} : { netns: args.netns };
  const [link, tc] = await Promise.all([RtLink.open(open), Tc.open(open)]);
  try {
    const names = new Map((await link.getlinkDump().toArray()).map((l) => [l.ifiIndex, l.ifname ?? `if${l.ifiIndex}`]));
    let devs = [...names.keys()];
    if (args.dev !== undefined) {
      devs = devs.filter((i) => names.get(i) === args.dev);
      if (devs.length === 0) throw new Error(`no device ${args.dev}`);
    }
    const perUsec = ticksPerUsec();
    const qdiscs = (await tc.getqdiscDump({}).toArray()).filter((q) => devs.includes(q.ifindex));
    let rows: (QdiscRow | ClassRow | FilterRow)[];
    if (args.show === 'qdisc') rows = qdiscs.map((q) => qdiscRow(q, names.get(q.ifindex)!, perUsec));
    else if (args.show === 'class') {
      rows = [];
      for (const ifindex of devs) for (const c of await tc.gettclassDump({ ifindex }).toArray()) if (c.ifindex === ifindex) rows.push(classRow(c, names.get(ifindex)!));
    } else {
      rows = [];
      for (const q of qdiscs) {
        // Filters hang off a qdisc (by its handle), or off the ingress/egress side of ingress and clsact.
        const parents = q.parent === TC_H_INGRESS ? [(TC_H_INGRESS & 0xffff0000) | TC_H_MIN_INGRESS, ...(q.kind === 'clsact' ? [(TC_H_INGRESS & 0xffff0000) | TC_H_MIN_EGRESS] : [])] : [q.handle];
        if (q.handle === 0) continue;
        for (const parent of parents) {
          for (const f of await tc.gettfilterDump({ ifindex: q.ifindex, parent: parent >>> 0 }).toArray()) {
            // The kernel sends each priority's head (no handle, no options) before its filters; tc prints both, this only the filters.
            if (f.options !== undefined) rows.push(filterRow(f, names.get(q.ifindex)!));
          }
        }
      }
    }
    if (args.json) {
      process.stdout.write(`${toJson(rows)}\n`);
      return;
    }
    for (const r of rows) process.stdout.write(`${text(r, args.show)}\n`);
  } finally {
    link.close();
    tc.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`tc-show: ${err.message}\n`);
  process.exitCode = 1;
});
