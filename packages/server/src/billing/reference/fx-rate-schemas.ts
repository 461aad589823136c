import { type Static, Type } from '@sinclair/typebox';

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });
const IsoDate = (description = 'calendar date, YYYY-MM-DD') => Type.String({ format: 'date', description });

export const RecordFxRateBody = Type.Object(
  {
    from: Currency,
    to: Currency,
    date: IsoDate(),
    rate: Type.String({
      pattern: '^\\d{1,12}(\\.\\d{1,12})?$',
      description: 'units of `to` per unit of `from`, exact decimal above 0 with at most 12 decimals',
    }),
    source: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
      description: 'where the rate comes from, printed on invoices that use it (e.g. "ECB reference rate")',
    }),
  },
  { additionalProperties: false },
);
export type RecordFxRateBody = Static<typeof RecordFxRateBody>;

export const FxRateSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    from: Type.String(),
    to: Type.String(),
    date: Type.String({ format: 'date' }),
    rate: Type.String({ description: 'shortest exact decimal' }),
    source: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'FxRate' },
);
export type FxRate = Static<typeof FxRateSchema>;

export const FxRateListQuery = Type.Object(
  {
    from: Type.Optional(Currency),
    to: Type.Optional(Currency),
    dateFrom: Type.Optional(IsoDate('rates dated on or after this day (YYYY-MM-DD)')),
    dateTo: Type.Optional(IsoDate('rates dated on or before this day (YYYY-MM-DD)')),
  },
  { additionalProperties: false },
);
export type FxRateListQuery = Static<typeof FxRateListQuery>;
