import { type Static, Type } from '@sinclair/typebox';

/** How many taxes one rule version may hold: with four jurisdiction levels, a line stays within core's 32. */
export const MAX_TAX_COMPONENTS_PER_RULE = 8;

export const Jurisdiction = Type.String({
  pattern: '^[A-Z0-9]{2,10}(-[A-Z0-9]{1,20}){0,3}$',
  description:
    'levels from the outermost, joined by "-": DE, US-CA, US-CA-LOSANGELES; each level taxes its customers',
});

export const TaxCategory = Type.String({
  pattern: '^(\\*|[a-z][a-z0-9_-]{0,39})$',
  description: 'service category (voice, data, recurring, one_time, ...), or * for every category',
});

const RatePercent = Type.String({
  pattern: '^\\d{1,3}(\\.\\d{1,6})?$',
  description: 'exact decimal percent from 0 to 100, at most 6 decimals: "19", "7.5", "0.125"',
});

const TaxComponentBody = Type.Object(
  {
    code: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$',
      description: 'stable code exemptions name, e.g. DE-VAT',
    }),
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    ratePercent: RatePercent,
    compound: Type.Optional(
      Type.Boolean({ default: false, description: 'charged on the net plus the taxes before it' }),
    ),
  },
  { additionalProperties: false },
);

export const AddTaxRuleBody = Type.Object(
  {
    jurisdiction: Jurisdiction,
    category: TaxCategory,
    effectiveFrom: Type.String({ format: 'date-time', description: 'in force from (inclusive)' }),
    effectiveTo: Type.Optional(
      Type.String({ format: 'date-time', description: 'in force until (exclusive); absent: open-ended' }),
    ),
    components: Type.Array(TaxComponentBody, {
      maxItems: MAX_TAX_COMPONENTS_PER_RULE,
      description: 'the taxes in the order they apply; none: the category is not taxed at this level',
    }),
  },
  { additionalProperties: false },
);
export type AddTaxRuleBody = Static<typeof AddTaxRuleBody>;

export const TaxRuleSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    jurisdiction: Type.String(),
    category: Type.String(),
    version: Type.Integer({ minimum: 1, description: '1, 2, 3, ... per jurisdiction and category' }),
    effectiveFrom: Type.String({ format: 'date-time' }),
    effectiveTo: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    components: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        ratePercent: Type.String(),
        compound: Type.Boolean(),
      }),
    ),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'TaxRule' },
);
export type TaxRule = Static<typeof TaxRuleSchema>;

export const TaxRuleListQuery = Type.Object(
  { jurisdiction: Type.Optional(Jurisdiction), category: Type.Optional(TaxCategory) },
  { additionalProperties: false },
);
export type TaxRuleListQuery = Static<typeof TaxRuleListQuery>;
