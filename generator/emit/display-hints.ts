// Display hints (`ipv4`, `ipv6`, `mac`, `uuid` …): the runtime helper that shows bytes as text, and the one that parses text back.
import type { EmitContext } from './context.js';

/** The runtime call showing payload `[q, e)` of `d` as text for a display hint; undefined for hints shown as bytes. */
export function hintRead(ctx: EmitContext, hint: string | undefined, d: string, q: string, e: string): string | undefined {
  switch (hint) {
    case 'ipv4':
      return `rt.ipv4String(${d}, ${q}, ${e})`;
    case 'ipv6':
      return `rt.ipv6String(${d}, ${q}, ${e})`;
    case 'ipv4-or-v6':
      return `rt.ipString(${d}, ${q}, ${e})`;
    case 'mac':
      return `rt.macString(${d}, ${q}, ${e})`;
    case 'uuid':
      return `rt.uuidString(${d}, ${q}, ${e})`;
    default:
      return undefined;
  }
}

/** The runtime call parsing the text form of a display hint back to bytes; undefined for hints without one. */
export function hintParse(ctx: EmitContext, hint: string | undefined, val: string, path: string): string | undefined {
  switch (hint) {
    case 'ipv4':
      return `rt.parseIpv4(${val}, ${path})`;
    case 'ipv6':
      return `rt.parseIpv6(${val}, ${path})`;
    case 'ipv4-or-v6':
      return `rt.parseIp(${val}, ${path})`;
    case 'mac':
      return `rt.parseMac(${val}, ${path})`;
    case 'uuid':
      return `rt.parseUuid(${val}, ${path})`;
    default:
      return undefined;
  }
}

