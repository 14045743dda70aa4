#!/usr/bin/env node
// Lists the nf_tables ruleset like `nft list ruleset`, through the generated nftables client: tables with their
// named counters and quotas, sets and maps with their elements, chains with hook, priority and policy, and rules.
// Rules are shown in nft's syntax for the common matches (payload and meta fields, ct state, lookups, verdicts,
// counters, limits, logs, rejects); anything else is shown as its raw expression in brackets. The text of a ruleset
// made of those common parts is valid `nft -f` input that recreates it (test/examples/nft-list.live.test.ts).
//
//   npm run example:nft -- [--netns NAME] [--json]
import {
  Nftables,
  type ExprAttrs,
  type GetchainDumpReply,
  type GetobjDumpReply,
  type GetruleDumpReply,
  type GetsetDumpReply,
  type GettableDumpReply,
  type SetelemAttrs,
} from '@nlgen/families/nftables';
import { commonOptions, exitOnClosedStdout, parseCli, toJson } from './cli.js';

const USAGE = `Usage: nft-list [--netns NAME] [--json]

Lists the nf_tables ruleset (every family) like \`nft list ruleset\`.

  --netns NAME  list the ruleset of the network namespace NAME (from /run/netns)
  --json        print one JSON object per table (decoded messages; bytes as hex, 64-bit numbers exact)
  -h, --help    show this help
`;

const FAMILIES: Record<number, string> = { 1: 'inet', 2: 'ip', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ip6' };
const HOOKS: Record<string, string[]> = {
  netdev: ['ingress', 'egress'],
  default: ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress'],
};
/** nft's data types by the number the kernel keeps for a set's key (nftables' datatype.h). */
const KEY_TYPES: Record<number, { name: string; show: (b: Uint8Array) => string }> = {
  7: { name: 'ipv4_addr', show: (b) => [...b].join('.') },
  8: { name: 'ipv6_addr', show: ipv6 },
  9: { name: 'ether_addr', show: (b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') },
  12: { name: 'inet_proto', show: (b) => String(b[0]) },
  13: { name: 'inet_service', show: (b) => String((b[0]! << 8) | b[1]!) },
  19: { name: 'mark', show: (b) => `0x${hostU32(b).toString(16).padStart(8, '0')}` },
};
const NFT_DATA_VERDICT = 0xffffff00;
const CT_STATES: [number, string][] = [[1, 'invalid'], [2, 'established'], [4, 'related'], [8, 'new'], [64, 'untracked']];
const L4: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp' };
const UNITS: Record<string, string> = { '1': 'second', '60': 'minute', '3600': 'hour', '86400': 'day', '604800': 'week' };

function hostU32(b: Uint8Array): number {
  const p = new Uint8Array(4);
  p.set(b.subarray(0, 4));
  return new DataView(p.buffer).getUint32(0, true);
}
function ipv6(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
  // The longest run of zero groups (two or more) becomes `::`.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1]! && j - i > 1) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best[0]! < 0) return groups.join(':');
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0]! + best[1]!).join(':')}`;
}
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const quote = (s: string) => JSON.stringify(s);

/** An expression this example does not render in nft's syntax, as its kind and decoded data. */
const raw = (e: ExprAttrs) => `[${e.name} ${toJson(e.data ?? {})}]`;

/** What a register holds while a rule's expressions are read in order. */
type Loaded = { text: string; show: (b: Uint8Array) => string; l4?: boolean; ctState?: boolean; mask?: Uint8Array };

/** A payload load as nft names it (IPv4/IPv6 addresses and protocol, transport ports), else raw `@nh,offset,bits`. */
function payloadField(base: string | number | undefined, offset: number, len: number, proto: { l3?: string; l4?: string }): Loaded {
  const bits = (o: number, l: number, b: string) => ({ text: `@${b},${o * 8},${l * 8}`, show: (x: Uint8Array) => `0x${hex(x)}` });
  if (base === 'network-header' && proto.l3 === 'ip') {
    if (offset === 9 && len === 1) return { text: 'ip protocol', show: (x) => L4[x[0]!] ?? String(x[0]), l4: true };
    if ((offset === 12 || offset === 16) && len <= 4) return { text: `ip ${offset === 12 ? 'saddr' : 'daddr'}`, show: (x) => [...x, 0, 0, 0].slice(0, 4).join('.') + (len < 4 ? `/${len * 8}` : '') };
  }
  if (base === 'network-header' && proto.l3 === 'ip6' && (offset === 8 || offset === 24) && len <= 16) {
    return { text: `ip6 ${offset === 8 ? 'saddr' : 'daddr'}`, show: (x) => { const full = new Uint8Array(16); full.set(x); return ipv6(full) + (len < 16 ? `/${len * 8}` : ''); } };
  }
  if (base === 'transport-header' && (offset === 0 || offset === 2) && len === 2) {
    return { text: `${proto.l4 ?? 'th'} ${offset === 0 ? 'sport' : 'dport'}`, show: (x) => String((x[0]! << 8) | x[1]!) };
  }
  return bits(offset, len, base === 'network-header' ? 'nh' : base === 'transport-header' ? 'th' : base === 'll-header' ? 'll' : 'ih');
}

function verdictText(v: { code?: string | number; chain?: string } | undefined): string {
  if (v?.code === 'jump' || v?.code === 'goto') return `${v.code} ${v.chain}`;
  return String(v?.code);
}

/** One rule in nft's syntax. */
function ruleText(family: string, exprs: readonly ExprAttrs[], sets: ReadonlyMap<string, GetsetDumpReply>): string {
  const out: string[] = [];
  const regs = new Map<string, Loaded>();
  // An ip or ip6 table knows its network protocol; inet and bridge rules say it with `meta nfproto`.
  const proto: { l3?: string; l4?: string } = family === 'ip' || family === 'ip6' ? { l3: family } : {};
  for (const e of exprs) {
    switch (e.name) {
      case 'meta': {
        const { key, dreg } = e.data ?? {};
        if (dreg === undefined) break;
        const show =
          key === 'nfproto' ? (x: Uint8Array) => ({ 2: 'ipv4', 10: 'ipv6' })[x[0]!] ?? String(x[0])
          : key === 'l4-proto' ? (x: Uint8Array) => L4[x[0]!] ?? String(x[0])
          : key === 'mark' ? (x: Uint8Array) => `0x${hostU32(x).toString(16).padStart(8, '0')}`
          : key === 'iifname' || key === 'oifname' ? (x: Uint8Array) => quote(Buffer.from(x).toString('latin1').replace(/\0+$/, ''))
          : (x: Uint8Array) => String(hostU32(x));
        regs.set(String(dreg), { text: `meta ${key === 'l4-proto' ? 'l4proto' : key}`, show, l4: key === 'l4-proto' });
        break;
      }
      case 'payload': {
        const d = e.data ?? {};
        if (d.dreg !== undefined) regs.set(String(d.dreg), payloadField(d.base, d.offset ?? 0, d.len ?? 0, proto));
        else out.push(raw(e));
        break;
      }
      case 'ct': {
        const { key, dreg } = e.data ?? {};
        if (dreg !== undefined) regs.set(String(dreg), { text: `ct ${key}`, show: (x) => String(hostU32(x)), ctState: key === 'state' });
        break;
      }
      case 'bitwise': {
        const { sreg, dreg, mask } = e.data ?? {};
        const src = regs.get(String(sreg));
        if (src && dreg !== undefined && mask?.value) regs.set(String(dreg), { ...src, mask: mask.value });
        break;
      }
      case 'cmp': {
        const { sreg, op, data } = e.data ?? {};
        const src = regs.get(String(sreg));
        const value = data?.value ?? new Uint8Array();
        if (!src) {
          out.push(`[cmp ${op} 0x${hex(value)}]`);
          break;
        }
        if (src.ctState && src.mask && op === 'neq' && hostU32(value) === 0) {
          const bits = hostU32(src.mask);
          out.push(`${src.text} ${CT_STATES.filter(([b]) => bits & b).map(([, n]) => n).join(',')}`);
          break;
        }
        const shown = src.show(value);
        if (src.text === 'meta nfproto') proto.l3 = shown === 'ipv4' ? 'ip' : shown === 'ipv6' ? 'ip6' : undefined;
        if (src.l4) proto.l4 = L4[value[0]!];
        const sign = { eq: '', neq: '!= ', lt: '< ', lte: '<= ', gt: '> ', gte: '>= ' }[String(op)] ?? `${op} `;
        out.push(`${src.text} ${sign}${shown}`);
        break;
      }
      case 'lookup': {
        const { set, sreg, dreg, flags } = e.data ?? {};
        const src = regs.get(String(sreg));
        const inv = flags?.includes('invert') ? '!= ' : '';
        if (dreg === 'verdict' && sets.get(String(set))?.dataType === NFT_DATA_VERDICT) out.push(`${src?.text ?? '?'} vmap @${set}`);
        else out.push(`${src?.text ?? '?'} ${inv}@${set}`);
        break;
      }
      case 'immediate': {
        const { dreg, data } = e.data ?? {};
        if (dreg === 'verdict') out.push(verdictText(data?.verdict));
        else regs.set(String(dreg), { text: `0x${hex(data?.value ?? new Uint8Array())}`, show: (x) => `0x${hex(x)}` });
        break;
      }
      case 'counter':
        out.push(`counter packets ${e.data?.packets ?? 0n} bytes ${e.data?.bytes ?? 0n}`);
        break;
      case 'objref':
        out.push(`${e.data?.immType} name ${quote(String(e.data?.immName))}`);
        break;
      case 'limit': {
        const d = e.data ?? {};
        const per = UNITS[String(d.unit)] ?? `${d.unit}s`;
        const over = d.flags?.includes('invert') ? 'over ' : '';
        out.push(d.type === 'pkt-bytes' ? `limit rate ${over}${d.rate} bytes/${per} burst ${d.burst} bytes` : `limit rate ${over}${d.rate}/${per} burst ${d.burst} packets`);
        break;
      }
      case 'log': {
        const d = e.data ?? {};
        const parts = ['log'];
        if (d.prefix !== undefined) parts.push(`prefix ${quote(d.prefix)}`);
        if (d.group !== undefined) parts.push(`group ${d.group}`);
        // nft's level words are the enum's names, but for warning (nft's `warn`, its default, left out).
        if (d.level !== undefined && d.level !== 'warning') parts.push(`level ${d.level}`);
        out.push(parts.join(' '));
        break;
      }
      case 'notrack':
        out.push('notrack');
        break;
      case 'reject': {
        const d = e.data ?? {};
        out.push(d.type === 'tcp-rst' ? 'reject with tcp reset' : 'reject');
        break;
      }
      default:
        out.push(raw(e));
    }
  }
  return out.join(' ');
}

function elementText(e: SetelemAttrs, set: GetsetDumpReply): string {
  const show = KEY_TYPES[set.keyType ?? -1]?.show ?? ((b: Uint8Array) => `0x${hex(b)}`);
  const key = show(e.key?.value ?? new Uint8Array());
  if (e.data?.verdict) return `${key} : ${verdictText(e.data.verdict)}`;
  if (e.data?.value) return `${key} : 0x${hex(e.data.value)}`;
  return key;
}

/** What one table holds, read with the client's dumps. */
interface TableView {
  family: string;
  table: GettableDumpReply;
  objects: GetobjDumpReply[];
  sets: { set: GetsetDumpReply; elements: SetelemAttrs[] }[];
  chains: { chain: GetchainDumpReply; rules: GetruleDumpReply[] }[];
}

async function readRuleset(nft: Nftables): Promise<TableView[]> {
  const views: TableView[] = [];
  for (const table of await nft.gettableDump({ nfgenFamily: 0 }).toArray()) {
    const f = { nfgenFamily: table.nfgenFamily, table: table.name! };
    const objects = await nft.getobjDump(f).toArray();
    const sets = [];
    for (const set of await nft.getsetDump(f).toArray()) {
      if (set.flags?.includes('anonymous')) continue;
      const batches = await nft.getsetelemDump({ ...f, set: set.name! }).toArray();
      sets.push({ set, elements: batches.flatMap((b) => b.elements?.elem ?? []) });
    }
    const rules = await nft.getruleDump(f).toArray();
    const chains = (await nft.getchainDump({ nfgenFamily: table.nfgenFamily }).toArray())
      .filter((c) => c.table === table.name)
      .map((chain) => ({ chain, rules: rules.filter((r) => r.chain === chain.name) }));
    views.push({ family: FAMILIES[table.nfgenFamily] ?? String(table.nfgenFamily), table, objects, sets, chains });
  }
  return views;
}

function tableText(v: TableView): string {
  const lines = [`table ${v.family} ${v.table.name} {`];
  const setsByName = new Map(v.sets.map((s) => [s.set.name!, s.set]));
  for (const o of v.objects) {
    const d = (o.data ?? {}) as Record<string, unknown>;
    if (o.type === 'counter') lines.push(`\tcounter ${o.name} {`, `\t\tpackets ${d.packets ?? 0} bytes ${d.bytes ?? 0}`, '\t}');
    else if (o.type === 'quota') lines.push(`\tquota ${o.name} {`, `\t\t${(d.flags as string[] | undefined)?.includes('invert') ? 'over' : 'until'} ${d.bytes} bytes used ${d.consumed ?? 0} bytes`, '\t}');
    else lines.push(`\t# ${o.type} ${o.name} (not shown by this example)`);
  }
  for (const { set, elements } of v.sets) {
    const isMap = set.flags?.includes('map');
    const keyType = KEY_TYPES[set.keyType ?? -1]?.name ?? `0x${(set.keyType ?? 0).toString(16)}`;
    const dataType = set.dataType === NFT_DATA_VERDICT ? 'verdict' : KEY_TYPES[set.dataType ?? -1]?.name;
    lines.push(`\t${isMap ? 'map' : 'set'} ${set.name} {`, `\t\ttype ${keyType}${isMap ? ` : ${dataType}` : ''}`);
    const flags = (set.flags ?? []).filter((f) => f === 'interval' || f === 'timeout' || f === 'constant');
    if (flags.length > 0) lines.push(`\t\tflags ${flags.join(',')}`);
    if (elements.length > 0) lines.push(`\t\telements = { ${elements.map((e) => elementText(e, set)).join(', ')} }`);
    lines.push('\t}');
  }
  for (const { chain, rules } of v.chains) {
    lines.push(`\tchain ${chain.name} {`);
    if (chain.hook) {
      const hooks = HOOKS[v.family] ?? HOOKS.default!;
      const dev = chain.hook.dev ?? chain.hook.devs?.name?.[0];
      lines.push(`\t\ttype ${chain.type} hook ${hooks[chain.hook.num ?? -1] ?? chain.hook.num}${dev ? ` device ${quote(dev)}` : ''} priority ${chain.hook.priority}; policy ${chain.policy};`);
    }
    for (const r of rules) lines.push(`\t\t${ruleText(v.family, r.expressions?.elem ?? [], setsByName)} # handle ${r.handle}`);
    lines.push('\t}');
  }
  lines.push('}');
  return lines.join('\n');
}

async function main(): Promise<void> {
  exitOnClosedStdout();
  const args = parseCli(commonOptions, USAGE);
  const nft = await Nftables.open(args.netns === undefined ? {} : { netns: args.netns });
  try {
    const views = await readRuleset(nft);
    if (args.json) {
      for (const v of views) process.stdout.write(`${toJson(v)}\n`);
      return;
    }
    process.stdout.write(views.map((v) => `${tableText(v)}\n`).join(''));
  } finally {
    nft.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`nft-list: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
