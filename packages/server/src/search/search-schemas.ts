import { type Static, Type } from '@sinclair/typebox';

export const SearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 2,
      maxLength: 100,
      description:
        'a name (given, family or company, any part), an e-mail address, a phone number or other line identifier (as typed or in any form it normalises from), an account number or an invoice number',
    }),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchHitKind = Type.Union([
  Type.Literal('customer'),
  Type.Literal('account'),
  Type.Literal('line'),
  Type.Literal('invoice'),
]);
export type SearchHitKind = Static<typeof SearchHitKind>;

export const SearchHitSchema = Type.Object(
  {
    kind: SearchHitKind,
    id: Type.String({ format: 'uuid', description: 'the customer, account, subscription or invoice' }),
    customerId: Type.String({ format: 'uuid' }),
    label: Type.String({ description: 'what matched: the name, account or invoice number, identifier' }),
    detail: Type.String({ description: 'a line of context for a list of results' }),
    exact: Type.Boolean({ description: 'the whole value matched (exact hits come first)' }),
  },
  { $id: 'SearchHit' },
);
export type SearchHit = Static<typeof SearchHitSchema>;

export const SearchResultSchema = Type.Object({ items: Type.Array(SearchHitSchema) });
