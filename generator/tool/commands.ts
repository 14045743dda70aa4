// The family commands of the nlgen CLI (do, dump, subscribe, list-*, policy, doctor): their options, usage texts and
// dispatch. Loaded only when one of them runs.
import { ToolError, EXIT_USAGE } from './tool-error.js';
import type { OutputFormat } from './json-output.js';
import type { OpOptions, ToolOutput } from './op-commands.js';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { parseArgs } = process.getBuiltinModule('node:util');

/** Options every family command takes. */
const familyOptions = {
  family: { type: 'string', short: 'f' },
  spec: { type: 'string', short: 's' },
  specs: { type: 'string', multiple: true },
  overlay: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options of commands that talk to the kernel. */
const kernelOptions = {
  netns: { type: 'string' },
  timeout: { type: 'string', short: 't' },
} as const;

const familyHelp = `Family (one of):
  --family, -f NAME   a family nlgen ships (see nlgen list-families), or one in --specs DIR / $NLGEN_SPECS
  --spec, -s FILE     any YNL spec file (your own, or an upstream one); its client is generated in memory and
                      cached (in $NLGEN_CACHE_DIR, else ~/.cache/nlgen)
  --specs DIR         a folder of your own specs, searched before the shipped ones (repeatable; also $NLGEN_SPECS,
                      colon-separated)
  --overlay PATH      overlay files (a file or folder; repeatable) correcting the spec; the client is then
                      generated in memory from the corrected spec. @upstream: nlgen's overlays for the
                      kernel's own specs (--spec linux/Documentation/netlink/specs/rt-link.yaml --overlay @upstream)
Output:
  --output, -o json|text   json (default): one JSON object per line; 64-bit numbers beyond 2^53 as strings, bytes
                           as hex, enums and flags by name. text: the same as YAML documents.`;

const kernelHelp = `Kernel:
  --netns NAME|PATH   run inside a network namespace (a name under /run/netns, or a path)
  --timeout, -t DUR   give up after DUR (500ms, 5s, 2m; a bare number is seconds)`;

const debugHelp = `  --dbg-small-recv BYTES  read at most BYTES (≥ 4096) per receive, so the kernel sends dumps in small datagrams,
                          and print each datagram's size and message count on stderr (ynl's option)`;

/** Usage of each family command. */
export const toolUsage: Record<string, string> = {
  do: `Usage: nlgen do OP --family NAME [--json REQUEST] [options]
       nlgen do --family NAME --multi OP REQUEST [--multi OP REQUEST]...

Sends one request and prints its reply (ops the kernel answers with an ACK print nothing). REQUEST is JSON whose keys
are the typed client's property names (camelCase) or the spec's names; it is checked by the generated validators
before anything is sent. Bytes are hex strings, 64-bit numbers may be decimal strings.
  --json, -j REQUEST      the request (default {})
  --multi OP REQUEST      several requests sent together, each result or error printed in order (repeatable);
                          for a family that takes batches (nf_tables) one atomic transaction: all applied or none
  --create --excl --replace --append   NLM_F_CREATE/EXCL/REPLACE/APPEND (netlink-raw families)
  --echo                  NLM_F_ECHO: also get what the kernel tells the group (tc answers a qdisc/class get only so)
  --strict-decoding       fail on attributes the spec does not describe (default: keep them under $unknown)
${debugHelp}
${familyHelp}
${kernelHelp}
Exit: 0 done; 1 the kernel refused (its extack message and the property path are printed); 2 bad usage, a bad spec
or a bad request (nothing was sent).
Example: nlgen do getlink --family rt-link --json '{"ifname":"lo"}'
`,
  dump: `Usage: nlgen dump OP --family NAME [--json FILTER] [options]

Dumps and prints each reply as it arrives, one per line.
  --json, -j FILTER     the dump request (filters the kernel supports), default {}
  --count, -n N         stop after N replies
  --strict-decoding     fail on attributes the spec does not describe
${debugHelp}
${familyHelp}
${kernelHelp}
Exit: 0 done; 1 the kernel refused; 2 bad usage, spec or request.
Example: nlgen dump getlink --family rt-link
`,
  subscribe: `Usage: nlgen subscribe GROUP... --family NAME [options]

Joins the family's multicast groups and prints each notification as { "name": ..., "msg": ... } until --count,
--timeout (--duration), Ctrl-C or SIGTERM. Overruns (notifications the kernel dropped) are reported on stderr.
  --count, -n N         stop after N notifications
  --duration DUR        same as --timeout (ynl's name)
${debugHelp}
${familyHelp}
${kernelHelp}
Example: nlgen subscribe link --family rt-link --count 1
`,
  'list-families': `Usage: nlgen list-families [--specs DIR] [--output json|text]

Lists the families nlgen ships and those in --specs DIR / $NLGEN_SPECS (a user's spec of the same name shadows a
shipped one), with protocol and spec file.
`,
  'list-ops': `Usage: nlgen list-ops --family NAME [options]

Lists the family's ops: name, number, modes (do, dump, notify, event), kernel permission flags, doc.
${familyHelp}
`,
  'list-msgs': `Usage: nlgen list-msgs --family NAME [options]

Lists every message of the family: each op's do and dump requests and replies, notifications and events, with their
message ids (netlink-raw) or commands (genetlink), attribute counts and multicast groups.
${familyHelp}
`,
  'list-attrs': `Usage: nlgen list-attrs OP --family NAME [options]

The attributes of an op's request and reply (do and dump) or of a notification: spec and property names, numbers,
types, enums and flags by name, checks, sub-message formats and docs, nested sets expanded.
${familyHelp}
`,
  policy: `Usage: nlgen policy OP --family NAME [options]

The attribute policy the running kernel applies to the op's do and dump requests (CTRL_CMD_GETPOLICY): types, value
ranges, lengths and masks, nested policies expanded, with the spec's names. Generic netlink families only.
${familyHelp}
${kernelHelp}
`,
  doctor: `Usage: nlgen doctor --family NAME | --spec FILE [options]

Checks a spec against the running kernel. Generic netlink: ops and their do/dump modes, multicast groups, and every
op's attribute policy (CTRL_CMD_GETPOLICY) nest by nest — attributes only one side has, type disagreements, value
ranges, lengths and masks against the spec's checks. netlink-raw (no policy dump exists): runs every dump the spec
has and lists attributes the kernel sent that the spec does not describe, payload sizes its types cannot hold,
and replies it cannot decode; dumps the kernel scopes to one device and parent (tc's classes, filters, chains) run
once per qdisc, class and clsact hook the other dumps reported, and tc's action dump once per action kind the filters
name. A family the kernel does not have is reported as such.
${familyHelp}
${kernelHelp}
Exit: 0 the spec agrees with the kernel (or the family is absent); 1 disagreements found; 2 bad usage or spec.
`,
};

/** `500ms`, `5s`, `2m`, `1.5` (seconds) → milliseconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new ToolError(`${option}: expected a duration like 500ms, 5s or 2m, got "${text}"`, EXIT_USAGE);
  const n = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms']!;
  if (!Number.isFinite(n) || n > 2_147_483_647) throw new ToolError(`${option}: ${text} is too long`, EXIT_USAGE);
  return n;
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(text) || Number(text) === 0) throw new ToolError(`--count: expected a positive integer, got "${text}"`, EXIT_USAGE);
  return Number(text);
}

function parseReceiveLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(text) || Number(text) < 4096) throw new ToolError(`--dbg-small-recv: expected a number of bytes of at least 4096, got "${text}"`, EXIT_USAGE);
  return Number(text);
}

function parseOutput(text: string | undefined): OutputFormat {
  if (text === undefined || text === 'json') return 'json';
  if (text === 'text') return 'text';
  throw new ToolError(`--output: expected json or text, got "${text}"`, EXIT_USAGE);
}

/** node:util parseArgs with its messages made one line; unknown options name themselves. */
function parse<T extends Parameters<typeof parseArgs>[0] & object>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new ToolError(unknown ? `unknown option ${unknown[1]}` : message.split('\n')[0]!, EXIT_USAGE);
  }
}

/** Options of do/dump/subscribe from argv. */
function opOptions(command: string, args: string[]): { positionals: string[]; options: OpOptions; help: boolean } {
  const { values, positionals, tokens } = parse({
    args,
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: {
      ...familyOptions,
      ...kernelOptions,
      json: { type: 'string', short: 'j' },
      count: { type: 'string', short: 'n' },
      duration: { type: 'string' },
      create: { type: 'boolean' },
      excl: { type: 'boolean' },
      replace: { type: 'boolean' },
      append: { type: 'boolean' },
      echo: { type: 'boolean' },
      'strict-decoding': { type: 'boolean' },
      'dbg-small-recv': { type: 'string' },
      multi: { type: 'string', multiple: true },
    },
  });
  // `--multi OP REQUEST`: the option's value is the op, the positional right after it its request.
  const multi: [string, string][] = [];
  const taken = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'option' || t.name !== 'multi') continue;
    const next = tokens[i + 1];
    if (next?.kind !== 'positional') throw new ToolError(`--multi ${t.value ?? ''}: give the op and its JSON request: --multi OP REQUEST`, EXIT_USAGE);
    multi.push([t.value!, next.value]);
    taken.add(next.index);
  }
  const rest = tokens.filter((t) => t.kind === 'positional' && !taken.has(t.index)).map((t) => (t as { value: string }).value);
  if (multi.length > 0 && command !== 'do') throw new ToolError('--multi is an option of nlgen do', EXIT_USAGE);
  void positionals;
  const v = values as Record<string, string | boolean | string[] | undefined>;
  const timeout = (v.timeout ?? v.duration) as string | undefined;
  return {
    positionals: rest,
    help: v.help === true,
    options: {
      family: v.family as string | undefined,
      spec: v.spec as string | undefined,
      specs: v.specs as string[] | undefined,
      overlays: v.overlay as string[] | undefined,
      json: v.json as string | undefined,
      netns: v.netns as string | undefined,
      timeoutMs: timeout === undefined ? undefined : parseDuration(timeout, v.timeout !== undefined ? '--timeout' : '--duration'),
      count: parseCount(v.count as string | undefined),
      output: parseOutput(v.output as string | undefined),
      create: v.create === true,
      excl: v.excl === true,
      replace: v.replace === true,
      append: v.append === true,
      echo: v.echo === true,
      strictDecoding: v['strict-decoding'] === true,
      receiveLimit: parseReceiveLimit(v['dbg-small-recv'] as string | undefined),
      multi: multi.length > 0 ? multi : undefined,
    },
  };
}

/** Runs family command `command` with `args`; returns the exit code (ToolErrors are reported by the caller). */
export async function runToolCommand(command: string, args: string[], out: ToolOutput): Promise<number> {
  if (command === 'do' || command === 'dump' || command === 'subscribe') {
    const { positionals, options, help } = opOptions(command, args);
    if (help) {
      await out.write(toolUsage[command]!);
      return 0;
    }
    const ops = await import('./op-commands.js');
    if (command === 'subscribe') return ops.runSubscribe(positionals, options, out);
    if (command === 'do' && options.multi !== undefined) {
      if (positionals.length > 0) throw new ToolError(`with --multi, give no op outside it (got ${positionals.join(' ')})`, EXIT_USAGE);
      return ops.runDo('', options, out);
    }
    if (positionals.length !== 1) throw new ToolError(`give exactly one op (got ${positionals.length === 0 ? 'none' : positionals.join(' ')})\n\n${toolUsage[command]}`, EXIT_USAGE);
    return command === 'do' ? ops.runDo(positionals[0]!, options, out) : ops.runDump(positionals[0]!, options, out);
  }
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    strict: true,
    options: { ...familyOptions, ...(command === 'policy' || command === 'doctor' ? kernelOptions : {}) },
  });
  const v = values as Record<string, string | boolean | string[] | undefined>;
  if (v.help === true) {
    await out.write(toolUsage[command]!);
    return 0;
  }
  const o = { family: v.family as string | undefined, spec: v.spec as string | undefined, specs: v.specs as string[] | undefined, overlays: v.overlay as string[] | undefined, output: parseOutput(v.output as string | undefined), netns: v.netns as string | undefined };
  const most = command === 'list-attrs' || command === 'policy' ? 1 : 0;
  if (positionals.length > most) throw new ToolError(`unexpected ${positionals.slice(most).join(' ')}\n\n${toolUsage[command]}`, EXIT_USAGE);
  switch (command) {
    case 'list-families':
      return (await import('./list-commands.js')).listFamilies(o, out);
    case 'list-ops':
      return (await import('./list-commands.js')).listOps(o, out);
    case 'list-msgs':
      return (await import('./list-commands.js')).listMsgs(o, out);
    case 'list-attrs':
      return (await import('./list-commands.js')).listAttrs(positionals[0], o, out);
    case 'policy':
      return (await import('./policy-command.js')).runPolicy(positionals[0], o, out);
    case 'doctor':
      return (await import('./doctor.js')).runDoctor(o, out);
  }
  throw new ToolError(`unknown command ${command}`, EXIT_USAGE);
}
