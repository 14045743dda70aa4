// The smallest valid spec text, for tests that need a spec file and care about one detail of it: a family with one
// attribute set `main` (a u32 `id`) and one do op whose request lists `requestAttributes`.

/** Spec text; `name` is on line 1 at column 7 (tests point at it), `protocol` (when given) on line 2. */
export function oneOpSpec(o: { name?: string; protocol?: string; doc?: string; op?: string; requestAttributes?: string } = {}): string {
  const op = o.op ?? 'fetch';
  return `name: ${o.name ?? 'demo'}
${o.protocol !== undefined ? `protocol: ${o.protocol}\n` : ''}doc: ${o.doc ?? 'Demo.'}
attribute-sets:
  - name: main
    attributes:
      - name: id
        type: u32
operations:
  list:
    - name: ${op}
      doc: ${op[0]!.toUpperCase()}${op.slice(1)}.
      attribute-set: main
      do:
        request:
          attributes: [${o.requestAttributes ?? 'id'}]
`;
}
