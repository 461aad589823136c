import { type Static, Type } from '@sinclair/typebox';

const Role = Type.Union(
  [Type.Literal('admin'), Type.Literal('operator'), Type.Literal('support'), Type.Literal('read-only')],
  { description: 'ordered admin > operator > support > read-only; at most the caller’s own' },
);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'what the key is for' }),
    role: Role,
  },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

const ApiKeyFields = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the key, to tell keys apart' }),
  role: Role,
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};

/** A key as listings show it: never the key, nor its hash. */
export const ApiKeySchema = Type.Object(ApiKeyFields, { $id: 'ApiKey' });
export type ApiKey = Static<typeof ApiKeySchema>;

export const IssuedApiKeySchema = Type.Object(
  {
    ...ApiKeyFields,
    key: Type.String({
      description: 'the key itself, shown in this answer only; a replay of the request leaves it out',
    }),
  },
  { $id: 'IssuedApiKey' },
);

export const ApiKeyListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('revoked')])) },
  { additionalProperties: false },
);
