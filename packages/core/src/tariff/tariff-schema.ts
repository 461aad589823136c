import { FormatRegistry, type Static, Type } from '@sinclair/typebox';

/**
 * The native tariff file format, `tollgate.tariff/v1`. This TypeBox schema is the one source of
 * both the TypeScript types and the published JSON Schema (docs/schema/tariff.schema.json).
 * Structural checks live here; cross-references and meaning are checked by validateTariff.
 */

/** RFC 3339 date-time: an instant with its zone. TypeBox leaves formats to the application. */
export const ISO_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (value) => ISO_INSTANT_PATTERN.test(value) && !Number.isNaN(Date.parse(value)),
  );
}

const Id = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'An identifier, unique within its list',
});

export const DecimalText = Type.String({
  pattern: '^[+-]?\\d+(\\.\\d+)?$',
  maxLength: 64,
  description: 'An exact decimal number as text, e.g. "0.0000004". Never a JSON number: floats are inexact.',
});

/**
 * An amount of usage: a duration ("45s", "2m10s", "1h", "PT45S"), a data volume ("1MB", "1MiB",
 * "1500B"), or a whole count of units (messages, bytes or a custom unit) as an integer.
 */
export const QuantityText = Type.Union(
  [Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 0 })],
  { description: 'A duration ("60s", "1m", "PT1M"), a data volume ("1MB", "1KiB") or a count (integer)' },
);

export const RoundingMethod = Type.Union(
  [Type.Literal('up'), Type.Literal('down'), Type.Literal('half-up'), Type.Literal('half-even')],
  { description: 'How the exact cost is rounded, once, at the end' },
);

export const Rounding = Type.Object(
  {
    method: RoundingMethod,
    decimals: Type.Integer({
      minimum: 0,
      maximum: 6,
      description: 'Decimal places kept (at most 6: micro-units)',
    }),
  },
  { additionalProperties: false },
);

export const RateGroup = Type.Object(
  {
    from: Type.Optional(QuantityText),
    price: DecimalText,
    per: QuantityText,
    increment: QuantityText,
  },
  {
    additionalProperties: false,
    description: 'From offset `from` into the usage: `price` per `per` units, billed in whole `increment`s',
  },
);

export const Rate = Type.Object(
  {
    id: Id,
    connectFee: Type.Optional(DecimalText),
    minimumCharge: Type.Optional(DecimalText),
    groups: Type.Array(RateGroup, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const Destination = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    prefixes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1 }),
  },
  { additionalProperties: false },
);

const TimeOfDay = Type.String({
  pattern: '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$|^24:00(:00)?$',
  description: 'Local wall-clock time HH:MM or HH:MM:SS (24:00 only as an end)',
});

export const TimeBand = Type.Object(
  {
    id: Id,
    years: Type.Optional(Type.Array(Type.Integer({ minimum: 1970, maximum: 9999 }))),
    months: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }))),
    monthDays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 31 }))),
    weekDays: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 7 }), {
        description: '1 = Monday ... 7 = Sunday; 0 is also Sunday',
      }),
    ),
    holidays: Type.Optional(
      Type.Array(Id, { description: 'Holiday lists: the band applies only on their dates' }),
    ),
    startTime: Type.Optional(TimeOfDay),
    endTime: Type.Optional(TimeOfDay),
  },
  { additionalProperties: false },
);

export const HolidayList = Type.Object(
  {
    id: Id,
    dates: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  },
  { additionalProperties: false },
);

export const MaxCost = Type.Object(
  {
    amount: DecimalText,
    strategy: Type.Union([Type.Literal('free'), Type.Literal('disconnect')], {
      description:
        '`free`: the cost is capped; `disconnect`: online sessions stop at the cap, offline cost is not capped',
    }),
  },
  { additionalProperties: false },
);

export const Binding = Type.Object(
  {
    destination: Type.String({
      minLength: 1,
      description: 'A destination id, or "*any" for every destination',
    }),
    rate: Id,
    timeBand: Type.Optional(
      Type.String({ minLength: 1, description: 'A time band id, or "*any" (the default)' }),
    ),
    weight: Type.Optional(
      Type.Number({ description: 'Among bindings active at once, the highest weight wins' }),
    ),
    rounding: Type.Optional(Rounding),
    maxCost: Type.Optional(MaxCost),
  },
  { additionalProperties: false },
);

export const RatingPlan = Type.Object(
  {
    id: Id,
    bindings: Type.Array(Binding, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const RatingProfile = Type.Object(
  {
    tenant: Id,
    category: Id,
    subject: Type.String({
      minLength: 1,
      description: 'A subject (account, number), or "*any" as the default',
    }),
    activationTime: Type.String({ format: 'date-time', description: 'ISO 8601 instant with offset' }),
    ratingPlan: Id,
    fallbackSubjects: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

export const TARIFF_FORMAT = 'tollgate.tariff/v1';

export const Tariff = Type.Object(
  {
    format: Type.Literal(TARIFF_FORMAT),
    id: Id,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
    timeZone: Type.String({ minLength: 1, description: 'IANA time zone in which time bands are evaluated' }),
    rounding: Rounding,
    destinations: Type.Array(Destination),
    rates: Type.Array(Rate),
    timeBands: Type.Optional(Type.Array(TimeBand)),
    holidays: Type.Optional(Type.Array(HolidayList)),
    ratingPlans: Type.Array(RatingPlan),
    ratingProfiles: Type.Array(RatingProfile),
  },
  {
    $id: 'https://tollgate.dev/schema/tariff.schema.json',
    title: 'Tollgate tariff',
    additionalProperties: false,
  },
);

export type TariffDocument = Static<typeof Tariff>;
export type RateDocument = Static<typeof Rate>;
export type RateGroupDocument = Static<typeof RateGroup>;
export type DestinationDocument = Static<typeof Destination>;
export type TimeBandDocument = Static<typeof TimeBand>;
export type HolidayListDocument = Static<typeof HolidayList>;
export type BindingDocument = Static<typeof Binding>;
export type RatingPlanDocument = Static<typeof RatingPlan>;
export type RatingProfileDocument = Static<typeof RatingProfile>;
export type RoundingDocument = Static<typeof Rounding>;
