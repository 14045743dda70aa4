// Socket-free encoders and decoders of generated families: the same code the clients run, reachable on its own so
// an application can build a message payload, decode a captured one, or test a spec without a kernel.
import { AttrWriter } from '../wire/attrs.js';
import { asDecodeError, asValidationError, isTypedArray, LENIENT, STRICT, type DecodeContext } from './codec-support.js';
import { jsonText } from './json-text.js';
import { jsonString, type JsonOut } from './json-out.js';

/**
 * Values of selector attributes that live outside the bytes being coded, keyed by the selector attribute's spec name
 * (e.g. `{ kind: 'vxlan' }` to code a `linkinfo-data` payload on its own). Selectors inside the bytes need none.
 */
export type SelectorValues = Readonly<Record<string, string | number>>;

/** Options of an attribute-set encoder. */
export interface CodecEncodeOptions {
  /** Selector values for sub-messages chosen by an attribute outside `value`. */
  selectors?: SelectorValues;
}

/** Options of a decoder. */
export interface CodecDecodeOptions {
  /** Reject attributes the spec does not describe (a `DecodeError`) instead of keeping them in `$unknown`. */
  strict?: boolean;
  /** Selector values for sub-messages chosen by an attribute outside the bytes. */
  selectors?: SelectorValues;
}

/** Encoder and decoder of one attribute set: a run of attributes with no header in front. */
export interface AttrSetCodec<T> {
  /** Spec name of the attribute set. */
  readonly set: string;
  /** The attributes of `value`, checked against the spec first (a `ValidationError` names the bad property). */
  encode(value: T, options?: CodecEncodeOptions): Uint8Array;
  /** The attributes in `bytes`. Malformed input raises `DecodeError`. */
  decode(bytes: Uint8Array, options?: CodecDecodeOptions): T;
}

/** Encoder and decoder of one fixed-layout C struct. */
export interface StructCodec<T> {
  /** Spec name of the struct. */
  readonly struct: string;
  /** `sizeof` the struct: what `encode` writes (plus `$extra`). */
  readonly size: number;
  /** The struct's bytes; missing fields are zero. */
  encode(value: Partial<T>): Uint8Array;
  /** The struct in `bytes`: a short payload reads as zero-filled, bytes past `size` are kept in `$extra`. */
  decode(bytes: Uint8Array): T;
}

/**
 * Where an operation mode's messages sit on the wire, for tools that build or read them without a client (the mock
 * kernel): message ids, and the keys of the fixed header and attribute set in the codecs' `structs` and
 * `attributeSets`.
 */
export interface MessageLayout {
  /** The request's message type (netlink-raw) or command (genetlink). */
  readonly request: number;
  /** The reply's, when the op has a reply. */
  readonly reply: number | undefined;
  /** Key of the fixed header in `structs`. */
  readonly header: string | undefined;
  /** Key of the attribute set in `attributeSets`. */
  readonly attributes: string | undefined;
}

/** A notification's wire layout (see `MessageLayout`) and the multicast group it is sent to. */
export interface NotificationLayout {
  /** Spec name of the notification (its `name` in the client's notification union). */
  readonly name: string;
  /** Message type (netlink-raw) or command (genetlink). */
  readonly type: number;
  readonly header: string | undefined;
  readonly attributes: string | undefined;
  /** Spec name of its multicast group, when the spec says. */
  readonly group: string | undefined;
}

/** Encoder of one operation's request (`do` or `dump`) for an operation the kernel answers with an ack only. */
export interface RequestCodec<Req> {
  /** The request payload after the 16-byte `nlmsghdr`: genlmsghdr (genetlink), fixed header, attributes. */
  encodeRequest(request: Req): Uint8Array;
  /** Where the request's (and reply's) parts sit (absent on codecs built by hand). */
  readonly layout?: MessageLayout;
}

/** Encoder of one operation's request and decoder of its reply (`do` or `dump`). */
export interface MessageCodec<Req, Rep> extends RequestCodec<Req> {
  /** A reply payload (everything after the `nlmsghdr`, genlmsghdr included for genetlink) as the client returns it. */
  decodeReply(payload: Uint8Array, options?: CodecDecodeOptions): Rep;
  /**
   * The same reply as one line of nlgen's JSON (see {@link jsonText}), written from the bytes without decoding them
   * into objects: equal to `jsonText(decodeReply(payload, options))`, and failing where that fails.
   */
  replyToJson(payload: Uint8Array, options?: CodecDecodeOptions): string;
}

/** The parts of a received message a generated decoder reads. */
export interface MessageBytes {
  data: Uint8Array;
  view: DataView;
  start: number;
  end: number;
}

// `Partial<T>` as the generated encoders declare it: the same instantiated type, so checking a codec costs tsc no
// property-by-property comparison of T against Partial<T>.
type SetEncoder<T> = (w: AttrWriter, value: Partial<T>, path: string, sel: Record<string, unknown>) => void;
type SetDecoder<T> = (d: Uint8Array, v: DataView, p: number, end: number, c: DecodeContext) => T;

const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function contextOf(options: CodecDecodeOptions | undefined): DecodeContext {
  const base = options?.strict ? STRICT : LENIENT;
  if (options?.selectors === undefined) return base;
  return { strict: base.strict, sel: { ...options.selectors } };
}

function checkBytesInput(bytes: unknown): Uint8Array {
  if (!isTypedArray(bytes, Uint8Array)) throw new TypeError('expected a Uint8Array');
  return bytes;
}

/** Wraps a generated attribute-set encoder and decoder as an {@link AttrSetCodec}. */
export function attrSetCodec<T>(set: string, encode: SetEncoder<T>, decode: SetDecoder<T>): AttrSetCodec<T> {
  return Object.freeze({
    set,
    encode(value: T, options?: CodecEncodeOptions): Uint8Array {
      const w = new AttrWriter();
      try {
        encode(w, value, '', { ...options?.selectors });
        return w.finish();
      } catch (e) {
        throw asValidationError(e);
      }
    },
    decode(bytes: Uint8Array, options?: CodecDecodeOptions): T {
      const b = checkBytesInput(bytes);
      try {
        return decode(b, viewOf(b), 0, b.length, contextOf(options));
      } catch (e) {
        throw asDecodeError(e, 0);
      }
    },
  });
}

/** Wraps a generated struct encoder and decoder as a {@link StructCodec}. */
export function structCodec<T>(
  struct: string,
  size: number,
  encode: (w: AttrWriter, value: Partial<T>, path: string) => void,
  decode: (d: Uint8Array, v: DataView, p: number, e: number) => T,
): StructCodec<T> {
  return Object.freeze({
    struct,
    size,
    encode(value: Partial<T>): Uint8Array {
      const w = new AttrWriter();
      try {
        encode(w, value, '');
        return w.finish();
      } catch (e) {
        throw asValidationError(e);
      }
    },
    decode(bytes: Uint8Array): T {
      const b = checkBytesInput(bytes);
      try {
        return decode(b, viewOf(b), 0, b.length);
      } catch (e) {
        throw asDecodeError(e, 0);
      }
    },
  });
}

/** Wraps a generated request encoder as a {@link RequestCodec}. */
export function requestCodec<Req>(encodeRequest: (request: Req) => Uint8Array, layout?: MessageLayout): RequestCodec<Req> {
  return Object.freeze({ encodeRequest, layout });
}

/** Wraps a generated request encoder and reply decoder as a {@link MessageCodec}. */
export function messageCodec<Req, Rep>(
  encodeRequest: (request: Req) => Uint8Array,
  decodeReply: (m: MessageBytes, c: DecodeContext) => Rep,
  layout?: MessageLayout,
  replyToJson?: (w: JsonOut, m: MessageBytes, c: DecodeContext) => void,
): MessageCodec<Req, Rep> {
  const run = <T>(payload: Uint8Array, options: CodecDecodeOptions | undefined, f: (m: MessageBytes, c: DecodeContext) => T): T => {
    const b = checkBytesInput(payload);
    try {
      return f({ data: b, view: viewOf(b), start: 0, end: b.length }, contextOf(options));
    } catch (e) {
      throw asDecodeError(e, 0);
    }
  };
  return Object.freeze({
    encodeRequest,
    layout,
    decodeReply: (payload: Uint8Array, options?: CodecDecodeOptions): Rep => run(payload, options, decodeReply),
    replyToJson: (payload: Uint8Array, options?: CodecDecodeOptions): string =>
      run(payload, options, replyToJson ? (m, c) => jsonString((w: JsonOut, x: MessageBytes) => replyToJson(w, x, c), m) : (m, c) => jsonText(decodeReply(m, c))),
  });
}
