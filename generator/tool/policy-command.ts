// `nlgen policy OP`: the attribute policy the running kernel applies to an op's requests (CTRL_CMD_GETPOLICY), with
// the spec's names for the attributes.
import { findFamily, loadModel, type FamilyOptions } from './family-source.js';
import { jsonText } from '@nlgen/runtime';
import type { OutputFormat } from './json-output.js';
import { namePolicy, readKernelFamily, type NamedPolicy } from './kernel-policy.js';
import type { ToolOutput } from './op-commands.js';
import { EXIT_FAILED, EXIT_USAGE, ToolError } from './tool-error.js';

/** Options of `nlgen policy`. */
export interface PolicyOptions extends FamilyOptions {
  output: OutputFormat;
  netns?: string;
}

function policyText(list: readonly NamedPolicy[], indent: string): string {
  let s = '';
  for (const n of list) {
    const { type: kind, policyIdx: _idx, policyMaxtype: _max, ...limits } = n.policy;
    const facts = Object.entries(limits).map(([k, v]) => `${k} ${jsonText(v)}`).join(', ');
    s += `${indent}${n.name ?? '(not in the spec)'} (${n.type}) ${String(kind)}${facts ? ` [${facts}]` : ''}\n`;
    if (n.nested) s += policyText(n.nested, `${indent}  `);
  }
  return s;
}

/** Prints the kernel's policy of `opName` (do and dump requests). */
export async function runPolicy(opName: string | undefined, o: PolicyOptions, out: ToolOutput): Promise<number> {
  const f = await loadModel(findFamily(o));
  if (f.protocol === 'netlink-raw') throw new ToolError(`${f.name} is a netlink-raw family: the kernel has no policy dump for it (nlgen doctor surveys its dumps instead)`, EXIT_USAGE);
  const op = f.operations.list.find((x) => (x.do || x.dump) && x.name === opName);
  if (op === undefined) throw new ToolError(`${opName === undefined ? 'name an op' : `${f.name} has no op "${opName}"`}; its ops: ${f.operations.list.filter((x) => x.do || x.dump).map((x) => x.name).join(', ')}`, EXIT_USAGE);
  const k = await readKernelFamily(f.kernelFamily ?? f.name, o.netns);
  if (k === undefined) throw new ToolError(`the running kernel has no family "${f.kernelFamily ?? f.name}"`, EXIT_FAILED);
  const cmd = (op.do ?? op.dump)!.request.value;
  const pol = k.opPolicies.get(cmd) ?? {};
  const sets = (name: string) => f.attributeSets.find((s) => s.name === name);
  const set = op.attributeSet === undefined ? undefined : sets(op.attributeSet);
  const result: Record<string, unknown> = { family: f.name, op: op.name, command: cmd };
  for (const mode of ['do', 'dump'] as const) if (pol[mode] !== undefined) result[mode] = namePolicy(k, pol[mode], set, sets);
  if (o.output === 'json') await out.write(`${jsonText(result)}\n`);
  else {
    let s = `${f.name} ${op.name} (command ${cmd})\n`;
    for (const mode of ['do', 'dump'] as const) {
      const list = result[mode] as NamedPolicy[] | undefined;
      s += list === undefined ? `${mode}: ${op[mode] ? 'no attributes accepted' : 'none'}\n` : `${mode} request:\n${policyText(list, '  ') || '  (no attributes)\n'}`;
    }
    await out.write(s);
  }
  return 0;
}
