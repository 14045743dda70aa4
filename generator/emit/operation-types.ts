// Operation request/reply types, notification types and the family's group names (templates/operation-types.hbs).
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { messageType, notificationShape } from './value-types.js';

export function opTypes(ctx: EmitContext): string {
  const out: string[] = [];
  for (const op of ctx.f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const om = op[mode];
      if (!om) continue;
      if (om.request) {
        out.push(`${docComment([`Request of \`${op.name}\` (${mode}).`, op.doc])}export type ${ctx.scope.get(`req:${mode}:${op.name}`)} = ${messageType(ctx, op, om.request.attributes, true)};\n`);
      }
      if (om.reply) {
        out.push(`${docComment([`Reply of \`${op.name}\` (${mode}).`, op.doc])}export type ${ctx.scope.get(`rep:${mode}:${op.name}`)} = ${messageType(ctx, op, om.reply.attributes, false)};\n`);
      }
    }
    if (op.isNotification) {
      out.push(`${docComment([`Notification \`${op.name}\`.`, op.doc])}export type ${ctx.scope.get(`ntf:${op.name}`)} = ${notificationShape(ctx, op)};\n`);
    }
  }
  const ntfs = ctx.notifications();
  const nType = ctx.scope.get('notification')!;
  out.push(
    `${docComment([`Any notification of the ${ctx.f.name} family, discriminated by \`name\`.`])}export type ${nType} = ${
      ntfs.length > 0 ? ntfs.map((n) => `{ name: ${str(n.op.name)}; msg: ${ctx.scope.get(`ntf:${n.op.name}`)}; }`).join(' | ') : 'never'
    };\n`,
  );
  const groups = ctx.f.mcastGroups.map((g) => str(g.name));
  out.push(`${docComment([`Multicast groups of the ${ctx.f.name} family.`])}export type ${ctx.scope.get('group')} = ${groups.length > 0 ? groups.join(' | ') : 'never'};\n`);
  return out.join('\n');
}

/** The op whose reply shape a notification reuses (`notify`), or the notification itself (`event`). */
