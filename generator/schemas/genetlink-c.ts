// Schema for `genetlink-c` specs: genetlink plus the names a C uAPI header needs.
import { text, type JsonSchema } from './common.js';
import { assemble, genetlinkParts, type SchemaParts } from './genetlink.js';

/** genetlink pieces plus C naming controls. */
export function genetlinkCParts(): SchemaParts {
  const p = genetlinkParts();
  return {
    ...p,
    top: {
      ...p.top,
      protocol: { enum: ['genetlink', 'genetlink-c'] },
      'c-family-name': text,
      'c-version-name': text,
      'max-by-define': { type: 'boolean' },
      'cmd-max-name': text,
      'cmd-cnt-name': text,
    },
    definition: {
      ...p.definition,
      'enum-name': { type: ['string', 'null'] },
      'name-prefix': text,
      'enum-cnt-name': text,
    },
    attrSet: { ...p.attrSet, 'attr-cnt-name': text, 'attr-max-name': text },
    attr: { ...p.attr, 'name-prefix': text },
    mcast: { ...p.mcast, 'c-define-name': text },
  };
}

/** The genetlink-c schema. */
export const genetlinkCSchema: JsonSchema = assemble('nlgen:genetlink-c', genetlinkCParts());
