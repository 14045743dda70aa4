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
  tc: [
    {
      lines: [
        "tc.definitions.cls-flags.entries.not-in-nw: missing from ours",
        "tc.definitions.cls-flags.entries.not-in-hw: only in ours",
      ],
      why: "linux/pkt_cls.h names bit 3 TCA_CLS_FLAGS_NOT_IN_HW (\"not in hardware\"); the corpus spells it not-in-nw",
    },
    {
      lines: [
        "tc.definitions.cls-flags.name-prefix: ours \"tca-cls-flags-\", corpus (absent)",
      ],
      why: "the flags are TCA_CLS_FLAGS_* in linux/pkt_cls.h; without a prefix the corpus names constants (TC_CLS_FLAGS_*) the header does not have",
    },
    {
      lines: [
        "tc.definitions.tc-ratespec.members.overhead.size: ours 2, corpus 1",
        "tc.definitions.tc-ratespec.members.overhead.type: ours \"u16\", corpus \"u8\"",
        "tc.definitions.tc-ratespec.members.cell-align.offset: ours 4, corpus 3",
        "tc.definitions.tc-ratespec.members.cell-align.size: ours 2, corpus 1",
        "tc.definitions.tc-ratespec.members.cell-align.type: ours \"s16\", corpus \"u8\"",
        "tc.definitions.tc-ratespec.members.mpu.offset: ours 6, corpus 4",
        "tc.definitions.tc-ratespec.members.mpu.size: ours 2, corpus 1",
        "tc.definitions.tc-ratespec.members.mpu.type: ours \"u16\", corpus \"u8\"",
      ],
      why: "struct tc_ratespec (linux/pkt_sched.h) has unsigned short overhead, short cell_align and unsigned short mpu at offsets 2, 4, 6 (size 12); the corpus makes them u8",
    },
    {
      lines: [
        "tc.definitions.tc-u32-sel.size: ours 16, corpus 32",
        "tc.definitions.tc-u32-sel.members.keys: missing from ours",
        "tc.definitions.tc-u32-pcnt.size: ours 16, corpus 24",
        "tc.definitions.tc-u32-pcnt.members.kcnts: missing from ours",
        "tc.definitions.tc-pedit-sel.size: ours 24, corpus 48",
        "tc.definitions.tc-pedit-sel.members.keys: missing from ours",
      ],
      why: "tc_u32_sel.keys[], tc_u32_pcnt.kcnts[] and tc_pedit_sel.keys[] are flexible arrays (sizeof 16, 16, 24 in C; gcc in test/generator/abi.test.ts): the entries follow the struct in the attribute, so the struct is only its fixed part",
    },
    {
      lines: [
        "tc.attribute-sets.act-vlan-attrs.push-vlan-protocol.byte-order: ours \"big-endian\", corpus (absent)",
      ],
      why: "tcf_vlan_init reads TCA_VLAN_PUSH_VLAN_PROTOCOL with nla_get_be16 (an ethertype in network order)",
    },
    {
      lines: [
        "tc.attribute-sets.netem-attrs.pad.type: ours \"pad\", corpus \"u32\"",
      ],
      why: "TCA_NETEM_PAD only aligns the 64-bit attributes (nla_put_u64_64bit), it carries no u32",
    },
    {
      lines: [
        "tc.set-names.hfsc-attrs.name-prefix: ours \"tca-hfsc-\", corpus (absent)",
      ],
      why: "the HFSC class attributes are TCA_HFSC_RSC/FSC/USC in linux/pkt_sched.h; without a prefix the corpus names TC_HFSC_ATTRS_* constants that do not exist",
    },
    {
      lines: [
        "tc.definitions.tc-etf-qopt.members.flags.type: ours \"u32\", corpus \"s32\"",
        "tc.definitions.tc-prio-qopt.members.bands.type: ours \"s32\", corpus \"u32\"",
      ],
      why: "linux/pkt_sched.h: struct tc_etf_qopt has __u32 flags, struct tc_prio_qopt has int bands",
    },
    {
      lines: [
        "tc.attribute-sets.act-tunnel-key-attrs.enc-key-id.type: ours \"u32\", corpus \"u64\"",
        "tc.attribute-sets.cake-attrs.overhead.type: ours \"s32\", corpus \"u32\"",
        "tc.attribute-sets.flower-attrs.key-mpls-label.byte-order: ours (absent), corpus \"big-endian\"",
      ],
      why: "the kernel, not the header comments: act_tunnel_key uses nla_get_be32/nla_put_be32 for TCA_TUNNEL_KEY_ENC_KEY_ID (a 32-bit key id; the comment says be64), cls_flower nla_get_u32/nla_put_u32 for TCA_FLOWER_KEY_MPLS_LABEL (host order; the comment says be32), sch_cake's policy has TCA_CAKE_OVERHEAD as NLA_S32",
    },
  ],
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
  nftables: [
    {
      lines: [
        "nftables.definitions.fib-result.entries.oif: ours 1, corpus 0",
        "nftables.definitions.fib-result.entries.oifname: ours 2, corpus 1",
        "nftables.definitions.fib-result.entries.addrtype: ours 3, corpus 2",
        "nftables.definitions.fib-result.entries.unspec: only in ours",
      ],
      why: "linux/netfilter/nf_tables.h numbers NFT_FIB_RESULT_UNSPEC 0, OIF 1, OIFNAME 2, ADDRTYPE 3: the corpus starts the list one too early",
    },
    {
      lines: [
        "nftables.attribute-sets.table-attrs.userdata.value: ours 6, corpus 5",
        "nftables.attribute-sets.table-attrs.pad: only in ours",
        "nftables.attribute-sets.chain-attrs.flags.value: ours 10, corpus 9",
        "nftables.attribute-sets.chain-attrs.id.value: ours 11, corpus 10",
        "nftables.attribute-sets.chain-attrs.userdata.value: ours 12, corpus 11",
        "nftables.attribute-sets.chain-attrs.pad: only in ours",
        "nftables.attribute-sets.nft-counter-attrs.pad: only in ours",
        "nftables.attribute-sets.rule-attrs.id.value: ours 9, corpus 8",
        "nftables.attribute-sets.rule-attrs.position-id.value: ours 10, corpus 9",
        "nftables.attribute-sets.rule-attrs.chain-id.value: ours 11, corpus 10",
        "nftables.attribute-sets.rule-attrs.pad: only in ours",
        "nftables.attribute-sets.setelem-attrs.objref.value: ours 9, corpus 8",
        "nftables.attribute-sets.setelem-attrs.key-end.value: ours 10, corpus 9",
        "nftables.attribute-sets.setelem-attrs.expressions.value: ours 11, corpus 10",
        "nftables.attribute-sets.setelem-attrs.pad: only in ours",
      ],
      why: "nf_tables.h has a pad attribute in table (NFTA_TABLE_PAD 5), chain (NFTA_CHAIN_PAD 9), rule (NFTA_RULE_PAD 8), set element (NFTA_SET_ELEM_PAD 8) and counter (NFTA_COUNTER_PAD 3) attributes; without it the corpus numbers every later attribute one too low",
    },
    {
      lines: [
        "nftables.attribute-sets.expr-lookup-attrs.set id: missing from ours",
        "nftables.attribute-sets.expr-lookup-attrs.sreg.value: ours 2, corpus 3",
        "nftables.attribute-sets.expr-lookup-attrs.dreg.value: ours 3, corpus 4",
        "nftables.attribute-sets.expr-lookup-attrs.set-id: only in ours",
      ],
      why: "NFTA_LOOKUP_SET 1, SREG 2, DREG 3, SET_ID 4, FLAGS 5 (the corpus puts the set id second and spells it with a space)",
    },
    {
      lines: [
        "nftables.attribute-sets.nft-counter-attrs.bytes.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.nft-counter-attrs.packets.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.rule-attrs.id.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.rule-attrs.position-id.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.rule-attrs.chain-id.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.rule-compat-attrs.proto.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.rule-compat-attrs.flags.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.set-attrs.id.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.set-attrs.timeout.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.set-attrs.gc-interval.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.setelem-attrs.flags.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.setelem-attrs.timeout.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.setelem-attrs.expiration.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.setelem-list-attrs.set-id.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.verdict-attrs.chain-id.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.expr-counter-attrs.bytes.byte-order: ours \"big-endian\", corpus (absent)",
        "nftables.attribute-sets.expr-counter-attrs.packets.byte-order: ours \"big-endian\", corpus (absent)",
      ],
      why: "values the kernel reads and writes in network byte order (nla_get_be32/be64, nla_put_be32/be64): rule, set and chain ids, set timeouts and GC interval, element flags, timeouts and expirations, counters' bytes and packets",
    },
    {
      lines: [
        "nftables.attribute-sets.rule-compat-attrs.proto.type: ours \"u32\", corpus \"binary\"",
        "nftables.attribute-sets.rule-compat-attrs.flags.type: ours \"u32\", corpus \"binary\"",
        "nftables.attribute-sets.setelem-attrs.flags.type: ours \"u32\", corpus \"binary\"",
      ],
      why: "NFTA_RULE_COMPAT_PROTO/FLAGS and NFTA_SET_ELEM_FLAGS are NLA_U32 in network order (nft_parse_compat, nft_setelem_parse_flags), not opaque bytes",
    },
    {
      lines: [
        "nftables.attribute-sets.set-attrs.expr.multi-attr: ours false, corpus true",
        "nftables.attribute-sets.set-desc-attrs.concat.multi-attr: ours false, corpus true",
        "nftables.attribute-sets.set-desc-concat-attrs.elem.multi-attr: ours true, corpus false",
      ],
      why: "NFTA_SET_EXPR is one expression; NFTA_SET_DESC_CONCAT is one nest holding a NFTA_LIST_ELEM per field (nft_set_desc_concat)",
    },
    {
      lines: [
        "nftables.attribute-sets.flowtable-hook-attrs.priority.type: ours \"s32\", corpus \"u32\"",
      ],
      why: "NFTA_FLOWTABLE_HOOK_PRIORITY is a signed priority (ntohl into an int), as the chain hook's is",
    },
    {
      lines: [
        "nftables.operations.list.batch-begin.do.reply: missing from ours",
        "nftables.operations.list.batch-end.do.request.attributes: missing from ours [\"genid\"]",
      ],
      why: "batch-begin is never answered with a message (only an ACK or an error); batch-end's attributes are ignored (nfnetlink_rcv_batch)",
    },
    {
      lines: [
        "nftables.operations.list.newtable.do.request.attributes: only in ours [\"flags\",\"userdata\"]",
        "nftables.operations.list.gettable.do.reply.attributes: only in ours [\"flags\",\"handle\",\"owner\",\"use\",\"userdata\"]",
        "nftables.operations.list.gettable.dump: only in ours",
        "nftables.operations.list.deltable.do.request.attributes: only in ours [\"handle\"]",
        "nftables.operations.list.destroytable.do.request.attributes: only in ours [\"handle\"]",
        "nftables.operations.list.newchain.do.request.attributes: only in ours [\"counters\",\"flags\",\"handle\",\"hook\",\"id\",\"policy\",\"table\",\"type\",\"userdata\"]",
        "nftables.operations.list.getchain.do.request.attributes: only in ours [\"table\"]",
        "nftables.operations.list.getchain.do.reply.attributes: only in ours [\"counters\",\"flags\",\"handle\",\"hook\",\"policy\",\"table\",\"type\",\"use\",\"userdata\"]",
        "nftables.operations.list.getchain.dump: only in ours",
        "nftables.operations.list.delchain.do.request.attributes: only in ours [\"handle\",\"hook\",\"id\",\"table\"]",
        "nftables.operations.list.destroychain.do.request.attributes: only in ours [\"handle\",\"hook\",\"id\",\"table\"]",
        "nftables.operations.list.newrule.do.request.attributes: only in ours [\"chain\",\"chain-id\",\"compat\",\"expressions\",\"handle\",\"id\",\"position\",\"position-id\",\"table\",\"userdata\"]",
        "nftables.operations.list.getrule.do.request.attributes: only in ours [\"chain\",\"handle\",\"table\"]",
        "nftables.operations.list.getrule.do.reply.attributes: only in ours [\"chain\",\"expressions\",\"handle\",\"position\",\"table\",\"userdata\"]",
        "nftables.operations.list.getrule.dump: only in ours",
        "nftables.operations.list.getrule-reset.do.request.attributes: only in ours [\"chain\",\"handle\",\"table\"]",
        "nftables.operations.list.getrule-reset.do.reply.attributes: only in ours [\"chain\",\"expressions\",\"handle\",\"position\",\"table\",\"userdata\"]",
        "nftables.operations.list.getrule-reset.dump: only in ours",
        "nftables.operations.list.delrule.do.request.attributes: only in ours [\"chain\",\"chain-id\",\"handle\",\"id\",\"table\"]",
        "nftables.operations.list.destroyrule.do.request.attributes: only in ours [\"chain\",\"chain-id\",\"handle\",\"id\",\"table\"]",
        "nftables.operations.list.newset.do.request.attributes: only in ours [\"data-len\",\"data-type\",\"desc\",\"expr\",\"expressions\",\"flags\",\"gc-interval\",\"handle\",\"id\",\"key-len\",\"key-type\",\"obj-type\",\"policy\",\"table\",\"timeout\",\"userdata\"]",
        "nftables.operations.list.getset.do.request.attributes: only in ours [\"table\"]",
        "nftables.operations.list.getset.do.reply.attributes: only in ours [\"count\",\"data-len\",\"data-type\",\"desc\",\"expr\",\"expressions\",\"flags\",\"gc-interval\",\"handle\",\"key-len\",\"key-type\",\"obj-type\",\"policy\",\"table\",\"timeout\",\"type\",\"userdata\"]",
        "nftables.operations.list.getset.dump: only in ours",
        "nftables.operations.list.delset.do.request.attributes: only in ours [\"handle\",\"table\"]",
        "nftables.operations.list.destroyset.do.request.attributes: only in ours [\"handle\",\"table\"]",
        "nftables.operations.list.newsetelem.do.request.attributes: only in ours [\"elements\",\"set\",\"set-id\",\"table\"]",
        "nftables.operations.list.getsetelem.do.request.attributes: only in ours [\"elements\",\"set\",\"table\"]",
        "nftables.operations.list.getsetelem.do.reply.attributes: only in ours [\"elements\",\"set\",\"table\"]",
        "nftables.operations.list.getsetelem.dump: only in ours",
        "nftables.operations.list.getsetelem-reset.do.request.attributes: only in ours [\"elements\",\"set\",\"table\"]",
        "nftables.operations.list.getsetelem-reset.do.reply.attributes: only in ours [\"elements\",\"set\",\"table\"]",
        "nftables.operations.list.getsetelem-reset.dump: only in ours",
        "nftables.operations.list.delsetelem.do.request.attributes: only in ours [\"elements\",\"set\",\"set-id\",\"table\"]",
        "nftables.operations.list.destroysetelem.do.request.attributes: only in ours [\"elements\",\"set\",\"set-id\",\"table\"]",
        "nftables.operations.list.getgen.do.reply.attributes: only in ours [\"id\",\"proc-name\",\"proc-pid\"]",
        "nftables.operations.list.newobj.do.request.attributes: only in ours [\"data\",\"table\",\"type\",\"userdata\"]",
        "nftables.operations.list.getobj.do.request.attributes: only in ours [\"table\",\"type\"]",
        "nftables.operations.list.getobj.do.reply.attributes: only in ours [\"data\",\"handle\",\"table\",\"type\",\"use\",\"userdata\"]",
        "nftables.operations.list.getobj.dump: only in ours",
        "nftables.operations.list.delobj.do.request.attributes: only in ours [\"handle\",\"table\",\"type\"]",
        "nftables.operations.list.destroyobj.do.request.attributes: only in ours [\"handle\",\"table\",\"type\"]",
        "nftables.operations.list.newflowtable.do.request.attributes: only in ours [\"flags\",\"hook\",\"table\"]",
        "nftables.operations.list.getflowtable.do.request.attributes: only in ours [\"table\"]",
        "nftables.operations.list.getflowtable.do.reply.attributes: only in ours [\"flags\",\"handle\",\"hook\",\"table\",\"use\"]",
        "nftables.operations.list.getflowtable.dump: only in ours",
        "nftables.operations.list.delflowtable.do.request.attributes: only in ours [\"handle\",\"hook\",\"table\"]",
        "nftables.operations.list.destroyflowtable.do.request.attributes: only in ours [\"handle\",\"hook\",\"table\"]",
      ],
      why: "the corpus lists `name` as the only attribute of every request and reply, and no dumps; ours lists what each message carries (nf_tables_api.c's policies and fill functions) and the dumps every get message answers with NLM_F_DUMP (test/families/nftables.live.test.ts)",
    },
  ],
};

/**
 * ABI our specs describe beyond the corpus: kinds the running kernel has built in and nlgen's live tests
 * use. Their numbers are checked against the uapi headers by test/generator/abi.test.ts (gcc) and their
 * attribute types against a live dump; listed here exactly, like the errata.
 */
export const beyondCorpus: Record<string, { lines: string[]; why: string }[]> = {
  tc: [
    {
      lines: [
        "tc.definitions.tc-act-bpf: only in ours",
        "tc.definitions.tc-connmark: only in ours",
        "tc.definitions.tc-csum: only in ours",
        "tc.definitions.tc-ct: only in ours",
        "tc.definitions.tc-ctinfo: only in ours",
        "tc.definitions.tc-defact: only in ours",
        "tc.definitions.tc-gate: only in ours",
        "tc.definitions.tc-ife: only in ours",
        "tc.definitions.tc-mirred: only in ours",
        "tc.definitions.tc-nat: only in ours",
        "tc.definitions.tc-sample: only in ours",
        "tc.definitions.tc-skbedit: only in ours",
        "tc.definitions.tc-skbmod: only in ours",
        "tc.definitions.tc-tunnel-key: only in ours",
        "tc.attribute-sets.act-bpf-attrs.parms.struct: ours \"tc-act-bpf\", corpus (absent)",
        "tc.attribute-sets.act-connmark-attrs.parms.struct: ours \"tc-connmark\", corpus (absent)",
        "tc.attribute-sets.act-csum-attrs.parms.struct: ours \"tc-csum\", corpus (absent)",
        "tc.attribute-sets.act-ct-attrs.parms.struct: ours \"tc-ct\", corpus (absent)",
        "tc.attribute-sets.act-ctinfo-attrs.act.struct: ours \"tc-ctinfo\", corpus (absent)",
        "tc.attribute-sets.act-gate-attrs.parms.struct: ours \"tc-gate\", corpus (absent)",
        "tc.attribute-sets.act-ife-attrs.parms.struct: ours \"tc-ife\", corpus (absent)",
        "tc.attribute-sets.act-mirred-attrs.parms.struct: ours \"tc-mirred\", corpus (absent)",
        "tc.attribute-sets.act-nat-attrs.parms.struct: ours \"tc-nat\", corpus (absent)",
        "tc.attribute-sets.act-simple-attrs.parms.struct: ours \"tc-defact\", corpus (absent)",
        "tc.attribute-sets.act-skbedit-attrs.parms.struct: ours \"tc-skbedit\", corpus (absent)",
        "tc.attribute-sets.act-skbmod-attrs.parms.struct: ours \"tc-skbmod\", corpus (absent)",
        "tc.attribute-sets.act-tunnel-key-attrs.parms.struct: ours \"tc-tunnel-key\", corpus (absent)",
      ],
      why: "action parameters typed: each act's parms is its tc_act/*.h struct (tc_gen and the kind's fields; mirred's eaction and target ifindex), where the corpus leaves raw bytes",
    },
    {
      lines: [
        "tc.definitions.tc-link-layer: only in ours",
        "tc.definitions.tc-mirred-eaction: only in ours",
      ],
      why: "enums from the headers for documentation and mirred's eaction (TCA_EGRESS_REDIR .. TCA_INGRESS_MIRROR, enum tc_link_layer)",
    },
    {
      lines: [
        "tc.definitions.tc-service-curve: only in ours",
        "tc.attribute-sets.hfsc-attrs.rsc.struct: ours \"tc-service-curve\", corpus (absent)",
        "tc.attribute-sets.hfsc-attrs.fsc.struct: ours \"tc-service-curve\", corpus (absent)",
        "tc.attribute-sets.hfsc-attrs.usc.struct: ours \"tc-service-curve\", corpus (absent)",
      ],
      why: "HFSC curves typed as struct tc_service_curve (m1, d, m2)",
    },
    {
      lines: [
        "tc.attribute-sets.act-bpf-attrs.id.type: ours \"u32\", corpus \"binary\"",
        "tc.attribute-sets.act-mirred-attrs.blockid.type: ours \"u32\", corpus \"binary\"",
        "tc.attribute-sets.act-mirred-attrs.blockid.checks: only in ours",
        "tc.attribute-sets.act-simple-attrs.data.type: ours \"string\", corpus \"binary\"",
        "tc.attribute-sets.act-skbmod-attrs.etype.type: ours \"u16\", corpus \"binary\"",
        "tc.attribute-sets.cgroup-attrs.ematches.type: ours \"nest\", corpus \"binary\"",
        "tc.attribute-sets.cgroup-attrs.ematches.nested-attributes: ours \"ematch-attrs\", corpus (absent)",
        "tc.attribute-sets.flow-attrs.act.type: ours \"indexed-array\", corpus \"binary\"",
        "tc.attribute-sets.flow-attrs.act.sub-type: ours \"nest\", corpus (absent)",
        "tc.attribute-sets.flow-attrs.act.nested-attributes: ours \"act-attrs\", corpus (absent)",
        "tc.attribute-sets.flow-attrs.ematches.type: ours \"nest\", corpus \"binary\"",
        "tc.attribute-sets.flow-attrs.ematches.nested-attributes: ours \"ematch-attrs\", corpus (absent)",
      ],
      why: "typed where the corpus leaves bytes: act_bpf puts TCA_ACT_BPF_ID as a u32, act_mirred's policy has TCA_MIRRED_BLOCKID as NLA_U32 of at least 1, act_simple's TCA_DEF_DATA as NLA_STRING, act_skbmod's TCA_SKBMOD_ETYPE as NLA_U16 (read with nla_get_u16); cls_flow's actions are the usual numbered action nest (tcf_exts) and cls_flow/cls_cgroup's ematches the TCA_EMATCH_TREE_* nest, as basic's",
    },
    {
      lines: [
        "tc.definitions.tc-htb-xstats: only in ours",
        "tc.sub-messages.tca-stats-app-msg.htb: only in ours",
      ],
      why: "HTB classes send struct tc_htb_xstats as their kind-specific counters (htb_dump_class_stats); the corpus has no htb format",
    },
    {
      lines: [
        "tc.attribute-sets.act-ct-attrs.nat-ipv4-min.display-hint: ours \"ipv4\", corpus (absent)",
        "tc.attribute-sets.act-ct-attrs.nat-ipv4-max.display-hint: ours \"ipv4\", corpus (absent)",
        "tc.attribute-sets.act-ct-attrs.nat-ipv6-min.display-hint: ours \"ipv6\", corpus (absent)",
        "tc.attribute-sets.act-ct-attrs.nat-ipv6-max.display-hint: ours \"ipv6\", corpus (absent)",
        "tc.attribute-sets.act-ife-attrs.dmac.display-hint: ours \"mac\", corpus (absent)",
        "tc.attribute-sets.act-ife-attrs.smac.display-hint: ours \"mac\", corpus (absent)",
        "tc.attribute-sets.act-skbmod-attrs.dmac.display-hint: ours \"mac\", corpus (absent)",
        "tc.attribute-sets.act-skbmod-attrs.smac.display-hint: ours \"mac\", corpus (absent)",
        "tc.attribute-sets.act-tunnel-key-attrs.enc-ipv4-src.display-hint: ours \"ipv4\", corpus (absent)",
        "tc.attribute-sets.act-tunnel-key-attrs.enc-ipv4-dst.display-hint: ours \"ipv4\", corpus (absent)",
        "tc.attribute-sets.act-tunnel-key-attrs.enc-ipv6-src.display-hint: ours \"ipv6\", corpus (absent)",
        "tc.attribute-sets.act-tunnel-key-attrs.enc-ipv6-dst.display-hint: ours \"ipv6\", corpus (absent)",
        "tc.attribute-sets.act-vlan-attrs.push-eth-dst.display-hint: ours \"mac\", corpus (absent)",
        "tc.attribute-sets.act-vlan-attrs.push-eth-src.display-hint: ours \"mac\", corpus (absent)",
      ],
      why: "presentation only: addresses as text, MACs as colon-separated hex",
    },
    {
      lines: [
        "tc.attribute-sets.bpf-attrs.flags-gen.enum: ours \"cls-flags\", corpus (absent)",
        "tc.attribute-sets.bpf-attrs.flags-gen.enum-as-flags: ours true, corpus (absent)",
        "tc.attribute-sets.matchall-attrs.flags.enum: ours \"cls-flags\", corpus (absent)",
        "tc.attribute-sets.matchall-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "tc.attribute-sets.u32-attrs.flags.enum: ours \"cls-flags\", corpus (absent)",
        "tc.attribute-sets.u32-attrs.flags.enum-as-flags: ours true, corpus (absent)",
      ],
      why: "u32, matchall and bpf (flags-gen) flags are TCA_CLS_FLAGS_* bits, typed as the cls-flags set",
    },
    {
      lines: [
        "tc.operations.list.newqdisc-ntf: only in ours",
        "tc.operations.list.delqdisc-ntf: only in ours",
        "tc.operations.list.newtclass-ntf: only in ours",
        "tc.operations.list.deltclass-ntf: only in ours",
        "tc.operations.list.newtfilter-ntf: only in ours",
        "tc.operations.list.deltfilter-ntf: only in ours",
        "tc.operations.list.delchain-ntf: only in ours",
        "tc.operations.list.newchain-ntf: only in ours",
      ],
      why: "notifications: the kernel sends RTM_NEWQDISC/DELQDISC, NEWTCLASS/DELTCLASS, NEWTFILTER/DELTFILTER and NEWCHAIN/DELCHAIN to RTNLGRP_TC on every change",
    },
    {
      lines: [
        "tc.operations.list.gettclass.dump: only in ours",
        "tc.operations.list.getchain.dump: only in ours",
      ],
      why: "classes and chains can be dumped (tc_dump_tclass, tc_dump_chain; what `tc class show` and `tc chain show` do)",
    },
    {
      lines: [
        "tc.definitions.tcamsg: only in ours",
        "tc.attribute-sets.root-attrs: only in ours",
        "tc.set-names.root-attrs: only in ours",
        "tc.operations.list.newaction: only in ours",
        "tc.operations.list.newaction-ntf: only in ours",
        "tc.operations.list.delaction: only in ours",
        "tc.operations.list.delaction-ntf: only in ours",
        "tc.operations.list.getaction: only in ours",
      ],
      why: "standalone actions (`tc actions`): RTM_NEWACTION/DELACTION/GETACTION with struct tcamsg and the TCA_ROOT_* attributes of linux/rtnetlink.h, notified to RTNLGRP_TC",
    },
    {
      lines: [
        "tc.operations.list.newqdisc.do.request.attributes: only in ours [\"stab\"]",
        "tc.operations.list.delqdisc.do.request.attributes: only in ours [\"kind\"]",
        "tc.operations.list.getqdisc.do.reply.attributes: only in ours [\"hw-offload\"]",
        "tc.operations.list.getqdisc.dump.reply.attributes: only in ours [\"hw-offload\"]",
      ],
      why: "request and reply attributes the kernel takes or sends beyond the corpus lists: TCA_STAB on qdisc changes, TCA_HW_OFFLOAD in qdisc replies (tc_fill_qdisc), TCA_KIND on qdisc deletion (checked against the qdisc)",
    },
  ],
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
  nftables: [
    {
      lines: [
        "nftables.definitions.registers: only in ours",
        "nftables.definitions.set-policies: only in ours",
        "nftables.definitions.set-elem-flags: only in ours",
        "nftables.definitions.byteorder-ops: only in ours",
        "nftables.definitions.range-ops: only in ours",
        "nftables.definitions.dynset-ops: only in ours",
        "nftables.definitions.dynset-flags: only in ours",
        "nftables.definitions.payload-bases: only in ours",
        "nftables.definitions.payload-csum-types: only in ours",
        "nftables.definitions.payload-csum-flags: only in ours",
        "nftables.definitions.exthdr-flags: only in ours",
        "nftables.definitions.exthdr-ops: only in ours",
        "nftables.definitions.rt-keys: only in ours",
        "nftables.definitions.hash-types: only in ours",
        "nftables.definitions.socket-keys: only in ours",
        "nftables.definitions.limit-type: only in ours",
        "nftables.definitions.limit-flags: only in ours",
        "nftables.definitions.connlimit-flags: only in ours",
        "nftables.definitions.log-level: only in ours",
        "nftables.definitions.log-flags: only in ours",
        "nftables.definitions.queue-flags: only in ours",
        "nftables.definitions.reject-inet-code: only in ours",
        "nftables.definitions.nat-types: only in ours",
        "nftables.definitions.ng-types: only in ours",
        "nftables.definitions.osf-flags: only in ours",
        "nftables.definitions.xfrm-keys: only in ours",
        "nftables.definitions.flowtable-flags: only in ours",
        "nftables.definitions.trace-types: only in ours",
        "nftables.attribute-sets.chain-attrs.policy.enum: ours \"verdict-code\", corpus (absent)",
        "nftables.attribute-sets.set-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.set-attrs.policy.enum: ours \"set-policies\", corpus (absent)",
        "nftables.attribute-sets.set-attrs.obj-type.enum: ours \"object-type\", corpus (absent)",
        "nftables.attribute-sets.setelem-attrs.flags.enum: ours \"set-elem-flags\", corpus (absent)",
        "nftables.attribute-sets.setelem-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.quota-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.flowtable-attrs.flags.enum: ours \"flowtable-flags\", corpus (absent)",
        "nftables.attribute-sets.flowtable-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.expr-bitwise-attrs.sreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-bitwise-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-cmp-attrs.sreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-fib-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-fib-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.expr-ct-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-ct-attrs.sreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-immediate-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-lookup-attrs.sreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-lookup-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-lookup-attrs.flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.expr-meta-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-meta-attrs.sreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-nat-attrs.type.enum: ours \"nat-types\", corpus (absent)",
        "nftables.attribute-sets.expr-nat-attrs.reg-addr-min.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-nat-attrs.reg-addr-max.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-nat-attrs.reg-proto-min.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-nat-attrs.reg-proto-max.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-payload-attrs.dreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-payload-attrs.base.enum: ours \"payload-bases\", corpus (absent)",
        "nftables.attribute-sets.expr-payload-attrs.sreg.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-payload-attrs.csum-type.enum: ours \"payload-csum-types\", corpus (absent)",
        "nftables.attribute-sets.expr-payload-attrs.csum-flags.enum: ours \"payload-csum-flags\", corpus (absent)",
        "nftables.attribute-sets.expr-payload-attrs.csum-flags.enum-as-flags: ours true, corpus (absent)",
        "nftables.attribute-sets.expr-tproxy-attrs.reg-addr.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-tproxy-attrs.reg-port.enum: ours \"registers\", corpus (absent)",
        "nftables.attribute-sets.expr-objref-attrs.imm-type.enum: ours \"object-type\", corpus (absent)",
        "nftables.attribute-sets.expr-objref-attrs.set-sreg.enum: ours \"registers\", corpus (absent)",
      ],
      why: "enums and flags of nf_tables.h (and nf_nat.h, nf_log.h) the corpus leaves as plain numbers, typed: registers, verdicts, hooks' flags, expression operators and keys",
    },
    {
      lines: [
        "nftables.attribute-sets.table-attrs.name.checks: only in ours",
        "nftables.attribute-sets.table-attrs.userdata.checks: only in ours",
        "nftables.attribute-sets.chain-attrs.table.checks: only in ours",
        "nftables.attribute-sets.chain-attrs.name.checks: only in ours",
        "nftables.attribute-sets.chain-attrs.type.checks: only in ours",
        "nftables.attribute-sets.chain-attrs.userdata.checks: only in ours",
        "nftables.attribute-sets.nft-hook-attrs.dev.checks: only in ours",
        "nftables.attribute-sets.hook-dev-attrs.name.checks: only in ours",
        "nftables.attribute-sets.rule-attrs.table.checks: only in ours",
        "nftables.attribute-sets.rule-attrs.chain.checks: only in ours",
        "nftables.attribute-sets.rule-attrs.userdata.checks: only in ours",
        "nftables.attribute-sets.expr-attrs.name.checks: only in ours",
        "nftables.attribute-sets.set-attrs.table.checks: only in ours",
        "nftables.attribute-sets.set-attrs.name.checks: only in ours",
        "nftables.attribute-sets.set-attrs.userdata.checks: only in ours",
        "nftables.attribute-sets.setelem-attrs.userdata.checks: only in ours",
        "nftables.attribute-sets.setelem-attrs.objref.checks: only in ours",
        "nftables.attribute-sets.setelem-list-attrs.table.checks: only in ours",
        "nftables.attribute-sets.setelem-list-attrs.set.checks: only in ours",
        "nftables.attribute-sets.obj-attrs.table.checks: only in ours",
        "nftables.attribute-sets.obj-attrs.name.checks: only in ours",
        "nftables.attribute-sets.obj-attrs.userdata.checks: only in ours",
        "nftables.attribute-sets.flowtable-attrs.table.checks: only in ours",
        "nftables.attribute-sets.flowtable-attrs.name.checks: only in ours",
        "nftables.attribute-sets.data-attrs.value.checks: only in ours",
        "nftables.attribute-sets.verdict-attrs.chain.checks: only in ours",
        "nftables.attribute-sets.expr-flow-offload-attrs.name.checks: only in ours",
        "nftables.attribute-sets.expr-lookup-attrs.set.checks: only in ours",
        "nftables.attribute-sets.expr-target-attrs.name.checks: only in ours",
        "nftables.attribute-sets.expr-objref-attrs.imm-name.checks: only in ours",
        "nftables.attribute-sets.expr-objref-attrs.set-name.checks: only in ours",
      ],
      why: "length limits the kernel's policies enforce (NFT_NAME_MAXLEN-1 names, 256-byte userdata, 64-byte data, IFNAMSIZ-1 devices, 15-byte chain types and expression names, 127-byte log prefix), checked before sending",
    },
    {
      lines: [
        "nftables.attribute-sets.expr-byteorder-attrs: only in ours",
        "nftables.attribute-sets.expr-range-attrs: only in ours",
        "nftables.attribute-sets.expr-dynset-attrs: only in ours",
        "nftables.attribute-sets.expr-rt-attrs: only in ours",
        "nftables.attribute-sets.expr-socket-attrs: only in ours",
        "nftables.attribute-sets.expr-hash-attrs: only in ours",
        "nftables.attribute-sets.expr-numgen-attrs: only in ours",
        "nftables.attribute-sets.expr-masq-attrs: only in ours",
        "nftables.attribute-sets.expr-redir-attrs: only in ours",
        "nftables.attribute-sets.expr-exthdr-attrs: only in ours",
        "nftables.attribute-sets.expr-limit-attrs: only in ours",
        "nftables.attribute-sets.expr-connlimit-attrs: only in ours",
        "nftables.attribute-sets.expr-last-attrs: only in ours",
        "nftables.attribute-sets.expr-log-attrs: only in ours",
        "nftables.attribute-sets.expr-queue-attrs: only in ours",
        "nftables.attribute-sets.expr-dup-attrs: only in ours",
        "nftables.attribute-sets.expr-fwd-attrs: only in ours",
        "nftables.attribute-sets.expr-osf-attrs: only in ours",
        "nftables.attribute-sets.expr-synproxy-attrs: only in ours",
        "nftables.attribute-sets.expr-xfrm-attrs: only in ours",
        "nftables.attribute-sets.ct-helper-attrs: only in ours",
        "nftables.attribute-sets.ct-timeout-attrs: only in ours",
        "nftables.attribute-sets.ct-expect-attrs: only in ours",
        "nftables.attribute-sets.secmark-attrs: only in ours",
        "nftables.attribute-sets.trace-attrs: only in ours",
        "nftables.set-names.expr-byteorder-attrs: only in ours",
        "nftables.set-names.expr-range-attrs: only in ours",
        "nftables.set-names.expr-dynset-attrs: only in ours",
        "nftables.set-names.expr-rt-attrs: only in ours",
        "nftables.set-names.expr-socket-attrs: only in ours",
        "nftables.set-names.expr-hash-attrs: only in ours",
        "nftables.set-names.expr-numgen-attrs: only in ours",
        "nftables.set-names.expr-masq-attrs: only in ours",
        "nftables.set-names.expr-redir-attrs: only in ours",
        "nftables.set-names.expr-exthdr-attrs: only in ours",
        "nftables.set-names.expr-limit-attrs: only in ours",
        "nftables.set-names.expr-connlimit-attrs: only in ours",
        "nftables.set-names.expr-last-attrs: only in ours",
        "nftables.set-names.expr-log-attrs: only in ours",
        "nftables.set-names.expr-queue-attrs: only in ours",
        "nftables.set-names.expr-dup-attrs: only in ours",
        "nftables.set-names.expr-fwd-attrs: only in ours",
        "nftables.set-names.expr-osf-attrs: only in ours",
        "nftables.set-names.expr-synproxy-attrs: only in ours",
        "nftables.set-names.expr-xfrm-attrs: only in ours",
        "nftables.set-names.ct-helper-attrs: only in ours",
        "nftables.set-names.ct-timeout-attrs: only in ours",
        "nftables.set-names.ct-expect-attrs: only in ours",
        "nftables.set-names.secmark-attrs: only in ours",
        "nftables.set-names.trace-attrs: only in ours",
        "nftables.sub-messages.expr-ops.byteorder: only in ours",
        "nftables.sub-messages.expr-ops.connlimit: only in ours",
        "nftables.sub-messages.expr-ops.dup: only in ours",
        "nftables.sub-messages.expr-ops.dynset: only in ours",
        "nftables.sub-messages.expr-ops.exthdr: only in ours",
        "nftables.sub-messages.expr-ops.fwd: only in ours",
        "nftables.sub-messages.expr-ops.hash: only in ours",
        "nftables.sub-messages.expr-ops.last: only in ours",
        "nftables.sub-messages.expr-ops.limit: only in ours",
        "nftables.sub-messages.expr-ops.log: only in ours",
        "nftables.sub-messages.expr-ops.masq: only in ours",
        "nftables.sub-messages.expr-ops.match: only in ours",
        "nftables.sub-messages.expr-ops.notrack: only in ours",
        "nftables.sub-messages.expr-ops.numgen: only in ours",
        "nftables.sub-messages.expr-ops.osf: only in ours",
        "nftables.sub-messages.expr-ops.queue: only in ours",
        "nftables.sub-messages.expr-ops.range: only in ours",
        "nftables.sub-messages.expr-ops.redir: only in ours",
        "nftables.sub-messages.expr-ops.rt: only in ours",
        "nftables.sub-messages.expr-ops.socket: only in ours",
        "nftables.sub-messages.expr-ops.synproxy: only in ours",
        "nftables.sub-messages.expr-ops.xfrm: only in ours",
        "nftables.sub-messages.obj-data.ct-helper: only in ours",
        "nftables.sub-messages.obj-data.limit: only in ours",
        "nftables.sub-messages.obj-data.connlimit: only in ours",
        "nftables.sub-messages.obj-data.ct-timeout: only in ours",
        "nftables.sub-messages.obj-data.secmark: only in ours",
        "nftables.sub-messages.obj-data.ct-expect: only in ours",
        "nftables.sub-messages.obj-data.synproxy: only in ours",
      ],
      why: "the expression kinds and object types of this kernel the corpus does not describe (byteorder, range, dynset, rt, socket, hash, numgen, masq, redir, exthdr, limit, connlimit, last, log, queue, dup, fwd, osf, synproxy, xfrm, match; ct helper/timeout/expectation, secmark, limit, connlimit and synproxy objects) and trace events",
    },
    {
      lines: [
        "nftables.attribute-sets.table-attrs.owner: only in ours",
        "nftables.attribute-sets.set-attrs.type: only in ours",
        "nftables.attribute-sets.set-attrs.count: only in ours",
      ],
      why: "attributes of newer kernels the corpus lacks: NFTA_TABLE_OWNER (7, the port id of the socket that owns the table); NFTA_SET_TYPE (19, a string) and NFTA_SET_COUNT (20, be32, the number of elements), which this kernel sends in set dumps (nlgen doctor)",
    },
    {
      lines: [
        "nftables.operations.fixed-header: ours \"nfgenmsg\", corpus (absent)",
        "nftables.operations.list.newtable-ntf: only in ours",
        "nftables.operations.list.deltable-ntf: only in ours",
        "nftables.operations.list.newchain-ntf: only in ours",
        "nftables.operations.list.delchain-ntf: only in ours",
        "nftables.operations.list.newrule-ntf: only in ours",
        "nftables.operations.list.delrule-ntf: only in ours",
        "nftables.operations.list.newset-ntf: only in ours",
        "nftables.operations.list.delset-ntf: only in ours",
        "nftables.operations.list.newsetelem-ntf: only in ours",
        "nftables.operations.list.delsetelem-ntf: only in ours",
        "nftables.operations.list.newgen-ntf: only in ours",
        "nftables.operations.list.trace: only in ours",
        "nftables.operations.list.newobj-ntf: only in ours",
        "nftables.operations.list.delobj-ntf: only in ours",
        "nftables.operations.list.getobj-reset: only in ours",
        "nftables.operations.list.newflowtable-ntf: only in ours",
        "nftables.operations.list.delflowtable-ntf: only in ours",
        "nftables.mcast-groups.mgmt.value: ours 7, corpus (absent)",
        "nftables.mcast-groups.trace: only in ours",
      ],
      why: "notifications: each change is announced on NFNLGRP_NFTABLES (7) with the message type that made it, each batch ending with NFT_MSG_NEWGEN; NFT_MSG_TRACE (0xa11) on NFNLGRP_NFTRACE (9); NFT_MSG_GETOBJ_RESET (0xa15); the fixed header given once for all ops",
    },
  ],
};

