// rt-rule through the generated client against the live kernel, in a throwaway namespace: IPv4 and IPv6 policy
// routing rules (source and destination prefixes, fwmark/mask, interfaces, uid and port ranges, IP protocol,
// inversion, goto, suppress_prefixlength, tables above 255, blackhole/unreachable actions) are added, dumped and
// compared with `ip -j rule show` field by field, and deleted, each change announced by a typed notification.
// Rules only steer lookups; nothing is sent.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NetlinkError } from '@nlgen/runtime';
import { RtRule, type GetruleDumpReply, type NewruleRequest, type RtRuleNotification } from '../../generated/rt-rule.js';
import { createNetns, liveSkipReason, type TestNetns } from '../support/netns.js';
import { logNotifications, type NotificationLog } from './notifications.js';
import { defines, enumValues } from './uapi.js';

const skip = liveSkipReason();

const AF_INET = 2;
const AF_INET6 = 10;
const FIB_RULE = defines('fib_rules.h', 'FIB_RULE_');
const RT_TABLE = enumValues('rtnetlink.h', 'RT_TABLE_');
const RTPROT = defines('rtnetlink.h', 'RTPROT_');

/** IP protocol numbers → names, as iproute2 prints them (it asks getprotobynumber, i.e. /etc/protocols). */
function protocolNames(): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const line of readFileSync('/etc/protocols', 'utf8').split('\n')) {
      const m = /^([\w-]+)\s+(\d+)/.exec(line);
      if (m) out.set(Number(m[2]), m[1]!);
    }
  } catch {
    // Without /etc/protocols ip prints numbers, and so does the conversion below.
  }
  return out;
}
const PROTO_NAMES = protocolNames();

/** What `ip -j rule show` prints for a rule, computed from our decoded dump (print_rule in iproute2's iprule.c). */
function asIp(r: GetruleDumpReply): Record<string, unknown> {
  const hostLen = r.family === AF_INET ? 32 : 128;
  const out: Record<string, unknown> = { priority: r.priority ?? 0 };
  if (r.flags & FIB_RULE.get('INVERT')!) out.not = null;
  if (r.src !== undefined) {
    out.src = r.src;
    if (r.srcLen !== hostLen) out.srclen = r.srcLen;
  } else {
    out.src = 'all';
  }
  if (r.dst !== undefined) {
    out.dst = r.dst;
    if (r.dstLen !== hostLen) out.dstlen = r.dstLen;
  }
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    out.fwmark = `0x${(r.fwmark ?? 0).toString(16)}`;
    if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) out.fwmask = `0x${r.fwmask.toString(16)}`;
  }
  if (r.iifname !== undefined) out.iif = r.iifname;
  if (r.oifname !== undefined) out.oif = r.oifname;
  if (r.uidRange !== undefined) {
    out.uid_start = r.uidRange.start;
    out.uid_end = r.uidRange.end;
  }
  if (r.ipProto !== undefined) out.ipproto = PROTO_NAMES.get(r.ipProto) ?? `ipproto-${r.ipProto}`;
  for (const [name, range] of [['sport', r.sportRange], ['dport', r.dportRange]] as const) {
    if (range === undefined) continue;
    if (range.start === range.end) out[name] = range.start;
    else Object.assign(out, { [`${name}_start`]: range.start, [`${name}_end`]: range.end });
  }
  const table = r.table;
  if (r.action === 'to-tbl' && table !== undefined && table !== 0) {
    const names = new Map([[RT_TABLE.get('LOCAL'), 'local'], [RT_TABLE.get('MAIN'), 'main'], [RT_TABLE.get('DEFAULT'), 'default']]);
    out.table = names.get(table) ?? String(table);
  }
  if (r.suppressPrefixlen !== undefined && r.suppressPrefixlen !== 0xffffffff) out.suppress_prefixlen = r.suppressPrefixlen;
  if (r.suppressIfgroup !== undefined && r.suppressIfgroup !== 0xffffffff) out.suppress_ifgroup = r.suppressIfgroup;
  if (r.action === 'goto') {
    out.goto = r.goto;
    if (r.flags & FIB_RULE.get('UNRESOLVED')!) out.unresolved = null;
  } else if (r.action === 'nop') out.action = 'nop';
  else if (r.action !== 'to-tbl') out.action = String(r.action);
  if (r.protocol !== undefined && r.protocol !== 0 && r.protocol !== RTPROT.get('KERNEL')) {
    out.protocol = [...RTPROT].find(([, v]) => v === r.protocol)?.[0].toLowerCase() ?? String(r.protocol);
  }
  return out;
}

const base = { dstLen: 0, srcLen: 0, tos: 0, fibRuleHdrTable: 0, flags: 0 };
const v4 = (r: Omit<NewruleRequest, 'family'>): NewruleRequest => ({ family: AF_INET, action: 'to-tbl', ...base, ...r });
const v6 = (r: Omit<NewruleRequest, 'family'>): NewruleRequest => ({ family: AF_INET6, action: 'to-tbl', ...base, ...r });

/** The rules this test adds, each with a unique priority. */
const RULES: NewruleRequest[] = [
  v4({ priority: 1000, src: '192.0.2.0', srcLen: 24, table: 100 }),
  v4({ priority: 1001, dst: '198.51.100.0', dstLen: 24, fwmark: 0x10, fwmask: 0xff, table: 101 }),
  v4({ priority: 1002, iifname: 'lo', action: 'blackhole' }),
  v4({ priority: 1003, src: '203.0.113.0', srcLen: 24, ipProto: 6, sportRange: { start: 1000, end: 1000 }, dportRange: { start: 80, end: 90 }, table: 102 }),
  v4({ priority: 1004, flags: FIB_RULE.get('INVERT')!, src: '192.0.2.1', srcLen: 32, uidRange: { start: 100, end: 200 }, table: 103, protocol: RTPROT.get('STATIC')! }),
  v4({ priority: 1007, action: 'goto', goto: 1010 }),
  v4({ priority: 1008, table: 105, suppressPrefixlen: 0 }),
  v4({ priority: 1009, oifname: 'lo', table: 200 }),
  v6({ priority: 1005, src: '2001:db8::', srcLen: 32, table: 104 }),
  v6({ priority: 1006, dst: '2001:db8:1::', dstLen: 48, action: 'unreachable' }),
  v6({ priority: 1010, fwmark: 7, table: 7 }),
  // A table above 255 only fits the u32 table attribute; the header's u8 field (`fibRuleHdrTable`) stays 0.
  v6({ priority: 1011, fwmark: 9, table: 70000 }),
];

describe.skipIf(skip !== undefined)('rt-rule through the generated client, live', () => {
  let ns: TestNetns;
  let rule: RtRule;
  let watcher: RtRule;
  let log: NotificationLog<RtRuleNotification>;

  beforeAll(async () => {
    ns = createNetns('nlgen-rtrule');
    rule = await RtRule.open({ netns: ns.name });
    watcher = await RtRule.open({ netns: ns.name });
    log = logNotifications((signal) => watcher.subscribe(['rtnlgrp-ipv4-rule', 'rtnlgrp-ipv6-rule'], { signal }));
  });
  afterAll(async () => {
    await log?.close();
    watcher?.close();
    rule?.close();
    ns?.dispose();
  });

  test('adds IPv4 and IPv6 rules; each is announced by a typed newrule notification', async () => {
    for (const r of RULES) await rule.newrule(r, { create: true, excl: true });
    for (const r of RULES) {
      const n = await log.waitFor((x) => x.name === 'newrule-ntf' && x.msg.priority === r.priority);
      expect(n.msg.family).toBe(r.family);
      expect(n.msg.action).toBe(r.action);
      expect(n.msg.src).toBe(r.src);
      expect(n.msg.dst).toBe(r.dst);
    }
  });

  test('adding the same rule again with excl fails with EEXIST', async () => {
    const err = await rule.newrule(RULES[0]!, { create: true, excl: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('EEXIST');
  });

  test('IPv4 and IPv6 dumps agree with `ip -j rule show` field by field', async () => {
    for (const [family, flag] of [[AF_INET, '-4'], [AF_INET6, '-6']] as const) {
      const ours = await rule.getruleDump({ family }).toArray();
      const ip = ns.ipJson<Record<string, unknown>[]>(flag, 'rule', 'show');
      expect(ours.every((r) => r.family === family)).toBe(true);
      const mine = ours.map(asIp);
      expect(mine).toEqual(ip);
      const added = RULES.filter((r) => r.family === family);
      expect(ours.filter((r) => added.some((a) => a.priority === r.priority))).toHaveLength(added.length);
    }
    // Values that only the decoded form shows exactly: a table above 255 travels in the table attribute.
    const all = await rule.getruleDump().toArray();
    const big = all.find((r) => r.priority === 1011 && r.family === AF_INET6)!;
    expect(big).toMatchObject({ table: 70000, fwmark: 9, action: 'to-tbl' });
    const ports = all.find((r) => r.priority === 1003)!;
    expect(ports).toMatchObject({ ipProto: 6, sportRange: { start: 1000, end: 1000 }, dportRange: { start: 80, end: 90 } });
  });

  test('deletes every rule; each removal is announced by a typed delrule notification', async () => {
    const mark = log.seen.length;
    for (const r of RULES) await rule.delrule(r);
    for (const r of RULES) {
      const n = await log.waitFor((x) => x.name === 'delrule-ntf' && x.msg.priority === r.priority, mark);
      expect(n.msg.family).toBe(r.family);
    }
    const left = [...ns.ipJson<{ priority: number }[]>('-4', 'rule', 'show'), ...ns.ipJson<{ priority: number }[]>('-6', 'rule', 'show')];
    expect(left.map((r) => r.priority).filter((p) => RULES.some((r) => r.priority === p))).toEqual([]);
    const again = await rule.delrule(RULES[0]!).catch((e: unknown) => e);
    expect((again as NetlinkError).code).toBe('ENOENT');
  });
});
