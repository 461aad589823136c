import type { TaxComponent } from './taxes.js';

/** The category of a rule that applies to every service category of its jurisdiction. */
export const ANY_TAX_CATEGORY = '*';

/** The tax code of an exemption from every tax. */
export const ANY_TAX_CODE = '*';

/** Separates the levels of a jurisdiction code: 'US-CA-LOSANGELES' is US, then California, then Los Angeles. */
const JURISDICTION_SEPARATOR = '-';

/**
 * The taxes of one jurisdiction for one service category, in force from effectiveFromMs
 * (inclusive) to effectiveToMs (exclusive; null while open). Tax law changes on dates, and an
 * invoice is taxed by the law of its tax point, so rules are versioned data, never edited in place.
 */
export interface TaxRuleVersion {
  /** Hierarchical code, levels separated by '-': 'DE', 'US', 'US-CA', 'US-CA-LOSANGELES'. */
  readonly jurisdiction: string;
  /** Service category ('voice', 'sms', 'data', 'recurring', 'equipment', ...), or '*' for all. */
  readonly category: string;
  readonly effectiveFromMs: number;
  readonly effectiveToMs: number | null;
  /** The taxes, in the order they apply (a compound tax is charged on the taxes before it). */
  readonly components: readonly TaxComponent[];
}

/** A customer's exemption from one tax (or from all, with taxCode '*'), proved by a certificate. */
export interface TaxExemption {
  /** The code of the exempted component, or '*' for every tax. */
  readonly taxCode: string;
  /** The certificate reference, printed on the invoice beside the tax it removes. */
  readonly certificate: string;
  /** Start of validity (inclusive); null for no start. */
  readonly validFromMs: number | null;
  /** End of validity (exclusive); null for no end. */
  readonly validToMs: number | null;
}

/** A component that would have applied, and the certificate that removed it. */
export interface ExemptedTaxComponent {
  readonly component: TaxComponent;
  readonly certificate: string;
}

export interface TaxSelection {
  /** The components to charge, in application order (outermost jurisdiction first). */
  readonly components: readonly TaxComponent[];
  /** The components removed by an exemption, in application order, so the invoice can say why. */
  readonly exempted: readonly ExemptedTaxComponent[];
  /** The rule versions that applied, outermost first: what an explanation of the taxes cites. */
  readonly rules: readonly TaxRuleVersion[];
}

/**
 * The taxes of a line of `category` for a customer in `jurisdiction` at `atMs`. Every level of
 * the jurisdiction taxes the line and the levels stack, outermost first (a US line in Los
 * Angeles pays federal, then state, then city taxes). At each level the version in force for the
 * exact category wins over the level's '*' rule, so a category can be taxed differently (or,
 * with an empty version, not at all) while '*' covers the rest; a level whose exact category has
 * no version in force at atMs falls back to its '*' rule. Exemptions valid at atMs then remove
 * the components they name, and are reported so the invoice can print the certificate.
 */
export function selectTaxComponents(
  rules: readonly TaxRuleVersion[],
  jurisdiction: string,
  category: string,
  atMs: number,
  exemptions: readonly TaxExemption[],
): TaxSelection {
  const applied: TaxRuleVersion[] = [];
  for (const level of jurisdictionLevels(jurisdiction)) {
    const rule =
      versionInForce(rules, level, category, atMs) ?? versionInForce(rules, level, ANY_TAX_CATEGORY, atMs);
    if (rule !== undefined) applied.push(rule);
  }
  const validExemptions = exemptions.filter((exemption) => isExemptionValid(exemption, atMs));
  const components: TaxComponent[] = [];
  const exempted: ExemptedTaxComponent[] = [];
  for (const component of applied.flatMap((rule) => rule.components)) {
    const exemption = exemptionFor(validExemptions, component.code);
    if (exemption === undefined) components.push(component);
    else exempted.push({ component, certificate: exemption.certificate });
  }
  return { components, exempted, rules: applied };
}

/** 'US-CA-LOSANGELES' → ['US', 'US-CA', 'US-CA-LOSANGELES']; an empty code has no level. */
function jurisdictionLevels(jurisdiction: string): string[] {
  if (jurisdiction.length === 0) return [];
  const parts = jurisdiction.split(JURISDICTION_SEPARATOR);
  return parts.map((_, index) => parts.slice(0, index + 1).join(JURISDICTION_SEPARATOR));
}

/**
 * The version of (jurisdiction, category) whose [from, to) holds atMs. Overlapping versions are
 * resolved towards the later start, the newer law; at an equal start the one listed last wins,
 * so a correction appended to the list replaces what it corrects.
 */
function versionInForce(
  rules: readonly TaxRuleVersion[],
  jurisdiction: string,
  category: string,
  atMs: number,
): TaxRuleVersion | undefined {
  let winner: TaxRuleVersion | undefined;
  for (const rule of rules) {
    if (rule.jurisdiction !== jurisdiction || rule.category !== category) continue;
    if (!isRuleInForce(rule, atMs)) continue;
    if (winner === undefined || rule.effectiveFromMs >= winner.effectiveFromMs) winner = rule;
  }
  return winner;
}

function isRuleInForce(rule: TaxRuleVersion, atMs: number): boolean {
  return rule.effectiveFromMs <= atMs && (rule.effectiveToMs === null || atMs < rule.effectiveToMs);
}

function isExemptionValid(exemption: TaxExemption, atMs: number): boolean {
  return (
    (exemption.validFromMs === null || exemption.validFromMs <= atMs) &&
    (exemption.validToMs === null || atMs < exemption.validToMs)
  );
}

/** The exemption that removes a tax: one naming its code beats a '*' one, whose certificate is less precise. */
function exemptionFor(exemptions: readonly TaxExemption[], taxCode: string): TaxExemption | undefined {
  return (
    exemptions.find((exemption) => exemption.taxCode === taxCode) ??
    exemptions.find((exemption) => exemption.taxCode === ANY_TAX_CODE)
  );
}
