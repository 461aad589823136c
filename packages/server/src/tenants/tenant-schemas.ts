import { type Static, Type } from '@sinclair/typebox';

const Settings = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  defaultCurrency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone' }),
  language: Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
  countryCode: Type.String({
    pattern: '^[1-9]\\d{0,2}$',
    description: 'E.164 country code of the numbering context',
  }),
  internationalPrefix: Type.String({ pattern: '^\\d{2,4}$', description: 'e.g. 00 or 011' }),
  trunkPrefix: Type.String({ pattern: '^\\d{0,2}$', description: 'e.g. 0; empty where there is none' }),
};

export const TenantSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  parentTenantId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  slug: Type.String(),
  ...Settings,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Tenant = Static<typeof TenantSchema>;

export const UpdateTenantBody = Type.Partial(Type.Object(Settings), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateTenantBody = Static<typeof UpdateTenantBody>;

export const CreateResellerBody = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
    ...Settings,
    defaultCurrency: Type.Optional(Settings.defaultCurrency),
    timeZone: Type.Optional(Settings.timeZone),
    language: Type.Optional(Settings.language),
    countryCode: Type.Optional(Settings.countryCode),
    internationalPrefix: Type.Optional(Settings.internationalPrefix),
    trunkPrefix: Type.Optional(Settings.trunkPrefix),
  },
  { additionalProperties: false },
);
export type CreateResellerBody = Static<typeof CreateResellerBody>;
