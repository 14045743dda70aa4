// Schema for `netlink-raw` specs (rtnetlink, netfilter, ...): the genetlink-legacy pieces plus a
// protocol number, static multicast group ids and sub-messages selected by another attribute's value.
import { baseAttrTypes, list, name, object, text, type JsonSchema } from './common.js';
import { assemble, genetlinkAttrProps, type SchemaParts } from './genetlink.js';
import { genetlinkLegacyParts } from './genetlink-legacy.js';

/** genetlink-legacy pieces adapted to raw netlink. */
export function netlinkRawParts(): SchemaParts {
  const p = genetlinkLegacyParts();
  // Raw families have no genetlink version.
  const { version: _version, ...top } = p.top;
  const types = [...baseAttrTypes, 'sub-message'];
  return {
    ...p,
    top: { ...top, protocol: { enum: ['netlink-raw'] }, protonum: { type: 'integer', minimum: 0 } },
    attr: {
      ...p.attr,
      ...genetlinkAttrProps(types),
      'name-prefix': p.attr['name-prefix'],
      struct: p.attr.struct,
      'sub-message': name,
      selector: name,
    },
    mcast: { ...p.mcast, value: { type: 'integer', minimum: 0 } },
    sections: {
      'sub-messages': list(
        object(
          {
            name,
            doc: text,
            formats: list(object({ value: { type: 'string' }, 'fixed-header': name, 'attribute-set': name }, ['value'])),
          },
          ['name', 'formats'],
        ),
      ),
    },
  };
}

/** The netlink-raw schema. */
export const netlinkRawSchema: JsonSchema = assemble('nlgen:netlink-raw', netlinkRawParts());
