import { type Static, Type } from '@sinclair/typebox';

const Language = Type.String({
  pattern: '^[a-z]{2}(-[A-Z]{2})?$',
  description: 'BCP 47 language, e.g. en, de, es-MX',
});

export const TaxExemptionSchema = Type.Object(
  {
    tax: Type.String({ minLength: 1, maxLength: 100, description: 'the tax the customer is exempt from' }),
    certificate: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'exemption certificate reference',
    }),
  },
  { additionalProperties: false },
);

const CustomerFields = {
  kind: Type.Union([Type.Literal('person'), Type.Literal('business')]),
  givenName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  familyName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  companyName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  phone: Type.Optional(Type.String({ pattern: '^\\+[1-9]\\d{1,14}$', description: 'E.164' })),
  language: Type.Optional(Language),
  taxRegion: Type.Optional(Type.String({ minLength: 2, maxLength: 20, description: 'e.g. DE, US-CA' })),
  taxExemptions: Type.Optional(Type.Array(TaxExemptionSchema, { maxItems: 20 })),
  address: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }), {
      maxItems: 6,
      description: 'postal address lines, as printed on invoices',
    }),
  ),
  taxId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 50, description: 'VAT or sales tax number, printed on invoices' }),
  ),
  customerGroup: Type.Optional(
    Type.String({
      pattern: '^[a-z][a-z0-9_-]{0,39}$',
      description: "the group whose dunning policy applies (default 'default')",
    }),
  ),
};

export const CreateCustomerBody = Type.Object(CustomerFields, { additionalProperties: false });
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;

export const UpdateCustomerBody = Type.Partial(
  Type.Object({ ...CustomerFields, status: Type.Union([Type.Literal('active'), Type.Literal('closed')]) }),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCustomerBody = Static<typeof UpdateCustomerBody>;

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const CustomerSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('person'), Type.Literal('business')]),
    displayName: Type.String(),
    givenName: Nullable(Type.String()),
    familyName: Nullable(Type.String()),
    companyName: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    language: Type.String(),
    taxRegion: Nullable(Type.String()),
    taxExemptions: Type.Array(TaxExemptionSchema),
    address: Type.Array(Type.String()),
    taxId: Nullable(Type.String()),
    customerGroup: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('closed')]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Customer' },
);
export type Customer = Static<typeof CustomerSchema>;

export const CustomerListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'matches display name or email' }),
    ),
    email: Type.Optional(Type.String({ maxLength: 320 })),
  },
  { additionalProperties: false },
);
