import { type Static, Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../http/pagination.js';

export const AuditEntrySchema = Type.Object(
  {
    sequence: Type.String({
      description: "the entry's position in the tenant's hash chain, as decimal text",
    }),
    occurredAt: Type.String({ format: 'date-time' }),
    actor: Type.Object({
      type: Type.String({ description: 'api_key, user or system' }),
      id: Type.String(),
    }),
    action: Type.String({ description: 'e.g. customer.updated, subscription.plan_changed' }),
    objectType: Type.String(),
    objectId: Type.String(),
    before: Type.Unknown({ description: 'the object before the change, as recorded; null for a creation' }),
    after: Type.Unknown({ description: 'the object after the change, as recorded' }),
  },
  { $id: 'AuditEntry' },
);
export type AuditEntryView = Static<typeof AuditEntrySchema>;

export const AuditEntryPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
