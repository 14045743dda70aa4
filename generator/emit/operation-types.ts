// Operation request/reply types, notification types and the family's group names (templates/operation-types.hbs).
import { docComment, str } from '../names.js';
import type { EmitContext } from './context.js';
import { render } from '../templates.js';
import { messageType, notificationShape } from './value-types.js';

/** The request, reply and notification types of every operation, the notification union and the group names. */
export function opTypes(ctx: EmitContext): string {
  const types: { doc: string; name: string; type: string }[] = [];
  for (const op of ctx.f.operations.list) {
    for (const mode of ['do', 'dump'] as const) {
      const om = op[mode];
      if (!om) continue;
      if (om.request) {
        types.push({ doc: docComment([`Request of \`${op.name}\` (${mode}).`, op.doc]), name: ctx.scope.get(`req:${mode}:${op.name}`)!, type: messageType(ctx, op, om.request.attributes, true) });
      }
      if (om.reply) {
        types.push({ doc: docComment([`Reply of \`${op.name}\` (${mode}).`, op.doc]), name: ctx.scope.get(`rep:${mode}:${op.name}`)!, type: messageType(ctx, op, om.reply.attributes, false) });
      }
    }
    if (op.isNotification) {
      types.push({ doc: docComment([`Notification \`${op.name}\`.`, op.doc]), name: ctx.scope.get(`ntf:${op.name}`)!, type: notificationShape(ctx, op) });
    }
  }
  const ntfs = ctx.notifications();
  const groups = ctx.f.mcastGroups.map((g) => str(g.name));
  return render('operation-types.hbs', {
    types,
    notificationDoc: docComment([`Any notification of the ${ctx.f.name} family, discriminated by \`name\`.`]),
    notificationType: ctx.scope.get('notification')!,
    notifications: ntfs.length > 0 ? ntfs.map((n) => `{ name: ${str(n.op.name)}; msg: ${ctx.scope.get(`ntf:${n.op.name}`)}; }`).join(' | ') : 'never',
    groupDoc: docComment([`Multicast groups of the ${ctx.f.name} family.`]),
    groupType: ctx.scope.get('group')!,
    groups: groups.length > 0 ? groups.join(' | ') : 'never',
  });
}

