#!/usr/bin/env node
// Watches link, address and route changes like `ip monitor link address route`, through the typed notifications
// of the generated rt-link, rt-addr and rt-route clients. Runs until Ctrl-C, or until --count events were shown.
//
//   npm run example:monitor -- [--netns NAME] [--json] [--count N]
import { DecodeError, type generatedSupport } from '@nlgen/runtime';
import { RtAddr, type RtAddrNotification } from '@nlgen/families/rt-addr';
import { RtLink, type RtLinkNotification } from '@nlgen/families/rt-link';
import { RtRoute, type RtRouteNotification } from '@nlgen/families/rt-route';
import { commonOptions, exitOnClosedStdout, ipFlagWords, operstateName, parseCli, toJson } from './cli.js';

const USAGE = `Usage: monitor [--netns NAME] [--json] [--count N]

Prints one line per link, address or route change as the kernel announces it.

  --netns NAME  watch the network namespace NAME (from /run/netns)
  --json        print one JSON object per line (JSON lines) instead of text
  --count N     exit after N changes (default: run until interrupted)
  -h, --help    show this help
`;

const AF_INET = 2; // linux/socket.h
const AF_INET6 = 10;
// RT_SCOPE_* (linux/rtnetlink.h) and RTPROT_* values `ip` names; others print as numbers.
const SCOPES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };
const PROTOCOLS: Record<number, string> = { 0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static' };
const TABLES: Record<number, string> = { 253: 'default', 254: 'main', 255: 'local' };

/** One change, in the shape printed by --json. */
type MonitorEvent =
  | { kind: 'link'; event: 'new' | 'del'; ifindex: number; ifname?: string; operstate: string; flags: string[]; mtu?: number; address?: string; linkKind?: string; master?: number }
  | { kind: 'addr'; event: 'new' | 'del'; ifindex: number; ifname?: string; family: 'inet' | 'inet6' | number; address?: string; prefixlen: number; scope: string; label?: string }
  | { kind: 'route'; event: 'new' | 'del'; family: 'inet' | 'inet6' | number; dst: string; type: string; table: string; protocol: string; scope: string; oif?: number; dev?: string; gateway?: string; prefsrc?: string; priority?: number };

type OverrunNotice = generatedSupport.OverrunNotice;

const familyName = (f: number) => (f === AF_INET ? 'inet' : f === AF_INET6 ? 'inet6' : f);

/** Interface names by index, kept current from link notifications (addresses and routes carry only the index). */
const names = new Map<number, string>();

function linkEvent(n: RtLinkNotification): MonitorEvent {
  const l = n.msg;
  const event = n.name === 'dellink-ntf' ? 'del' : 'new';
  if (l.ifname !== undefined) {
    if (event === 'del') names.delete(l.ifiIndex);
    else names.set(l.ifiIndex, l.ifname);
  }
  const e: MonitorEvent = { kind: 'link', event, ifindex: l.ifiIndex, operstate: operstateName(l.operstate), flags: ipFlagWords(l.ifiFlags) };
  if (l.ifname !== undefined) e.ifname = l.ifname;
  if (l.mtu !== undefined) e.mtu = l.mtu;
  if (l.address !== undefined) e.address = l.address;
  if (l.linkinfo?.kind !== undefined) e.linkKind = l.linkinfo.kind;
  if (l.master !== undefined) e.master = l.master;
  return e;
}

function addrEvent(n: RtAddrNotification): MonitorEvent {
  const a = n.msg;
  // For IPv4 IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer on point-to-point links).
  const address = a.local ?? a.address;
  const e: MonitorEvent = {
    kind: 'addr',
    event: n.name === 'deladdr-ntf' ? 'del' : 'new',
    ifindex: a.ifaIndex,
    family: familyName(a.ifaFamily),
    prefixlen: a.ifaPrefixlen,
    scope: SCOPES[a.ifaScope] ?? String(a.ifaScope),
  };
  const ifname = names.get(a.ifaIndex);
  if (ifname !== undefined) e.ifname = ifname;
  if (address !== undefined) e.address = address;
  if (a.label !== undefined) e.label = a.label;
  return e;
}

function routeEvent(n: RtRouteNotification): MonitorEvent {
  const r = n.msg;
  const table = r.table ?? r.rtmTable;
  const e: MonitorEvent = {
    kind: 'route',
    event: n.name === 'delroute-ntf' ? 'del' : 'new',
    family: familyName(r.rtmFamily),
    dst: r.dst === undefined ? 'default' : `${r.dst}/${r.rtmDstLen}`,
    type: typeof r.rtmType === 'string' ? r.rtmType : String(r.rtmType),
    table: TABLES[table] ?? String(table),
    protocol: PROTOCOLS[r.rtmProtocol] ?? String(r.rtmProtocol),
    scope: SCOPES[r.rtmScope] ?? String(r.rtmScope),
  };
  if (r.oif !== undefined) {
    e.oif = r.oif;
    const dev = names.get(r.oif);
    if (dev !== undefined) e.dev = dev;
  }
  if (r.gateway !== undefined) e.gateway = r.gateway;
  if (r.prefsrc !== undefined) e.prefsrc = r.prefsrc;
  if (r.priority !== undefined) e.priority = r.priority;
  return e;
}

/** Maps a client's typed notifications to events, passing overrun notices through. */
async function* mapEach<N extends { name: string }>(src: AsyncIterable<N | OverrunNotice>, map: (n: N) => MonitorEvent): AsyncGenerator<MonitorEvent | { name: 'overrun' }> {
  for await (const n of src) yield n.name === 'overrun' ? { name: 'overrun' } : map(n as N);
}

/** One human-readable line, close to what `ip monitor` prints. */
function formatEvent(e: MonitorEvent): string {
  const del = e.event === 'del' ? 'Deleted ' : '';
  switch (e.kind) {
    case 'link': {
      const parts = [`${e.ifindex}: ${e.ifname ?? `if${e.ifindex}`}: <${e.flags.join(',')}>`];
      if (e.mtu !== undefined) parts.push(`mtu ${e.mtu}`);
      parts.push(`state ${e.operstate}`);
      if (e.linkKind !== undefined) parts.push(e.linkKind);
      if (e.address !== undefined) parts.push(`link/ether ${e.address}`);
      return `[LINK]  ${del}${parts.join(' ')}`;
    }
    case 'addr':
      return `[ADDR]  ${del}${e.ifindex}: ${e.ifname ?? `if${e.ifindex}`}    ${e.family} ${e.address ?? '?'}/${e.prefixlen} scope ${e.scope}${e.label !== undefined && e.label !== e.ifname ? ` ${e.label}` : ''}`;
    case 'route': {
      const parts = [e.type === 'unicast' ? e.dst : `${e.type} ${e.dst}`];
      if (e.gateway !== undefined) parts.push(`via ${e.gateway}`);
      if (e.oif !== undefined) parts.push(`dev ${e.dev ?? `if${e.oif}`}`);
      if (e.table !== 'main') parts.push(`table ${e.table}`);
      parts.push(`proto ${e.protocol}`, `scope ${e.scope}`);
      if (e.prefsrc !== undefined) parts.push(`src ${e.prefsrc}`);
      if (e.priority !== undefined) parts.push(`metric ${e.priority}`);
      return `[ROUTE] ${del}${parts.join(' ')}`;
    }
  }
}

async function main(): Promise<void> {
  exitOnClosedStdout();
  const args = parseCli({ ...commonOptions, count: { type: 'string' } } as const, USAGE);
  const count = args.count === undefined ? Infinity : Number(args.count);
  if (args.count !== undefined && (!Number.isInteger(count) || count < 1)) {
    process.stderr.write(`monitor: --count wants a positive integer, not ${JSON.stringify(args.count)}\n\n${USAGE}`);
    process.exit(2);
  }
  const opts = args.netns === undefined ? {} : { netns: args.netns };
  // Large receive buffers: a burst of route changes must not overrun before we read it.
  const clientOpts = { ...opts, rcvBuf: 4 << 20 };
  const [link, addr, route] = await Promise.all([RtLink.open(clientOpts), RtAddr.open(clientOpts), RtRoute.open(clientOpts)]);
  const clients = [link, addr, route];
  let stopping = false;
  let shown = 0;
  const stop = () => {
    stopping = true;
    for (const c of clients) c.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // Subscribe first (joining happens here), then learn the current names, so no change falls in between.
  // Each stream is a function so it can subscribe again after a notification it could not decode.
  const streams: (() => AsyncIterable<MonitorEvent | { name: 'overrun' }>)[] = [
    () => mapEach(link.subscribe(['rtnlgrp-link']), linkEvent),
    () => mapEach(addr.subscribe(['rtnlgrp-ipv4-ifaddr', 'rtnlgrp-ipv6-ifaddr']), addrEvent),
    () => mapEach(route.subscribe(['rtnlgrp-ipv4-route', 'rtnlgrp-ipv6-route']), routeEvent),
  ];
  const first = streams.map((s) => s());
  const names0 = await RtLink.open(opts);
  try {
    for (const l of await names0.getlinkDump().toArray()) if (l.ifname !== undefined) names.set(l.ifiIndex, l.ifname);
  } finally {
    names0.close();
  }
  process.stderr.write(`monitor: watching links, addresses and routes${args.netns === undefined ? '' : ` in ${args.netns}`} (Ctrl-C to stop)\n`);

  const emit = (e: MonitorEvent) => {
    if (stopping) return;
    process.stdout.write(`${args.json ? toJson(e) : formatEvent(e)}\n`);
    if (++shown >= count) stop();
  };
  await Promise.all(
    streams.map(async (open, i) => {
      let src = first[i]!;
      while (!stopping) {
        try {
          for await (const n of src) {
            if (stopping) break;
            if ('name' in n) process.stderr.write('monitor: the kernel dropped notifications (receive buffer overrun); some changes were missed\n');
            else emit(n);
          }
          return;
        } catch (err) {
          if (stopping) return;
          if (!(err instanceof DecodeError)) throw err;
          // A notification this spec cannot decode ends that subscription; say so and keep watching.
          process.stderr.write(`monitor: skipped a notification that could not be decoded (${err.message})\n`);
          src = open();
        }
      }
    }),
  );
  stop();
}

main().catch((err: Error) => {
  process.stderr.write(`monitor: ${err.message}\n`);
  process.exitCode = 1;
});
