import { type Static, Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQuery } from '../http/pagination.js';

/** The longest note: a case log entry, not a document store (the column checks it too). */
export const MAX_NOTE_LENGTH = 10_000;

export const AddCustomerNoteBody = Type.Object(
  {
    body: Type.String({
      minLength: 1,
      maxLength: MAX_NOTE_LENGTH,
      pattern: '\\S',
      description: 'the note, plain text; kept as written',
    }),
  },
  { additionalProperties: false },
);
export type AddCustomerNoteBody = Static<typeof AddCustomerNoteBody>;

export const CustomerNoteSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    customerId: Type.String({ format: 'uuid' }),
    body: Type.String(),
    author: Type.Object({
      type: Type.String({ description: 'api_key, user or system' }),
      id: Type.String(),
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CustomerNote' },
);
export type CustomerNote = Static<typeof CustomerNoteSchema>;

/** Notes read newest first: a case log is read from its latest entry. */
export const CustomerNotePageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: PageQuery.properties.cursor,
  },
  { additionalProperties: false },
);
