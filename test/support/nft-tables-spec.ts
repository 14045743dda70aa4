// A small nf_tables spec for the transaction tests (live and mock): tables, chains, the generation and the batch
// messages, numbers from linux/netfilter/nf_tables.h and nfnetlink.h. Not a shipped family.

/** The spec text (family `nft-tables-chains`, client `NftTablesChains`). */
export const nftTablesSpec = `
name: nft-tables-chains
protocol: netlink-raw
protonum: 12
doc: Tables and chains of nf_tables, enough to exercise transactions.
definitions:
  - name: nfgenmsg
    type: struct
    members:
      - { name: nfgen-family, type: u8 }
      - { name: version, type: u8 }
      - { name: res-id, type: u16, byte-order: big-endian }
attribute-sets:
  - name: batch-attrs
    attributes:
      - { name: genid, type: u32, byte-order: big-endian, value: 1 }
  - name: table-attrs
    attributes:
      - { name: name, type: string, value: 1, checks: { max-len: 255 } }
      - { name: flags, type: u32, byte-order: big-endian }
      - { name: use, type: u32, byte-order: big-endian }
  - name: chain-attrs
    attributes:
      - { name: table, type: string, value: 1 }
      - { name: handle, type: u64, byte-order: big-endian }
      - { name: name, type: string }
  - name: gen-attrs
    attributes:
      - { name: id, type: u32, byte-order: big-endian, value: 1 }
operations:
  fixed-header: nfgenmsg
  enum-model: directional
  list:
    - name: batch-begin
      doc: Opens a batch.
      attribute-set: batch-attrs
      do: { request: { value: 0x10, attributes: [genid] } }
    - name: batch-end
      doc: Closes a batch.
      attribute-set: batch-attrs
      do: { request: { value: 0x11, attributes: [] } }
    - name: newtable
      doc: Create a table.
      attribute-set: table-attrs
      do: { request: { value: 0xa00, attributes: [name, flags] } }
    - name: deltable
      doc: Delete a table.
      attribute-set: table-attrs
      do: { request: { value: 0xa02, attributes: [name] } }
    - name: newchain
      doc: Create a chain.
      attribute-set: chain-attrs
      do: { request: { value: 0xa03, attributes: [table, name] } }
    - name: getgen
      doc: The ruleset generation.
      attribute-set: gen-attrs
      do: { request: { value: 0xa10, attributes: [] }, reply: { value: 0xa0f, attributes: [id] } }
`;
