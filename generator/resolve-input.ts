// The shape of a spec's data after schema validation (YAML keys as written). Only the resolver reads these.

/** An `entries` item of an enum or flags definition. */
export type YEntry = string | { name: string; value?: number; doc?: string };

/** A struct member. */
export interface YMember {
  name: string;
  type: string;
  len?: number | string;
  'byte-order'?: string;
  doc?: string;
  enum?: string;
  'enum-as-flags'?: boolean;
  'display-hint'?: string;
  struct?: string;
}

/** A `definitions` item. */
export interface YDefinition {
  name: string;
  type: 'const' | 'enum' | 'flags' | 'struct';
  doc?: string;
  header?: string;
  value?: number | string;
  'value-start'?: number | string;
  entries?: YEntry[];
  'name-prefix'?: string;
  'enum-name'?: string | null;
  members?: YMember[];
}

/** `checks` of an attribute. */
export interface YChecks {
  'flags-mask'?: string;
  min?: number | string;
  max?: number | string;
  'min-len'?: number | string;
  'max-len'?: number | string;
  'exact-len'?: number | string;
  'unterminated-ok'?: boolean;
}

/** An attribute in an attribute set. */
export interface YAttr {
  name: string;
  type?: string;
  doc?: string;
  value?: number;
  'type-value'?: string[];
  'byte-order'?: string;
  'multi-attr'?: boolean;
  'nested-attributes'?: string;
  enum?: string;
  'enum-as-flags'?: boolean;
  checks?: YChecks;
  'sub-type'?: string;
  'display-hint'?: string;
  'name-prefix'?: string;
  struct?: string;
  'sub-message'?: string;
  selector?: string;
}

/** An attribute set. */
export interface YAttrSet {
  name: string;
  'name-prefix'?: string;
  'enum-name'?: string | null;
  doc?: string;
  'subset-of'?: string;
  attributes: YAttr[];
}

/** A sub-message table. */
export interface YSubMessage {
  name: string;
  doc?: string;
  formats: { value: string; 'fixed-header'?: string; 'attribute-set'?: string }[];
}

/** A request or reply. */
export interface YMessage {
  attributes?: string[];
  value?: number;
}

/** A `do` or `dump`. */
export interface YMode {
  request?: YMessage;
  reply?: YMessage;
  pre?: string;
  post?: string;
}

/** An operation. */
export interface YOp {
  name: string;
  doc?: string;
  value?: number;
  'attribute-set'?: string;
  flags?: string[];
  'fixed-header'?: string;
  do?: YMode;
  dump?: YMode;
  notify?: string;
  event?: { attributes?: string[] };
  mcgrp?: string;
}

/** A whole spec. */
export interface YSpec {
  name: string;
  doc?: string;
  protocol?: string;
  protonum?: number;
  version?: number;
  'uapi-header'?: string;
  definitions?: YDefinition[];
  'attribute-sets': YAttrSet[];
  'sub-messages'?: YSubMessage[];
  operations: {
    'enum-model'?: 'unified' | 'directional';
    'name-prefix'?: string;
    'async-prefix'?: string;
    'async-enum'?: string | null;
    'fixed-header'?: string;
    list: YOp[];
  };
  'mcast-groups'?: { list: { name: string; value?: number; flags?: string[]; 'c-define-name'?: string }[] };
  [key: string]: unknown;
}
