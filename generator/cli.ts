// The `nlgen` command line: a dispatcher over subcommands. Every failure becomes a message and an exit
// code; no stack trace ever reaches the user.
import { fileURLToPath } from 'node:url';
import { compareSpecErrors, formatSpecError, type SpecError } from './diagnostics.js';
import type { Family } from './model.js';
import type { OutputFiles } from './write-output.js';
import { flushed, stderr, stdout } from './tool/process-streams.js';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { existsSync, readFileSync, statSync, watch: fsWatch } = process.getBuiltinModule('node:fs');
const { parseArgs } = process.getBuiltinModule('node:util');
// The spec reader (yaml, ajv) and the emitter (handlebars) are imported when a command needs them: `nlgen dump` of a
// shipped family loads neither, and starts that much faster.

/** Where the CLI writes (swappable so tests can run it in-process). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (t) => void stdout().write(t),
  err: (t) => void stderr().write(t),
};

/** Exit codes: 0 success, 1 internal failure, 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** Top-level usage text. */
export const usage = `Usage:
  nlgen <spec files or folders>... [--out DIR]   generate one typed client module per family (DIR: generated/)
        [--check]    exit 1 when DIR differs from what the specs produce; write nothing
        [--strict]   treat warnings (e.g. an op naming an attribute its set lacks) as errors
        [--watch]    regenerate whenever a spec changes (errors are printed; the last good output stays)
        [--overlay PATH]  apply the overlay files in PATH (a file or a folder; repeatable) to the specs they name
                     before validating them: corrections to upstream specs without editing them; @upstream is
                     the folder nlgen ships for the kernel's own specs
  nlgen validate <spec files or folders>... [--strict]   check specs; print one line per family
  nlgen docs <spec files or folders>... [--out DIR] [--check]   Markdown reference pages (DIR: docs/families/)
  nlgen do|dump OP --family NAME [--json REQUEST]   call a family's op from the shell (see nlgen do --help)
  nlgen subscribe GROUP... --family NAME       print a family's notifications
  nlgen list-families | list-ops | list-msgs | list-attrs OP   what the families and their ops are
  nlgen policy OP --family NAME                the running kernel's attribute policy of an op
  nlgen doctor --family NAME | --spec FILE     check a spec against the running kernel
  nlgen --version                              print nlgen's version
  nlgen --help                                 show this help

Folders are searched for *.yaml and *.yml files. Errors are printed as
file:line:col: message (at /json/pointer), and the exit code is 2.
`;

/** Usage of `nlgen validate`. */
export const validateUsage = `Usage: nlgen validate <spec files or folders>... [--strict] [--overlay PATH]

Loads, validates and resolves each spec (YAML syntax, the schema of its protocol level, references, numbering,
names and values the generated code and the wire can carry) and prints one line per family:
  ok rt-link (netlink-raw, 20 attribute sets, 14 ops)
Problems are printed as file:line:col: message (at /json/pointer); the exit code is then 2.
--strict  treat warnings as errors (exit 2)
--overlay PATH  apply overlay files (a file or folder; repeatable) to the specs they name first
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

/** Subcommands by name; anything else is the default command, generation. */
const commands: Record<string, Command> = {
  validate: validateCommand,
  docs: docsCommand,
};

/** The family commands (generator/tool/): loaded only when one runs. */
const TOOL_COMMANDS = new Set(['do', 'dump', 'subscribe', 'list-families', 'list-ops', 'list-msgs', 'list-attrs', 'policy', 'doctor']);

/** Runs a family command; its ToolErrors become one message (prefixed `nlgen <command>:`) and their exit code. */
async function toolCommand(name: string, args: string[], io: CliIo): Promise<number> {
  const { runToolCommand } = await import('./tool/commands.js');
  const { ToolError } = await import('./tool/tool-error.js');
  const out = io === processIo ? (await import('./tool/op-commands.js')).processOutput() : { write: io.out, err: io.err };
  try {
    return await runToolCommand(name, args, out);
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    // Spec errors already start with file:line:col; everything else is prefixed with the command.
    if (e.message !== '') io.err(`${/^[^\s]+:\d+:\d+: /.test(e.message) ? '' : `nlgen ${name}: `}${e.message}\n`);
    return e.exitCode;
  }
}

/** Usage of `nlgen docs`. */
export const docsUsage = `Usage: nlgen docs <spec files or folders>... [--out DIR] [--check] [--strict] [--overlay PATH]

Writes a Markdown reference page per family (operations with their request and reply attributes, attribute sets,
enums and flags, structs, multicast groups, notifications) and an index.md into DIR (default docs/families).
--check  exit 1 when DIR differs from what the specs produce; write nothing
--strict treat warnings as errors (exit 2)
`;

async function docsCommand(args: string[], io: CliIo): Promise<number> {
  const opts = commandArgs(args, { out: { type: 'string', short: 'o' }, check: { type: 'boolean' }, strict: { type: 'boolean' }, overlay: { type: 'string', multiple: true } }, io, docsUsage, 'nlgen docs');
  if (typeof opts === 'number') return opts;
  const families = await readOrReport(opts.positionals, opts.values.strict === true, io, 'nlgen docs', opts.values.overlay);
  if (!families) return EXIT_BAD_INPUT;
  // Loaded here, not at the top: generation and validation never need the docs templates.
  const { docFileName, printDocsIndex, printFamilyDoc } = await import('./print-docs.js');
  const files: OutputFiles = new Map(families.map((f) => [docFileName(f), printFamilyDoc(f)]));
  files.set('index.md', printDocsIndex(families));
  const out = opts.values.out ?? 'docs/families';
  const r = await emitFiles(files, out, opts.values.check === true, 'nlgen docs', 'pages', `nlgen docs ${opts.positionals.join(' ')} --out ${out}`, io);
  if (r.written !== undefined) io.out(`nlgen docs: ${familiesText(families.length)} → ${out} (${r.written} written, ${r.removed} removed, ${files.size - r.written} unchanged)\n`);
  return r.code;
}

/** The version in nlgen's package.json. */
export function version(): string {
  // generator/package.json: beside the sources (tests), one level up from dist/ (the built CLI).
  for (const rel of ['./package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'nlgen' && pkg.version) return pkg.version;
    } catch {
      /* try the next location (sources vs dist) */
    }
  }
  return 'unknown';
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws and never
 * prints a stack trace.
 */
/**
 * Ends the process with `code` at once when nothing written is still queued (else when Node's event loop empties, as
 * usual): the command is done, and Node's teardown of its handles, heap and threads is a few ms of a short command.
 */
export function exit(code: number): void {
  if (flushed()) process.exit(code);
  process.exitCode = code;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      (first === undefined ? io.err : io.out)(usage);
      return first === undefined ? EXIT_BAD_INPUT : EXIT_OK;
    }
    if (first === '--version' || first === '-V') {
      io.out(`nlgen ${version()}\n`);
      return EXIT_OK;
    }
    if (TOOL_COMMANDS.has(first)) return await toolCommand(first, rest, io);
    const command = commands[first];
    // Not a subcommand: the default command generates from the given paths.
    if (!command) return await generateCommand(argv, io);
    return await command(rest, io);
  } catch (e) {
    io.err(`nlgen: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

/** Parses options with node:util; a parse failure is one line and the usage, exit 2. */
function parseOptions<T extends Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>>(
  args: string[],
  options: T,
  io: CliIo,
  help: string,
  prefix: string,
): { values: { [K in keyof T]?: T[K]['type'] extends 'string' ? (T[K]['multiple'] extends true ? string[] : string) : boolean }; positionals: string[] } | undefined {
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options });
    return { values: values as never, positionals };
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    io.err(`${prefix}: ${unknown ? `unknown option ${unknown[1]}` : message.split('\n')[0]}\n\n${help}`);
    return undefined;
  }
}

/**
 * A subcommand's arguments: parsed, `--help` answered, at least one spec path required. Returns the exit code to stop
 * with instead when the command should not run.
 */
function commandArgs<T extends Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>>(
  args: string[],
  options: T,
  io: CliIo,
  help: string,
  prefix: string,
): { values: { [K in keyof T]?: T[K]['type'] extends 'string' ? (T[K]['multiple'] extends true ? string[] : string) : boolean }; positionals: string[] } | number {
  const opts = parseOptions(args, { ...options, help: { type: 'boolean', short: 'h' } }, io, help, prefix);
  if (!opts) return EXIT_BAD_INPUT;
  if (opts.values.help) {
    io.out(help);
    return EXIT_OK;
  }
  if (opts.positionals.length === 0) {
    io.err(`${prefix}: give at least one spec file or folder\n\n${help}`);
    return EXIT_BAD_INPUT;
  }
  return opts as never;
}

/**
 * Writes `files` into `out` (all or nothing), or with `check` compares them with it. `what` names the files in
 * messages (`modules`, `pages`), `rerun` is the command that regenerates them.
 */
async function emitFiles(files: OutputFiles, out: string, check: boolean, prefix: string, what: string, rerun: string, io: CliIo): Promise<{ code: number; written?: number; removed?: number }> {
  const { checkOutput, OutputError, writeOutput } = await import('./write-output.js');
  if (check) {
    if (existsSync(out) && !statSync(out).isDirectory()) {
      io.err(`${prefix} --check: ${out} is not a folder\n`);
      return { code: EXIT_INTERNAL };
    }
    const problems = checkOutput(out, files);
    if (problems.length > 0) {
      io.err(`${prefix} --check: ${out} is out of date with the specs:\n${problems.join('\n')}\nrun: ${rerun}\n`);
      return { code: 1 };
    }
    io.out(`${prefix} --check: ${files.size} ${what} in ${out} match the specs\n`);
    return { code: EXIT_OK };
  }
  try {
    const { written, removed } = writeOutput(out, files);
    return { code: EXIT_OK, written: written.length, removed: removed.length };
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    io.err(`${prefix}: ${e.message}\n`);
    return { code: EXIT_INTERNAL };
  }
}

/** `1 family` / `2 families`. */
const familiesText = (n: number) => `${n} ${n === 1 ? 'family' : 'families'}`;

/** Reads specs; prints warnings (errors under --strict) and errors. Undefined when there were errors. */
async function readOrReport(paths: string[], strict: boolean, io: CliIo, prefix: string, overlays?: string[]): Promise<Family[] | undefined> {
  const { readFamilies } = await import('./read-families.js');
  const { families, errors, warnings } = readFamilies(paths, { overlays });
  const all = strict ? [...errors, ...warnings.map((w) => ({ ...w, message: `${w.message} (an error under --strict)` }))] : errors;
  if (!strict) for (const w of warnings) io.err(formatWarning(w) + '\n');
  if (all.length > 0) {
    for (const e of all.sort(compareSpecErrors)) io.err(formatSpecError(e) + '\n');
    io.err(`${prefix}: ${all.length} error${all.length === 1 ? '' : 's'}\n`);
    return undefined;
  }
  return families;
}

async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const opts = commandArgs(args, { strict: { type: 'boolean' }, overlay: { type: 'string', multiple: true } }, io, validateUsage, 'nlgen validate');
  if (typeof opts === 'number') return opts;
  const families = await readOrReport(opts.positionals, opts.values.strict === true, io, 'nlgen validate', opts.values.overlay);
  if (!families) return EXIT_BAD_INPUT;
  for (const f of families) io.out(summary(f) + '\n');
  return EXIT_OK;
}

function formatWarning(w: SpecError): string {
  return formatSpecError({ ...w, message: `warning: ${w.message}` });
}

/** `ok rt-link (netlink-raw, 20 attribute sets, 14 ops)` */
export function summary(f: Family): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  const ops = f.operations.list.filter((o) => o.do || o.dump || o.notify || o.event).length;
  return `ok ${f.name} (${f.protocol}, ${n(f.attributeSets.length, 'attribute set')}, ${n(ops, 'op')})`;
}

/** `nlgen <paths> [--out dir] [--check] [--strict] [--watch]`: generate modules, or check that they are in sync. */
async function generateCommand(args: string[], io: CliIo): Promise<number> {
  const opts = commandArgs(
    args,
    { out: { type: 'string', short: 'o' }, check: { type: 'boolean' }, strict: { type: 'boolean' }, watch: { type: 'boolean' }, overlay: { type: 'string', multiple: true } },
    io,
    usage,
    'nlgen',
  );
  if (typeof opts === 'number') return opts;
  const { values, positionals } = opts;
  if (values.watch && values.check) {
    io.err(`nlgen: --watch and --check do not go together\n\n${usage}`);
    return EXIT_BAD_INPUT;
  }
  const out = values.out ?? 'generated';
  const once = (): Promise<number> => generateOnce(positionals, out, values.out === undefined, values.check === true, values.strict === true, io, values.overlay as string[] | undefined);
  if (!values.watch) return once();
  return watch(positionals, once, io);
}

async function generateOnce(positionals: string[], out: string, defaultOut: boolean, check: boolean, strict: boolean, io: CliIo, overlays?: string[]): Promise<number> {
  const families = await readOrReport(positionals, strict, io, 'nlgen', overlays);
  const { moduleFileName, printFamilyModule, printIndexModule } = await import('./print-module.js');
  if (!families) return EXIT_BAD_INPUT;
  const files: OutputFiles = new Map();
  for (const f of families) files.set(`${moduleFileName(f)}.ts`, printFamilyModule(f));
  files.set('index.ts', printIndexModule(families));
  const r = await emitFiles(files, out, check, 'nlgen', 'modules', `nlgen ${positionals.join(' ')} --out ${out}`, io);
  if (r.written !== undefined) {
    const where = `${out}${defaultOut ? ' (the default; --out DIR to choose)' : ''}`;
    io.out(`nlgen: ${familiesText(families.length)} → ${where} (${r.written} written, ${r.removed} removed, ${files.size - r.written} unchanged)\n`);
  }
  return r.code;
}

/**
 * Regenerates whenever a spec file changes (fs.watch on each file and folder, debounced), until SIGINT/SIGTERM. A run
 * with errors prints them and writes nothing, so the last good output stays; generation itself is all or nothing.
 */
async function watch(paths: string[], once: () => Promise<number>, io: CliIo): Promise<number> {
  await once();
  io.out(`nlgen: watching ${paths.join(', ')} (Ctrl-C stops)\n`);
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const kick = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      io.out(`nlgen: change seen, regenerating\n`);
      void once();
    }, 100);
  };
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const watchers = paths.map((p) => fsWatch(p, { signal: ac.signal }, (_event, name) => {
    if (name === null || /\.ya?ml$/.test(String(name)) || !statSync(p).isDirectory()) kick();
  }));
  await new Promise<void>((resolve) => ac.signal.addEventListener('abort', () => resolve(), { once: true }));
  clearTimeout(timer);
  for (const w of watchers) w.close();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return EXIT_OK;
}
