// The `nlgen` command line: a dispatcher over subcommands. Every failure becomes a message and an exit
// code; no stack trace ever reaches the user.
import { parseArgs } from 'node:util';
import { formatSpecError, type SpecError } from './diagnostics.js';
import type { Family } from './model.js';
import { readFamilies } from './read-families.js';
import { moduleFileName, printFamilyModule, printIndexModule } from './print-module.js';
import { existsSync, statSync } from 'node:fs';
import { checkOutput, OutputError, writeOutput, type OutputFiles } from './write-output.js';

/** Where the CLI writes (swappable so tests can run it in-process). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** Exit codes: 0 success, 1 internal failure, 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** Top-level usage text. */
export const usage = `Usage:
  nlgen <spec files or folders>... [--out generated/]   generate one typed client module per family
  nlgen --check <spec files or folders>... [--out dir]  exit 1 when the modules differ from what the specs produce
  nlgen validate <spec files or folders>...   check YNL specs; print one line per family
  nlgen --help                                show this help

Folders are searched for *.yaml and *.yml files. Errors are printed as
file:line:col: message (at /json/pointer), and the exit code is 2.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

/** Subcommands by name. The default (generate) command is not wired yet. */
const commands: Record<string, Command> = {
  validate: validateCommand,
};

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws and never
 * prints a stack trace.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      (first === undefined ? io.err : io.out)(usage);
      return first === undefined ? EXIT_BAD_INPUT : EXIT_OK;
    }
    const command = commands[first];
    // Not a subcommand: the default command generates from the given paths.
    if (!command) return await generateCommand(argv, io);
    return await command(rest, io);
  } catch (e) {
    io.err(`nlgen: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

/** Parses options with node:util, turning parse failures into a usage error. */
function parse(args: string[], io: CliIo): { help: boolean; positionals: string[] } | undefined {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    return { help: values.help === true, positionals };
  } catch (e) {
    io.err(`nlgen: ${(e as Error).message}\n\n${usage}`);
    return undefined;
  }
}

async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const opts = parse(args, io);
  if (!opts) return EXIT_BAD_INPUT;
  if (opts.help) {
    io.out(usage);
    return EXIT_OK;
  }
  if (opts.positionals.length === 0) {
    io.err(`nlgen validate: give at least one spec file or folder\n\n${usage}`);
    return EXIT_BAD_INPUT;
  }
  const { families, errors, warnings } = readFamilies(opts.positionals);
  for (const w of warnings) io.err(formatWarning(w) + '\n');
  if (errors.length > 0) {
    for (const e of errors) io.err(formatSpecError(e) + '\n');
    io.err(`nlgen validate: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
    return EXIT_BAD_INPUT;
  }
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

/** `nlgen <paths> [--out dir] [--check]`: generate modules, or check that they are in sync. */
async function generateCommand(args: string[], io: CliIo): Promise<number> {
  let values: { out?: string; check?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { out: { type: 'string', short: 'o' }, check: { type: 'boolean' } },
    }));
  } catch (e) {
    io.err(`nlgen: ${(e as Error).message}\n\n${usage}`);
    return EXIT_BAD_INPUT;
  }
  if (positionals.length === 0) {
    io.err(`nlgen: give at least one spec file or folder\n\n${usage}`);
    return EXIT_BAD_INPUT;
  }
  const { families, errors, warnings } = readFamilies(positionals);
  for (const w of warnings) io.err(formatWarning(w) + '\n');
  if (errors.length > 0) {
    for (const e of errors) io.err(formatSpecError(e) + '\n');
    io.err(`nlgen: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
    return EXIT_BAD_INPUT;
  }
  const files: OutputFiles = new Map();
  for (const f of families) {
    const name = `${moduleFileName(f)}.ts`;
    if (files.has(name)) {
      io.err(`nlgen: two specs define family ${f.name}\n`);
      return EXIT_BAD_INPUT;
    }
    files.set(name, printFamilyModule(f));
  }
  files.set('index.ts', printIndexModule(families));
  const out = values.out ?? 'generated';
  if (values.check) {
    if (existsSync(out) && !statSync(out).isDirectory()) {
      io.err(`nlgen --check: ${out} is not a folder\n`);
      return EXIT_INTERNAL;
    }
    const problems = checkOutput(out, files);
    if (problems.length > 0) {
      io.err(`nlgen --check: ${out} is out of date with the specs:\n${problems.join('\n')}\nrun: nlgen ${positionals.join(' ')} --out ${out}\n`);
      return 1;
    }
    io.out(`nlgen --check: ${files.size} modules in ${out} match the specs\n`);
    return EXIT_OK;
  }
  let result: { written: string[]; removed: string[] };
  try {
    result = writeOutput(out, files);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    io.err(`nlgen: ${e.message}\n`);
    return EXIT_INTERNAL;
  }
  const { written, removed } = result;
  const n = families.length;
  io.out(`nlgen: ${n} ${n === 1 ? 'family' : 'families'} → ${out}${values.out === undefined ? ' (the default; --out DIR to choose)' : ''} (${written.length} written, ${removed.length} removed, ${files.size - written.length} unchanged)\n`);
  return EXIT_OK;
}
