// Spec constants → `export const NAME = value;` (templates/constant.hbs).
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { numLit } from './int-types.js';
import { render } from '../templates.js';

/** A spec constant's declaration. */
export function constDecl(ctx: EmitContext, name: string): string {
  const c = ctx.f.definitions.find((d) => d.name === name && d.kind === 'const')!;
  if (c.kind !== 'const') return '';
  return render('constant.hbs', {
    doc: docComment([c.doc]),
    id: ctx.scope.get(`const:${name}`)!,
    value: typeof c.value === 'string' ? str(c.value) : numLit(c.value, typeof c.value === 'bigint'),
  });
}

