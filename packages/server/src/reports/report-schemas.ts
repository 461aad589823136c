import { Type } from '@sinclair/typebox';

const ReportColumnSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  type: Type.Union(
    ['text', 'date', 'integer', 'money', 'decimal', 'percent'].map((t) => Type.Literal(t)),
    { description: 'money: an exact decimal in the row currency; decimal and percent: exact decimals' },
  ),
});

const ReportChartSchema = Type.Union([
  Type.Object({
    kind: Type.Union([Type.Literal('bar'), Type.Literal('line')]),
    x: Type.String({ description: 'the column key on the x axis' }),
    series: Type.Array(Type.String(), { description: 'the column keys plotted' }),
  }),
  Type.Null(),
]);

export const ReportListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      title: Type.String(),
      description: Type.String(),
      parameters: Type.Array(Type.String(), { description: 'of: from, to, interval, currency' }),
    }),
  ),
});

export const ReportTableSchema = Type.Object({
  report: Type.String(),
  title: Type.String(),
  from: Type.String({ description: 'first local day, YYYY-MM-DD' }),
  to: Type.String({ description: 'last local day, included' }),
  interval: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  columns: Type.Array(ReportColumnSchema),
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])), {
    description: 'every value exact text, keyed by column key',
  }),
  chart: ReportChartSchema,
  generatedAt: Type.String({ format: 'date-time' }),
});

export const ReportParams = Type.Object({ name: Type.String({ maxLength: 100 }) });

export const ReportQuerySchema = Type.Object(
  {
    from: Type.Optional(
      Type.String({ description: 'first local day, YYYY-MM-DD (default: 12 whole months back)' }),
    ),
    to: Type.Optional(
      Type.String({ description: 'last local day, included (default: the end of last month)' }),
    ),
    interval: Type.Optional(Type.String({ description: 'day, week or month (default month)' })),
    currency: Type.Optional(Type.String({ description: 'only this ISO 4217 currency' })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
  },
  { additionalProperties: false },
);
