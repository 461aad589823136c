import { type Static, Type } from '@sinclair/typebox';
import { AllowanceSchema, OneTimeFeeSchema, PlanPriceSchema } from '../catalog/plan-schemas.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQuery } from '../http/pagination.js';
import { UserSchema } from '../users/user-schemas.js';

/** The languages the portal, invoices and built-in notifications are written in. */
export const PORTAL_LANGUAGES = ['en', 'es', 'fr', 'de'] as const;
export type PortalLanguage = (typeof PORTAL_LANGUAGES)[number];

const PortalLanguageSchema = Type.Union(
  PORTAL_LANGUAGES.map((language) => Type.Literal(language)),
  { description: 'the language of the portal, invoices and messages' },
);

/** The signed-in user, with the customer a customer user acts for. */
export const MeSchema = Type.Object(
  {
    user: UserSchema,
    expiresAt: Type.String({ format: 'date-time', description: 'when the session ends, at the latest' }),
    customer: Type.Union(
      [
        Type.Object({
          id: Type.String({ format: 'uuid' }),
          name: Type.String({ description: 'the name the customer is addressed by' }),
          language: PortalLanguageSchema,
          locale: Type.String({
            description:
              'BCP 47 tag for numbers, amounts and dates (the language, perhaps with a region: de-AT)',
          }),
        }),
        Type.Null(),
      ],
      { description: 'for a customer user: their customer; null for staff' },
    ),
  },
  { $id: 'Me' },
);
export type MeView = Static<typeof MeSchema>;

export const UpdateMeBody = Type.Object(
  {
    language: Type.Optional(PortalLanguageSchema),
    locale: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 35,
        description:
          'BCP 47 tag of one of the languages, with an optional region (de-AT, es-MX): how numbers, amounts and dates are written',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

/** Newest first, always: a customer reads their latest invoice or payment first. */
export const MyPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: PageQuery.properties.cursor,
  },
  { additionalProperties: false },
);

/** A plan as a customer choosing one sees it: its price and what it includes, not how it is rated. */
export const MyPlanSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('base'), Type.Literal('addon')], {
    description: 'base: the plan of a line (plan_changed); addon: added on top (addon_added)',
  }),
  recurringFee: Type.String({ description: 'exact decimal, charged every fee period' }),
  currency: Type.String(),
  feePeriod: Type.Union([
    Type.Literal('week'),
    Type.Literal('month'),
    Type.Literal('quarter'),
    Type.Literal('year'),
  ]),
  oneTimeFees: Type.Array(OneTimeFeeSchema),
  allowances: Type.Array(AllowanceSchema, { description: 'included each fee period' }),
  minimumCommitment: Type.Union([Type.String(), Type.Null()]),
  prices: Type.Array(PlanPriceSchema, { description: 'the fees in other currencies' }),
  effectiveFrom: Type.String({ format: 'date-time', description: 'since when these terms apply' }),
});
export type MyPlan = Static<typeof MyPlanSchema>;
