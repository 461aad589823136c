import { type Static, Type } from '@sinclair/typebox';

/** A stable code people and scripts name things by: `retail-2026`, `DE.mobile`. */
export const Code = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$',
  description: 'stable code, unique per tenant: letters, digits and . _ : -',
});

/** Names are for people: any printable text, no control characters (NUL breaks PostgreSQL text). */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });

const TariffSourceFields = {
  activatesAt: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'when this version starts to apply (default: now); a later version wins from then on',
    }),
  ),
  format: Type.Optional(
    Type.Union([Type.Literal('native'), Type.Literal('cgrates')], {
      default: 'native',
      description: '`native`: `document` holds a tollgate.tariff/v1 document; `cgrates`: `files` holds CSVs',
    }),
  ),
  document: Type.Optional(
    Type.Unknown({
      description: 'a native tariff document (tollgate.tariff/v1, see `tollgate tariff schema`)',
    }),
  ),
  files: Type.Optional(
    Type.Record(Type.String({ maxLength: 100 }), Type.String(), {
      maxProperties: 20,
      description:
        'a CGRateS tariff plan, file name to CSV text: Destinations.csv, Rates.csv, DestinationRates.csv, ' +
        'Timings.csv (optional), RatingPlans.csv, RatingProfiles.csv. Prices are in the tenant currency, ' +
        'times in its time zone.',
    }),
  ),
};

export const CreateTariffBody = Type.Object(
  { code: Code, name: Name, ...TariffSourceFields },
  { additionalProperties: false },
);
export type CreateTariffBody = Static<typeof CreateTariffBody>;

export const AddTariffVersionBody = Type.Object(TariffSourceFields, { additionalProperties: false });
export type AddTariffVersionBody = Static<typeof AddTariffVersionBody>;

export const TariffSummarySchema = Type.Object({
  destinations: Type.Integer(),
  prefixes: Type.Integer(),
  rates: Type.Integer(),
  timeBands: Type.Integer(),
  ratingPlans: Type.Integer(),
  ratingProfiles: Type.Integer(),
  ratingTenants: Type.Array(Type.String()),
});

export const TariffVersionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tariffId: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
  sourceFormat: Type.Union([Type.Literal('native'), Type.Literal('cgrates')]),
  activatesAt: Type.String({ format: 'date-time' }),
  documentSha256: Type.String({ description: 'SHA-256 of the canonical JSON of the document' }),
  summary: TariffSummarySchema,
  createdAt: Type.String({ format: 'date-time' }),
});
export type TariffVersion = Static<typeof TariffVersionSchema>;

export const TariffVersionWithDocumentSchema = Type.Object({
  ...TariffVersionSchema.properties,
  document: Type.Unknown({ description: 'the native tariff document' }),
});

const TariffFields = {
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  activeVersion: Type.Union([Type.Integer(), Type.Null()], {
    description: 'the version in effect now; null while none has activated yet',
  }),
  latestVersion: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
};

export const TariffSchema = Type.Object(TariffFields);
export type TariffItem = Static<typeof TariffSchema>;

export const TariffDetailSchema = Type.Object({
  ...TariffFields,
  versions: Type.Array(TariffVersionSchema),
});
export type TariffDetail = Static<typeof TariffDetailSchema>;

const WarningList = Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
  description: 'things the importer rewrote or ignored, as CGRateS does; the tariff was stored',
});

export const CreatedTariffSchema = Type.Object({ ...TariffDetailSchema.properties, warnings: WarningList });
export const CreatedTariffVersionSchema = Type.Object({
  ...TariffVersionSchema.properties,
  warnings: WarningList,
});

export const TariffListQuery = Type.Object(
  { code: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);
