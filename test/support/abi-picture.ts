// The ABI picture of a resolved family (everything that reaches the wire, nothing that is prose), the difference of
// two pictures, and the known differences between our specs and the corpus (errata: the corpus is wrong about the
// kernel; beyond: what our specs describe that the corpus lacks). Shared by the parity test and the overlay test.
import type { Attr, Definition, Family, OpMessage, OpMode } from '../../generator/index.js';

/** A plain, order-independent picture of a family's ABI: nested records keyed by name. */
export type Abi = { [key: string]: AbiValue };
export type AbiValue = string | number | boolean | bigint | undefined | string[] | Abi;

function attrAbi(a: Attr): Abi {
  // The model already folds `array-nest` into indexed-array + nest; fold again in case a caller didn't.
  let type: string = a.type;
  let subType: string | undefined = a.subType;
  if (type === 'array-nest') {
    type = 'indexed-array';
    subType = 'nest';
  }
  return {
    value: a.value,
    type,
    'sub-type': subType,
    'nested-attributes': a.nestedAttributes,
    struct: a.struct,
    enum: a.enum,
    'enum-as-flags': a.enumAsFlags || undefined,
    'multi-attr': a.multiAttr,
    'byte-order': a.byteOrder,
    'display-hint': a.displayHint,
    'sub-message': a.subMessage,
    selector: a.selector,
    'type-value': a.typeValue,
    checks: Object.keys(a.checks).length > 0 ? plain(a.checks) : undefined,
  };
}

function definitionAbi(d: Definition): Abi {
  switch (d.kind) {
    case 'const':
      return { kind: 'const', value: d.value };
    case 'enum':
    case 'flags':
      return {
        kind: d.kind,
        'name-prefix': d.namePrefix,
        'enum-name': d.enumName,
        entries: Object.fromEntries(d.entries.map((e) => [e.name, e.value])),
      };
    case 'struct':
      return {
        kind: 'struct',
        size: d.size,
        members: Object.fromEntries(
          d.members.map((m, i) => [
            // Pads may share a name; key by position so each is still compared.
            m.type === 'pad' ? `#${i} ${m.name}` : m.name,
            {
              offset: m.offset,
              size: m.size,
              type: m.type,
              'byte-order': m.byteOrder,
              enum: m.enum,
              'enum-as-flags': m.enumAsFlags || undefined,
              struct: m.struct,
              'display-hint': m.displayHint,
            },
          ]),
        ),
      };
  }
}

function messageAbi(m: OpMessage | undefined): Abi | undefined {
  return m && { value: m.value, attributes: [...m.attributes].sort() };
}

function modeAbi(m: OpMode | undefined): Abi | undefined {
  return m && { request: messageAbi(m.request), reply: messageAbi(m.reply) };
}

/** Everything about a family that reaches the wire (or the socket), and nothing that is only prose. */
export function familyAbi(f: Family): Abi {
  return {
    protocol: f.protocol,
    protonum: f.protonum,
    version: f.version,
    'kernel-family': f.kernelFamily,
    definitions: Object.fromEntries(f.definitions.map((d) => [d.name, definitionAbi(d)])),
    'attribute-sets': Object.fromEntries(
      f.attributeSets.map((s) => [s.name, Object.fromEntries(s.attributes.map((a) => [a.name, attrAbi(a)]))]),
    ),
    // C-style names (prefixes) decide the constant names generated code and the gcc ABI test use.
    'set-names': Object.fromEntries(f.attributeSets.map((s) => [s.name, { 'name-prefix': s.namePrefix, 'enum-name': s.enumName }])),
    'sub-messages': Object.fromEntries(
      f.subMessages.map((m) => [
        m.name,
        Object.fromEntries(m.formats.map((x) => [x.value, { 'fixed-header': x.fixedHeader, 'attribute-set': x.attributeSet }])),
      ]),
    ),
    operations: {
      'enum-model': f.operations.enumModel,
      'name-prefix': f.operations.namePrefix,
      'fixed-header': f.operations.fixedHeader,
      list: Object.fromEntries(
        f.operations.list.map((op) => [
          op.name,
          {
            value: op.value,
            'attribute-set': op.attributeSet,
            'fixed-header': op.fixedHeader,
            flags: [...op.flags].sort(),
            do: modeAbi(op.do),
            dump: modeAbi(op.dump),
            notify: op.notify,
            event: op.event && { attributes: [...op.event.attributes].sort() },
            notification: messageAbi(op.notification),
            mcgrp: op.mcgrp,
            'is-notification': op.isNotification,
          },
        ]),
      ),
    },
    'mcast-groups': Object.fromEntries(f.mcastGroups.map((g) => [g.name, { value: g.value, flags: [...g.flags].sort() }])),
  };
}

function plain(o: object): Abi {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? plain(v) : v]));
}

const show = (v: AbiValue): string =>
  v === undefined ? '(absent)' : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

/** Every difference between two ABI pictures, one line each, as `path: ours X, corpus Y`. */
export function abiDiff(ours: AbiValue, corpus: AbiValue, path: string, out: string[] = []): string[] {
  const isRecord = (v: AbiValue): v is Abi => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRecord(ours) && isRecord(corpus)) {
    for (const k of new Set([...Object.keys(corpus), ...Object.keys(ours)])) {
      const p = `${path}.${k}`;
      if (!(k in ours) || (ours[k] === undefined && isRecord(corpus[k]))) out.push(`${p}: missing from ours`);
      else if (!(k in corpus) || (corpus[k] === undefined && isRecord(ours[k]))) out.push(`${p}: only in ours`);
      else abiDiff(ours[k], corpus[k], p, out);
    }
  } else if (Array.isArray(ours) && Array.isArray(corpus)) {
    // Lists here are sets of names (attribute lists, flags): report what each side lacks.
    const extra = ours.filter((x) => !corpus.includes(x));
    const missing = corpus.filter((x) => !ours.includes(x));
    if (extra.length > 0) out.push(`${path}: only in ours ${show(extra)}`);
    if (missing.length > 0) out.push(`${path}: missing from ours ${show(missing)}`);
  } else if (show(ours) !== show(corpus)) {
    out.push(`${path}: ours ${show(ours)}, corpus ${show(corpus)}`);
  }
  return out;
}


/**
 * Differences where the corpus is wrong about the running kernel and our spec follows the kernel. Each is
 * an exact diff line with the evidence; the test fails if one of them stops occurring (so the table never
 * hides a new difference or outlives a corpus fix).
 */
export const corpusErrata: Record<string, { lines: string[]; why: string }[]> = {
  conntrack: [
    {
      lines: [
        "conntrack.definitions.nf-ct-sctp-state.entries.cloned: missing from ours",
        "conntrack.definitions.nf-ct-sctp-state.entries.shutdown-received: missing from ours",
        "conntrack.definitions.nf-ct-sctp-state.entries.shutdown-heartbeat-sent: missing from ours",
        "conntrack.definitions.nf-ct-sctp-state.entries.closed: only in ours",
        "conntrack.definitions.nf-ct-sctp-state.entries.shutdown-recd: only in ours",
        "conntrack.definitions.nf-ct-sctp-state.entries.heartbeat-sent: only in ours",
        "conntrack.definitions.nf-ct-sctp-state.entries.heartbeat-acked: only in ours",
      ],
      why: "linux/netfilter/nf_conntrack_sctp.h names the SCTP states CLOSED, SHUTDOWN_RECD, HEARTBEAT_SENT, HEARTBEAT_ACKED (same numbers)",
    },
    {
      lines: [
        "conntrack.attribute-sets.nat-attrs.nat-v6-minip.value: ours 4, corpus 3",
        "conntrack.attribute-sets.nat-attrs.nat-v6-maxip.value: ours 5, corpus 4",
        "conntrack.attribute-sets.nat-attrs.nat-proto.value: ours 3, corpus 5",
      ],
      why: "linux/netfilter/nfnetlink_conntrack.h numbers CTA_NAT_PROTO 3, CTA_NAT_V6_MINIP 4, CTA_NAT_V6_MAXIP 5",
    },
    {
      lines: [
        "conntrack.attribute-sets.conntrack-attrs.timestamp.type: ours \"nest\", corpus \"u64\"",
        "conntrack.attribute-sets.conntrack-attrs.timestamp.nested-attributes: ours \"timestamp-attrs\", corpus (absent)",
        "conntrack.attribute-sets.conntrack-attrs.timestamp.byte-order: ours (absent), corpus \"big-endian\"",
        "conntrack.attribute-sets.timestamp-attrs: only in ours",
        "conntrack.set-names.timestamp-attrs: only in ours",
      ],
      why: "CTA_TIMESTAMP is a nest of CTA_TIMESTAMP_START/STOP (u64, network order), as ctnetlink_dump_timestamp writes it",
    },
    {
      lines: [
        "conntrack.attribute-sets.conntrack-attrs.filter.nested-attributes: ours \"filter-attrs\", corpus \"tuple-attrs\"",
        "conntrack.attribute-sets.filter-attrs: only in ours",
        "conntrack.set-names.filter-attrs: only in ours",
      ],
      why: "CTA_FILTER is a nest of CTA_FILTER_ORIG_FLAGS/REPLY_FLAGS (enum ctattr_filter), not a tuple",
    },
    {
      lines: [
        "conntrack.attribute-sets.conntrack-attrs.labels mask: missing from ours",
        "conntrack.attribute-sets.conntrack-attrs.labels-mask: only in ours",
      ],
      why: "CTA_LABELS_MASK: the corpus name has a space where every other name has a dash",
    },
    {
      lines: [
        "conntrack.operations.list.get-stats.value: ours 261, corpus 260",
        "conntrack.operations.list.get-stats.attribute-set: ours \"conntrack-global-stats-attrs\", corpus \"conntrack-stats-attrs\"",
        "conntrack.operations.list.get-stats.do: only in ours",
        "conntrack.operations.list.get-stats.dump: missing from ours",
      ],
      why: "message 0x105 is IPCTNL_MSG_CT_GET_STATS (one reply: entries, max-entries); the corpus gives its name to 0x104, IPCTNL_MSG_CT_GET_STATS_CPU, which ours calls get-stats-cpu",
    },
  ],
  tcp_metrics: [
    {
      lines: ['addr-ipv6', 'saddr-ipv6'].flatMap((a) => [
        `tcp_metrics.attribute-sets.tcp-metrics.${a}.checks.minLen: missing from ours`,
        `tcp_metrics.attribute-sets.tcp-metrics.${a}.checks.exactLen: only in ours`,
      ]),
      why: 'the kernel policy takes exactly 16 bytes for an IPv6 address (CTRL_CMD_GETPOLICY: min-length 16, max-length 16; nlgen doctor, test/generator/doctor.live.test.ts)',
    },
  ],
  nlctrl: [
    {
      lines: ['nlctrl.attribute-sets.ctrl-attrs.family-name.checks: only in ours'],
      why: 'linux/genetlink.h: GENL_NAMSIZ is 16 with the NUL; the kernel policy takes at most 15 bytes (CTRL_CMD_GETPOLICY: max-length 15)',
    },
    {
      lines: ['nlctrl.mcast-groups.notify: only in ours'],
      why: 'the controller registers multicast group "notify" (GENL_ID_CTRL\'s group, as `genl ctrl get name nlctrl` lists it)',
    },
    {
      lines: ['nlctrl.attribute-sets.policy-attrs.mask.value: ours 12, corpus 11', 'nlctrl.attribute-sets.policy-attrs.pad.value: ours 11, corpus 12'],
      why: 'linux/netlink.h: NL_POLICY_TYPE_ATTR_PAD = 11, NL_POLICY_TYPE_ATTR_MASK = 12',
    },
  ],
  'rt-link': [
    {
      lines: [
        'rt-link.attribute-sets.link-attrs.proto-down-reason.type: ours "nest", corpus "string"',
        'rt-link.attribute-sets.link-attrs.proto-down-reason.nested-attributes: ours "link-proto-down-reason-attrs", corpus (absent)',
        'rt-link.attribute-sets.link-proto-down-reason-attrs: only in ours',
        'rt-link.set-names.link-proto-down-reason-attrs: only in ours',
      ],
      why: 'IFLA_PROTO_DOWN_REASON is a nest of IFLA_PROTO_DOWN_REASON_MASK/VALUE (u32), as a vxlan with a protodown reason shows',
    },
    {
      lines: [
        'linkinfo-bridge-attrs.vlan-protocol',
        'linkinfo-geneve-attrs.remote',
        'linkinfo-iptun-attrs.6rd-relay-prefix',
      ].map((a) => `rt-link.attribute-sets.${a}.byte-order: ours "big-endian", corpus (absent)`),
      why: 'the kernel reads and writes these with nla_get/put_be16 and nla_put_in_addr (network byte order)',
    },
    {
      lines: [
        'mode', 'guard', 'protect', 'fast-leave', 'learning', 'unicast-flood', 'proxyarp', 'learning-sync', 'proxyarp-wifi', 'mcast-flood',
        'mcast-to-ucast', 'vlan-tunnel', 'bcast-flood', 'neigh-suppress', 'isolated', 'mrp-ring-open', 'mrp-in-open', 'locked', 'mab',
        'neigh-vlan-suppress',
      ].map((a) => `rt-link.attribute-sets.linkinfo-brport-attrs.${a}.type: ours "u8", corpus "flag"`),
      why: 'the bridge sends and expects these port options as one byte (0 or 1), as a dump of a bridge port on the running kernel shows',
    },
    {
      lines: ['rt-link.definitions.ifla-bridge-id.members.prio.byte-order: ours "big-endian", corpus (absent)'],
      why: 'struct ifla_bridge_id holds the 802.1D bridge id bytes (prio[2] first, network order): a bridge of priority 4096 reads 0x10 0x00, as `ip -d link` (1000.…) shows',
    },
    {
      lines: [
        'rt-link.definitions.ifla-vf-vlan-info.members.vlan-proto.type: ours "u16", corpus "u32"',
        'rt-link.definitions.ifla-vf-vlan-info.members.vlan-proto.size: ours 2, corpus 4',
        'rt-link.definitions.ifla-vf-vlan-info.members.vlan-proto.byte-order: ours "big-endian", corpus (absent)',
        'rt-link.definitions.ifla-vf-vlan-info.members.#4 pad: only in ours',
      ],
      why: 'linux/if_link.h: struct ifla_vf_vlan_info ends with __be16 vlan_proto (then 2 bytes of tail padding)',
    },
  ],
  'rt-route': [
    {
      lines: ['sport', 'dport'].map((a) => `rt-route.attribute-sets.route-attrs.${a}.byte-order: ours "big-endian", corpus (absent)`),
      why: 'RTA_SPORT/RTA_DPORT are __be16: a lookup only matches a sport rule when sent in network order (rt-wire-shapes.live.test.ts)',
    },
    {
      lines: [
        'rt-route.definitions.rta-cacheinfo.size: ours 32, corpus 20',
        'rt-route.definitions.rta-cacheinfo.members.rta-expires.type: ours "s32", corpus "u32"',
        'rt-route.definitions.rta-cacheinfo.members.rta-id: only in ours',
        'rt-route.definitions.rta-cacheinfo.members.rta-ts: only in ours',
        'rt-route.definitions.rta-cacheinfo.members.rta-tsage: only in ours',
      ],
      why: 'linux/rtnetlink.h: struct rta_cacheinfo has __s32 rta_expires and ends with rta_id, rta_ts, rta_tsage (32 bytes)',
    },
    {
      lines: ['dst', 'src', 'gateway', 'prefsrc'].map((a) => `rt-route.attribute-sets.route-attrs.${a}.display-hint: ours "ipv4-or-v6", corpus "ipv4"`),
      why: 'IPv6 routes carry 16-byte RTA_DST/SRC/GATEWAY/PREFSRC; an ipv4 hint cannot decode them (test/families/rt-route.live.test.ts)',
    },
  ],
  'rt-addr': [
    {
      lines: ['rt-addr.attribute-sets.addr-attrs.broadcast.byte-order: ours "big-endian", corpus (absent)'],
      why: 'IFA_BROADCAST is an IPv4 address in network order, as `ip addr add ... brd` shows (rt-wire-shapes.live.test.ts)',
    },
  ],
  'rt-neigh': [
    {
      lines: ['rt-neigh.attribute-sets.neighbour-attrs.port.byte-order: ours "big-endian", corpus (absent)'],
      why: 'NDA_PORT is a UDP port in network order, as `bridge fdb ... port` shows (rt-wire-shapes.live.test.ts)',
    },
  ],
  'rt-rule': [
    {
      lines: ['rt-rule.definitions.rtgenmsg.size: ours 1, corpus 4', 'rt-rule.definitions.rtgenmsg.members.#1 pad: missing from ours'],
      why: 'linux/rtnetlink.h: struct rtgenmsg is one unsigned char (1 byte, as rt-link describes it)',
    },
    {
      lines: ['dst', 'src'].flatMap((a) => [
        `rt-rule.attribute-sets.fib-rule-attrs.${a}.type: ours "binary", corpus "u32"`,
        `rt-rule.attribute-sets.fib-rule-attrs.${a}.display-hint: ours "ipv4-or-v6", corpus (absent)`,
      ]),
      why: 'FRA_DST/FRA_SRC carry an address of the rule family: IPv6 rules send 16 bytes (rt-wire-shapes.live.test.ts)',
    },
  ],
  ethtool: [
    {
      // Found by nlgen doctor: ranges, lengths and request attributes of the kernel policy (CTRL_CMD_GETPOLICY).
      lines: [
        'ethtool.attribute-sets.header.dev-name.checks: only in ours',
        'ethtool.attribute-sets.header.phy-index.checks: only in ours',
        'ethtool.attribute-sets.rings.rx-buf-len.checks: only in ours',
        'ethtool.attribute-sets.rings.cqe-size.checks: only in ours',
        'ethtool.attribute-sets.rings.tx-push.checks: only in ours',
        'ethtool.attribute-sets.rings.rx-push.checks: only in ours',
        'ethtool.attribute-sets.mm.pmac-enabled.checks: only in ours',
        'ethtool.attribute-sets.mm.tx-enabled.checks: only in ours',
        'ethtool.attribute-sets.mm.tx-min-frag-size.checks: only in ours',
        'ethtool.attribute-sets.mm.verify-enabled.checks: only in ours',
        'ethtool.attribute-sets.mm.verify-time.checks: only in ours',
        'ethtool.attribute-sets.linkmodes.lanes.checks: only in ours',
        'ethtool.attribute-sets.wol.sopass.checks: only in ours',
        'ethtool.attribute-sets.coalesce.use-cqe-mode-tx.checks: only in ours',
        'ethtool.attribute-sets.coalesce.use-cqe-mode-rx.checks: only in ours',
        'ethtool.attribute-sets.pause.stats-src.checks: only in ours',
        'ethtool.attribute-sets.ts-hwtstamp-provider.qualifier.checks: only in ours',
        'ethtool.attribute-sets.fec.auto.checks: only in ours',
        'ethtool.attribute-sets.module-eeprom.offset.checks: only in ours',
        'ethtool.attribute-sets.module-eeprom.length.checks: only in ours',
        'ethtool.attribute-sets.module-eeprom.i2c-address.checks: only in ours',
        'ethtool.attribute-sets.stats.src.checks: only in ours',
        'ethtool.attribute-sets.module.power-mode-policy.checks: only in ours',
        'ethtool.attribute-sets.pse.podl-pse-admin-control.checks: only in ours',
        'ethtool.attribute-sets.pse.c33-pse-admin-control.checks: only in ours',
        'ethtool.attribute-sets.plca.enabled.checks: only in ours',
        'ethtool.attribute-sets.plca.node-cnt.checks: only in ours',
        'ethtool.attribute-sets.plca.node-id.checks: only in ours',
        'ethtool.attribute-sets.plca.to-tmr.checks: only in ours',
        'ethtool.attribute-sets.plca.burst-cnt.checks: only in ours',
        'ethtool.attribute-sets.plca.burst-tmr.checks: only in ours',
      ],
      why: 'the kernel policy bounds these values (e.g. rings tx-push 0..1, mm tx-min-frag-size 60..252, header dev-name at most 127 bytes); test/generator/doctor.live.test.ts holds our spec to the policy',
    },
    {
      lines: [
        "ethtool.operations.list.linkinfo-set.do.request.attributes: missing from ours [\"tp-mdix\",\"transceiver\"]",
        "ethtool.operations.list.linkmodes-set.do.request.attributes: missing from ours [\"master-slave-state\",\"peer\",\"rate-matching\"]",
        "ethtool.operations.list.features-set.do.request.attributes: missing from ours [\"active\",\"hw\",\"nochange\"]",
        "ethtool.operations.list.rings-set.do.request.attributes: missing from ours [\"hds-thresh-max\",\"rx-jumbo-max\",\"rx-max\",\"rx-mini-max\",\"tx-max\",\"tx-push-buf-len-max\"]",
        "ethtool.operations.list.channels-set.do.request.attributes: missing from ours [\"combined-max\",\"other-max\",\"rx-max\",\"tx-max\"]",
        "ethtool.operations.list.pause-get.do.request.attributes: only in ours [\"stats-src\"]",
        "ethtool.operations.list.pause-get.dump.request.attributes: only in ours [\"stats-src\"]",
        "ethtool.operations.list.pause-set.do.request.attributes: missing from ours [\"stats\",\"stats-src\"]",
        "ethtool.operations.list.eee-set.do.request.attributes: missing from ours [\"active\",\"modes-peer\"]",
        "ethtool.operations.list.cable-test-tdr-act.do.request.attributes: only in ours [\"cfg\"]",
        "ethtool.operations.list.fec-set.do.request.attributes: missing from ours [\"active\",\"stats\"]",
        "ethtool.operations.list.module-eeprom-get.do.request.attributes: only in ours [\"bank\",\"i2c-address\",\"length\",\"offset\",\"page\"]",
        "ethtool.operations.list.module-eeprom-get.dump.request.attributes: only in ours [\"bank\",\"i2c-address\",\"length\",\"offset\",\"page\"]",
        "ethtool.operations.list.stats-get.do.request.attributes: only in ours [\"src\"]",
        "ethtool.operations.list.stats-get.dump.request.attributes: only in ours [\"src\"]",
        "ethtool.operations.list.module-set.do.request.attributes: missing from ours [\"power-mode\"]",
        "ethtool.operations.list.plca-set-cfg.do.request.attributes: missing from ours [\"status\",\"version\"]",
      ],
      why: 'each op takes exactly the attributes of its kernel policy: set requests do not take read-only values (maxima, state, statistics), and get requests take their selectors (module-eeprom offset/length/page/bank/i2c-address, stats src); nlgen doctor',
    },
    {
      lines: ['started: ours 1, corpus 0', 'in_progress: ours 2, corpus 1', 'completed: ours 3, corpus 2', 'error: ours 4, corpus 3'].map(
        (l) => `ethtool.definitions.module-fw-flash-status.entries.${l}`,
      ),
      why: 'linux/ethtool.h: enum ethtool_module_fw_flash_status starts at ETHTOOL_MODULE_FW_FLASH_STATUS_STARTED = 1',
    },
    {
      lines: [
        'ethtool.mcast-groups.monitor: only in ours',
        ...['linkinfo', 'linkmodes', 'debug', 'wol', 'features', 'privflags', 'rings', 'channels', 'coalesce', 'pause', 'eee', 'cable-test', 'cable-test-tdr', 'fec', 'module', 'plca', 'mm', 'phy'].map(
          (op) => `ethtool.operations.list.${op}-ntf.mcgrp: ours "monitor", corpus (absent)`,
        ),
      ],
      why: 'the corpus has no mcast-groups; the kernel sends every ethtool notification to group "monitor" (ETHTOOL_MCGRP_MONITOR_NAME)',
    },
  ],
  mptcp_pm: [
    {
      lines: ['mptcp_pm.attribute-sets.address.port.byte-order: ours (absent), corpus "big-endian"'],
      why: 'net/mptcp/pm_netlink.c parses the port with htons(nla_get_u16()) and fills it with ntohs(): host order, as iproute2 sends it (test/families/mptcp-pm.live.test.ts)',
    },
  ],
};

/**
 * ABI our specs describe beyond the corpus: kinds the running kernel has built in and nlgen's live tests
 * use. Their numbers are checked against the uapi headers by test/generator/abi.test.ts (gcc) and their
 * attribute types against a live dump; listed here exactly, like the errata.
 */
export const beyondCorpus: Record<string, { lines: string[]; why: string }[]> = {
  conntrack: [
    {
      lines: [
        "conntrack.attribute-sets.counter-attrs.packets-old.byte-order: ours \"big-endian\", corpus (absent)",
        "conntrack.attribute-sets.counter-attrs.bytes-old.byte-order: ours \"big-endian\", corpus (absent)",
        "conntrack.attribute-sets.tuple-ip-attrs.ip-v6-src.byte-order: ours (absent), corpus \"big-endian\"",
        "conntrack.attribute-sets.tuple-ip-attrs.ip-v6-src.checks.minLen: missing from ours",
        "conntrack.attribute-sets.tuple-ip-attrs.ip-v6-src.checks.exactLen: only in ours",
        "conntrack.attribute-sets.tuple-ip-attrs.ip-v6-dst.byte-order: ours (absent), corpus \"big-endian\"",
        "conntrack.attribute-sets.tuple-ip-attrs.ip-v6-dst.checks.minLen: missing from ours",
        "conntrack.attribute-sets.tuple-ip-attrs.ip-v6-dst.checks.exactLen: only in ours",
        "conntrack.attribute-sets.nat-attrs.nat-v4-minip.display-hint: ours \"ipv4\", corpus (absent)",
        "conntrack.attribute-sets.nat-attrs.nat-v4-maxip.display-hint: ours \"ipv4\", corpus (absent)",
        "conntrack.attribute-sets.nat-attrs.nat-v6-minip.display-hint: ours \"ipv6\", corpus (absent)",
        "conntrack.attribute-sets.nat-attrs.nat-v6-maxip.display-hint: ours \"ipv6\", corpus (absent)",
      ],
      why: "presentation and checks, same wire: addresses as text (IPv6 exactly 16 bytes), the old 32-bit counters in network order like the rest",
    },
    {
      lines: [
        "conntrack.set-names.counter-attrs.name-prefix: ours \"cta-counters-\", corpus (absent)",
        "conntrack.set-names.tuple-proto-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.tuple-ip-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.tuple-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.protoinfo-tcp-attrs.name-prefix: ours \"cta-protoinfo-\", corpus (absent)",
        "conntrack.set-names.protoinfo-dccp-attrs.name-prefix: ours \"cta-protoinfo-\", corpus (absent)",
        "conntrack.set-names.protoinfo-sctp-attrs.name-prefix: ours \"cta-protoinfo-\", corpus (absent)",
        "conntrack.set-names.protoinfo-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.help-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.nat-proto-attrs.name-prefix: ours \"cta-proto\", corpus (absent)",
        "conntrack.set-names.nat-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.seqadj-attrs.name-prefix: ours \"cta-seqadj-\", corpus (absent)",
        "conntrack.set-names.secctx-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.synproxy-attrs.name-prefix: ours \"cta-synproxy-\", corpus (absent)",
        "conntrack.set-names.conntrack-attrs.name-prefix: ours \"cta-\", corpus (absent)",
        "conntrack.set-names.conntrack-stats-attrs.name-prefix: ours \"cta-stats-\", corpus (absent)",
        "conntrack.set-names.conntrack-global-stats-attrs: only in ours",
        "conntrack.set-names.expect-nat-attrs: only in ours",
        "conntrack.set-names.expect-attrs: only in ours",
        "conntrack.set-names.expect-stats-attrs: only in ours",
        "conntrack.operations.name-prefix: ours \"nfnl-ctnetlink-\", corpus (absent)",
        "conntrack.operations.fixed-header: ours \"nfgenmsg\", corpus (absent)",
      ],
      why: "C names (CTA_* prefixes checked against the uapi header by test/generator/abi.test.ts) and the nfgenmsg header of every message",
    },
    {
      lines: [
        "conntrack.operations.list.get.do.request.attributes: only in ours [\"id\"]",
        "conntrack.operations.list.get.do.reply.attributes: only in ours [\"timestamp\"]",
        "conntrack.operations.list.get.dump.request.attributes: only in ours [\"mark-mask\",\"status-mask\",\"tuple-orig\",\"tuple-reply\"]",
        "conntrack.operations.list.get.dump.reply.attributes: only in ours [\"timestamp\"]",
      ],
      why: "get takes an id, dumps filter by tuples and masks, replies carry the timestamp nest (ctnetlink_get_conntrack / ctnetlink_dump_table)",
    },
    {
      lines: [
        "conntrack.attribute-sets.help-attrs.help-info: only in ours",
        "conntrack.attribute-sets.conntrack-global-stats-attrs: only in ours",
        "conntrack.attribute-sets.expect-nat-attrs: only in ours",
        "conntrack.attribute-sets.expect-attrs: only in ours",
        "conntrack.attribute-sets.expect-stats-attrs: only in ours",
        "conntrack.operations.list.new: only in ours",
        "conntrack.operations.list.new-ntf: only in ours",
        "conntrack.operations.list.delete: only in ours",
        "conntrack.operations.list.delete-ntf: only in ours",
        "conntrack.operations.list.get-ctrzero: only in ours",
        "conntrack.operations.list.get-stats-cpu: only in ours",
        "conntrack.operations.list.get-dying: only in ours",
        "conntrack.operations.list.get-unconfirmed: only in ours",
        "conntrack.operations.list.exp-new: only in ours",
        "conntrack.operations.list.exp-new-ntf: only in ours",
        "conntrack.operations.list.exp-get: only in ours",
        "conntrack.operations.list.exp-delete: only in ours",
        "conntrack.operations.list.exp-delete-ntf: only in ours",
        "conntrack.operations.list.exp-get-stats-cpu: only in ours",
        "conntrack.mcast-groups.conntrack-new: only in ours",
        "conntrack.mcast-groups.conntrack-update: only in ours",
        "conntrack.mcast-groups.conntrack-destroy: only in ours",
        "conntrack.mcast-groups.conntrack-exp-new: only in ours",
        "conntrack.mcast-groups.conntrack-exp-update: only in ours",
        "conntrack.mcast-groups.conntrack-exp-destroy: only in ours",
      ],
      why: "the rest of ctnetlink, absent from the corpus: creating, changing and deleting connections, counters, expectations (NFNL_SUBSYS_CTNETLINK_EXP), and the NFNLGRP_CONNTRACK_* groups (linux/netfilter/nfnetlink.h)",
    },
  ],
  'rt-link': [
    {
      lines: [
        'rt-link.definitions.ifla-vxlan-port-range: only in ours',
        'rt-link.definitions.vxlan-df: only in ours',
        'rt-link.definitions.vxlan-label-policy: only in ours',
        'rt-link.attribute-sets.linkinfo-vxlan-attrs: only in ours',
        'rt-link.set-names.linkinfo-vxlan-attrs: only in ours',
        'rt-link.sub-messages.linkinfo-data-msg.vxlan: only in ours',
      ],
      why: 'vxlan links (linux/if_link.h IFLA_VXLAN_*), absent from the corpus',
    },
    {
      lines: [
        'rt-link.attribute-sets.linkinfo-veth-attrs: only in ours',
        'rt-link.set-names.linkinfo-veth-attrs: only in ours',
        'rt-link.sub-messages.linkinfo-data-msg.veth: only in ours',
        'rt-link.sub-messages.linkinfo-veth-peer-msg: only in ours',
      ],
      why: 'veth pairs (linux/veth.h VETH_INFO_PEER: an ifinfomsg header plus link attributes), absent from the corpus',
    },
    {
      lines: ['dellink-ntf', 'newlinkprop', 'dellinkprop'].map((op) => `rt-link.operations.list.${op}: only in ours`),
      why: 'RTM_DELLINK notifications and RTM_NEWLINKPROP/RTM_DELLINKPROP (alternative names), exercised in rt-wire-shapes.live.test.ts',
    },
    {
      lines: ['rt-link.operations.list.newlink.do.request.attributes: only in ours ["link","master"]'],
      why: 'RTM_NEWLINK also takes the lower device (IFLA_LINK) and the master (IFLA_MASTER) of the new link (rt-wire-shapes.live.test.ts)',
    },
  ],
  'rt-addr': [
    {
      lines: ['newaddr-ntf', 'deladdr-ntf'].map((op) => `rt-addr.operations.list.${op}: only in ours`),
      why: 'the kernel announces address changes as RTM_NEWADDR/RTM_DELADDR on the ifaddr groups (rt-wire-shapes.live.test.ts)',
    },
    {
      lines: ['newaddr.do.request', 'getaddr.dump.reply'].map((m) => `rt-addr.operations.list.${m}.attributes: only in ours ["broadcast","flags","proto","rt-priority"]`),
      why: 'inet_rtm_newaddr/inet6_rtm_newaddr take IFA_BROADCAST, IFA_FLAGS, IFA_RT_PRIORITY and IFA_PROTO, and address dumps carry them (test/families/rt-addr.live.test.ts)',
    },
  ],
  'rt-route': [
    {
      lines: [
        ...['newroute-ntf', 'delroute-ntf'].map((op) => `rt-route.operations.list.${op}: only in ours`),
        'rt-route.mcast-groups.rtnlgrp-ipv4-route: only in ours',
        'rt-route.mcast-groups.rtnlgrp-ipv6-route: only in ours',
      ],
      why: 'route changes arrive as RTM_NEWROUTE/RTM_DELROUTE on RTNLGRP_IPV4_ROUTE (7) and RTNLGRP_IPV6_ROUTE (11) (rt-wire-shapes.live.test.ts)',
    },
  ],
  'rt-rule': [
    {
      lines: ['newrule.do.request', 'delrule.do.request', 'getrule.dump.reply', 'newrule-ntf.notification', 'delrule-ntf.notification'].map(
        (m) => `rt-rule.operations.list.${m}.attributes: only in ours ["dst","src"]`,
      ),
      why: 'fib4/fib6 rule configure read FRA_SRC/FRA_DST and rule dumps carry them (test/families/rt-rule.live.test.ts)',
    },
  ],
  netdev: [
    {
      lines: [
        'netdev.definitions.napi-threaded: only in ours',
        'netdev.attribute-sets.napi.irq-suspend-timeout: only in ours',
        'netdev.attribute-sets.napi.threaded: only in ours',
        ...['do', 'dump'].map((m) => `netdev.operations.list.napi-get.${m}.reply.attributes: only in ours ["irq-suspend-timeout","threaded"]`),
        'netdev.operations.list.napi-set: only in ours',
      ],
      why: 'the running kernel sends NETDEV_A_NAPI_IRQ_SUSPEND_TIMEOUT (7, uint) and NETDEV_A_NAPI_THREADED (8, u32 0..1) in napi-get and has NETDEV_CMD_NAPI_SET (14); its policy dump (genl ctrl policy name netdev) and test/families/netdev.live.test.ts show both',
    },
  ],
  mptcp_pm: [
    {
      lines: [
        'mptcp_pm.definitions.address-flags: only in ours',
        'mptcp_pm.attribute-sets.address.addr4.display-hint: ours "ipv4", corpus (absent)',
        'mptcp_pm.attribute-sets.address.addr6.display-hint: ours "ipv6", corpus (absent)',
        'mptcp_pm.attribute-sets.address.flags.enum: ours "address-flags", corpus (absent)',
      ],
      why: 'presentation only, same wire: endpoint addresses as text and MPTCP_PM_ADDR_FLAG_* (linux/mptcp.h, checked by test/generator/abi.test.ts) as names',
    },
  ],
};

