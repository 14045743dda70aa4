// Maps the kernel's bad-attribute offset (extended ACK) back to a named attribute path inside the encoded request.
import { AttrCursor } from './attrs.js';

/** The payload window of one attribute, handed to `describe`. */
export interface AttrPayload {
  data: Uint8Array;
  view: DataView;
  start: number;
  end: number;
  /** nla_type with flag bits (NLA_F_NESTED …). */
  rawType: number;
}

/**
 * Names one attribute at one nesting level: `ctx` is the caller's state for the level (e.g. the attribute set),
 * `type` the masked attribute type. Return the name and, when the attribute holds nested attributes, the context for
 * its children (`child`); return undefined for an attribute the caller does not know.
 */
export type AttrDescriber<C> = (
  ctx: C,
  type: number,
  payload: AttrPayload,
) => { name: string; child?: C; childStart?: number } | undefined;

/**
 * Walks the attributes of `request` (a whole message, nlmsghdr included) from `attrsStart`, descending into the
 * attribute that contains `badOffset` (an offset from the start of the request, as the kernel reports it), and
 * returns the dotted path of names (`linkinfo.data.port`; names starting with `[` are joined without a dot, for
 * array indexes). `rootCtx` is passed to `describe` for the top level. `childStart` lets `describe` skip a fixed header inside a nested payload. Returns undefined when the
 * offset does not fall on an attribute or the first level is unknown; stops at the deepest level it can name.
 */
export function attrPathAt<C>(
  request: Uint8Array,
  attrsStart: number,
  badOffset: number,
  describe: AttrDescriber<C>,
  rootCtx?: C,
): string | undefined {
  if (badOffset < attrsStart || badOffset >= request.length) return undefined;
  const view = new DataView(request.buffer, request.byteOffset, request.length);
  const parts: string[] = [];
  let ctx = rootCtx as C;
  let start = attrsStart;
  let end = request.length;
  const c = new AttrCursor();
  try {
    for (;;) {
      c.reset(view, start, end);
      let found = false;
      while (c.next()) {
        const attrEnd = c.offset + ((c.end - c.offset + 3) & ~3);
        if (badOffset < c.offset || badOffset >= Math.max(attrEnd, c.end)) continue;
        found = true;
        const d = describe(ctx, c.type, { data: request, view, start: c.start, end: c.end, rawType: c.rawType });
        if (!d) return join(parts);
        parts.push(d.name);
        // The offset points at this attribute's header (or its payload, for value errors): stop here,
        // unless it lies inside a nested payload that the caller can name further.
        if (badOffset < c.start || d.child === undefined) return join(parts);
        const inner = d.childStart ?? c.start;
        if (badOffset < inner) return join(parts);
        ctx = d.child;
        start = inner;
        end = c.end;
        break;
      }
      if (!found) return join(parts);
    }
  } catch {
    // A malformed request cannot be walked further; report what was named so far.
  }
  return join(parts);
}

function join(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) out += parts[i].startsWith('[') ? parts[i] : `.${parts[i]}`;
  return out;
}
