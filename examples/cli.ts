// Small helpers the example programs share: argument parsing with --help, and link words as iproute2 prints them.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Options every example accepts. */
export const commonOptions = {
  netns: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** The typed values parseArgs returns for `O`. */
export type CliValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: false; strict: true }>>['values'];

/**
 * Parses `process.argv` with node:util parseArgs. Prints `usage` and exits 0 on --help; prints the error and the
 * usage and exits 2 on a bad argument.
 */
export function parseCli<O extends Options>(options: O, usage: string): CliValues<O> {
  try {
    const parsed = parseArgs<{ options: O; allowPositionals: false; strict: true }>({ options, allowPositionals: false, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(usage);
      process.exit(0);
    }
    return parsed.values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** Ends the process quietly when stdout's reader goes away (`links | head`), as command-line tools do. */
export function exitOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Operational states, indexed by IF_OPER_* (linux/if.h), in the words `ip` uses. */
export const OPERSTATE_NAMES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;

/** The word `ip` prints for an operational state number. */
export function operstateName(n: number | undefined): string {
  return n === undefined ? 'UNKNOWN' : (OPERSTATE_NAMES[n] ?? String(n));
}

// Our spec's IFF_* flag names → the words iproute2 prints, in the order it prints them (ip/ipaddress.c
// print_link_flags). IFF_RUNNING is not printed; an interface that is up but not running shows NO-CARRIER.
const IP_FLAG_ORDER: readonly (readonly [string, string])[] = [
  ['loopback', 'LOOPBACK'],
  ['broadcast', 'BROADCAST'],
  ['point-to-point', 'POINTOPOINT'],
  ['multicast', 'MULTICAST'],
  ['no-arp', 'NOARP'],
  ['all-multi', 'ALLMULTI'],
  ['promisc', 'PROMISC'],
  ['master', 'MASTER'],
  ['slave', 'SLAVE'],
  ['debug', 'DEBUG'],
  ['dynamic', 'DYNAMIC'],
  ['auto-media', 'AUTOMEDIA'],
  ['portsel', 'PORTSEL'],
  ['no-trailers', 'NOTRAILERS'],
  ['up', 'UP'],
  ['lower-up', 'LOWER_UP'],
  ['dormant', 'DORMANT'],
  ['echo', 'ECHO'],
];

/**
 * Interface flags as decoded by the rt-link client (names, unknown bits as numbers) → the words `ip` prints;
 * `linkedDown` adds M-DOWN, which ip shows when the linked (peer or lower) device is not up.
 */
export function ipFlagWords(flags: readonly (string | number)[], linkedDown = false): string[] {
  const set = new Set(flags);
  const out: string[] = [];
  if (set.has('up') && !set.has('running')) out.push('NO-CARRIER');
  for (const [name, word] of IP_FLAG_ORDER) if (set.has(name)) out.push(word);
  let unknown = 0;
  for (const f of flags) if (typeof f === 'number') unknown |= f;
  if (unknown !== 0) out.push(unknown.toString(16));
  // M-DOWN: the device this one is paired with or stacked on is down.
  if (linkedDown) out.push('M-DOWN');
  return out;
}

/** JSON.stringify that writes bigints as numbers when they are safe integers and as strings otherwise, bytes as hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : v,
  );
}

/** Left-aligns `cells` into columns at least `widths` wide (the last cell is not padded). */
export function columns(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join(' ');
}
