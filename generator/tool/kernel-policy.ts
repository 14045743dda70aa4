// What the running kernel says about a generic netlink family: its ops, multicast groups and attribute policies
// (CTRL_CMD_GETFAMILY and CTRL_CMD_GETPOLICY through the shipped nlctrl client). `nlgen policy` prints it;
// `nlgen doctor` compares it with a spec.
import { FamilyNotFoundError, NetlinkError, ValidationError } from '@nlgen/runtime';
import type { PolicyAttrs } from '@nlgen/families/nlctrl';

/** One attribute's policy as the kernel reports it (NL_POLICY_TYPE_ATTR_*). */
export type KernelAttrPolicy = Omit<PolicyAttrs, '$unknown'>;

/** A family as registered in the running kernel. */
export interface KernelFamily {
  name: string;
  id: number;
  version: number;
  maxattr: number;
  /** Command → its flags (admin-perm, cmd-cap-do …). */
  ops: Map<number, string[]>;
  /** Multicast group name → id. */
  groups: Map<string, number>;
  /** Command → policy index of its do and dump request (absent: the mode does not exist or takes no attributes). */
  opPolicies: Map<number, { do?: number; dump?: number }>;
  /** Policy index → attribute type → policy. */
  policies: Map<number, Map<number, KernelAttrPolicy>>;
}

/**
 * Reads family `name` from the kernel (in `netns` when given); undefined when the kernel has no such family. Policies
 * come from one GETPOLICY dump of the whole family (every op's do and dump).
 */
export async function readKernelFamily(name: string, netns: string | undefined): Promise<KernelFamily | undefined> {
  const { Nlctrl } = await import('@nlgen/families/nlctrl');
  const ctrl = await Nlctrl.open(netns !== undefined ? { netns } : {});
  try {
    let fam;
    try {
      fam = await ctrl.getfamily({ familyName: name });
    } catch (e) {
      // A name past GENL_NAMSIZ fails the request's own check: no kernel family can have it.
      if (e instanceof FamilyNotFoundError || e instanceof ValidationError || (e instanceof NetlinkError && e.code === 'ENOENT')) return undefined;
      throw e;
    }
    const k: KernelFamily = {
      name,
      id: fam.familyId ?? 0,
      version: fam.version ?? 0,
      maxattr: fam.maxattr ?? 0,
      ops: new Map((fam.ops ?? []).map((o) => [o.id ?? 0, (o.flags ?? []).map(String)])),
      groups: new Map((fam.mcastGroups ?? []).map((g) => [g.name ?? '', g.id ?? 0])),
      opPolicies: new Map(),
      policies: new Map(),
    };
    try {
      for await (const m of ctrl.getpolicyDump({ familyName: name })) {
        for (const [cmd, p] of Object.entries(m.opPolicy ?? {})) {
          k.opPolicies.set(Number(cmd), { ...k.opPolicies.get(Number(cmd)), ...(p.do !== undefined ? { do: p.do } : {}), ...(p.dump !== undefined ? { dump: p.dump } : {}) });
        }
        for (const [idx, attrs] of Object.entries(m.policy ?? {})) {
          const table = k.policies.get(Number(idx)) ?? new Map<number, KernelAttrPolicy>();
          for (const [type, pol] of Object.entries(attrs)) {
            const { $unknown: _unknown, ...rest } = pol;
            table.set(Number(type), rest);
          }
          k.policies.set(Number(idx), table);
        }
      }
    } catch (e) {
      // Families without any policy answer the dump with an error; they simply have none to compare.
      if (!(e instanceof NetlinkError)) throw e;
    }
    return k;
  } finally {
    ctrl.close();
  }
}

/** One attribute of a kernel policy with the spec's name for it, nested policies expanded. */
export interface NamedPolicy {
  type: number;
  /** The spec's name, when the spec's set has the attribute. */
  name: string | undefined;
  policy: KernelAttrPolicy;
  nested?: NamedPolicy[];
}

/** Kernel policy table `idx` with names from the spec's attribute set `set` (and its nested sets). */
export function namePolicy(k: KernelFamily, idx: number, set: { name: string; attributes: { name: string; value: number; nestedAttributes?: string }[] } | undefined, sets: (name: string) => typeof set, depth = 0): NamedPolicy[] {
  const table = k.policies.get(idx);
  if (table === undefined) return [];
  return [...table].sort((a, b) => a[0] - b[0]).map(([type, policy]) => {
    const a = set?.attributes.find((x) => x.value === type);
    const n: NamedPolicy = { type, name: a?.name, policy };
    // Recursive policies (a nest that contains itself) stop after a few levels.
    if (policy.policyIdx !== undefined && depth < 6) n.nested = namePolicy(k, policy.policyIdx, a?.nestedAttributes ? sets(a.nestedAttributes) : undefined, sets, depth + 1);
    return n;
  });
}
