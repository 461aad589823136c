import { type Static, Type } from '@sinclair/typebox';
import { MAX_FOOTER_TEXT_LENGTH } from '../render/invoice-template.js';
import { MAX_LOGO_BASE64_LENGTH } from './check-invoice-logo.js';

/** One line of printed text: no control characters, which would break the document's layout. */
const PrintedLine = (maxLength: number, description?: string) =>
  Type.String({
    minLength: 1,
    maxLength,
    pattern: '^[^\\u0000-\\u001f\\u007f]+$',
    ...(description === undefined ? {} : { description }),
  });

const Series = Type.String({
  pattern: '^[A-Z0-9-]{1,16}$',
  description: 'document series: numbers run gapless per series, e.g. INV-2026-000001',
});

const TaxRounding = Type.Union([Type.Literal('line'), Type.Literal('invoice')], {
  description: 'round taxes per line, or once per rate on the whole invoice',
});

export const LogoSchema = Type.Object(
  {
    mediaType: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]),
    base64: Type.String({
      minLength: 1,
      maxLength: MAX_LOGO_BASE64_LENGTH,
      description: 'the image, base64; at most 512 KiB decoded',
    }),
  },
  { additionalProperties: false },
);

export const InvoiceTemplateBody = Type.Object(
  {
    accentColor: Type.Optional(
      Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb of titles, rules and the total' }),
    ),
    footerText: Type.Optional(PrintedLine(MAX_FOOTER_TEXT_LENGTH, 'printed at the foot of every page')),
    showItemised: Type.Optional(
      Type.Boolean({ description: 'print the itemised usage list of accounts that ask for one' }),
    ),
  },
  { additionalProperties: false },
);

export const SetBillingProfileBody = Type.Object(
  {
    legalName: Type.Optional(PrintedLine(200, "the seller's legal name, printed on every document")),
    address: Type.Optional(
      Type.Array(PrintedLine(200), { maxItems: 6, description: 'postal address lines' }),
    ),
    taxId: Type.Optional(PrintedLine(50, 'VAT or sales tax registration number')),
    registration: Type.Optional(
      PrintedLine(200, 'company registration, e.g. "Amtsgericht Berlin HRB 12345"'),
    ),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    website: Type.Optional(Type.String({ format: 'uri', maxLength: 200, pattern: '^https?://' })),
    bankDetails: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'payment instructions; may span lines' }),
    ),
    logo: Type.Optional(LogoSchema),
    template: Type.Optional(InvoiceTemplateBody),
    notes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
        maxItems: 10,
        description: 'paragraphs printed under the totals (payment terms, legal notices)',
      }),
    ),
    pricesIncludeTax: Type.Optional(
      Type.Boolean({ description: 'prices are gross and taxes are taken out of them (default false)' }),
    ),
    taxRounding: Type.Optional(TaxRounding),
    invoiceSeries: Type.Optional(Series),
    creditNoteSeries: Type.Optional(Series),
  },
  {
    additionalProperties: false,
    description: 'the whole profile: a field left out goes back to its default (no logo, no notes, ...)',
  },
);
export type SetBillingProfileBody = Static<typeof SetBillingProfileBody>;

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const BillingProfileSchema = Type.Object(
  {
    legalName: Nullable(Type.String()),
    address: Type.Array(Type.String()),
    taxId: Nullable(Type.String()),
    registration: Nullable(Type.String()),
    email: Nullable(Type.String()),
    website: Nullable(Type.String()),
    bankDetails: Nullable(Type.String()),
    logo: Type.Union([LogoSchema, Type.Null()]),
    template: Type.Object({
      accentColor: Type.String(),
      footerText: Nullable(Type.String()),
      showItemised: Type.Boolean(),
    }),
    notes: Type.Array(Type.String()),
    pricesIncludeTax: Type.Boolean(),
    taxRounding: TaxRounding,
    invoiceSeries: Type.String(),
    creditNoteSeries: Type.String(),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'null while the tenant has never set its profile (the defaults are shown)',
    }),
  },
  { $id: 'BillingProfile' },
);
export type BillingProfile = Static<typeof BillingProfileSchema>;
