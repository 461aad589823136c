import type { RecordOutcome, UsageRecord } from '../usage-record.js';
import { checkedUsageRecord, type UsageFieldNames } from './checked-usage-record.js';
import type { DelimitedRecordFormat } from './delimited-record-format.js';
import { quotedValue, rejectOutcome } from './reject-outcome.js';
import {
  CSV_FIELDS,
  type CsvField,
  type CsvSettings,
  type CsvSourceProfile,
  type UnitsScale,
} from './source-profile.js';
import { readSourceTime } from './source-time.js';
import { readUsageUnits, unitOfScale } from './usage-quantity.js';
import { isServiceName, unitOfService } from './usage-service.js';
import { zoneClockOf } from './zone-clock-of.js';

const FIELD_NAMES: UsageFieldNames = {
  recordId: 'recordId',
  subscriber: 'subscriber',
  destination: 'destination',
  units: 'units',
  chargingSession: 'chargingSession',
};
/** Values listed in a message, at most. */
const MAX_LISTED_VALUES = 5;

/** Where each mapped field is (0-based), once the header (if any) is read. */
interface CsvPlan {
  readonly columns: Readonly<Partial<Record<CsvField, number>>>;
  readonly serviceMap: ReadonlyMap<string, string> | null;
  readonly directionMap: ReadonlyMap<string, 'outgoing' | 'incoming'> | null;
}

/**
 * A CSV file read by the source's column mapping. With a header line, columns named in the
 * mapping are found in it (once, for the whole file) and every record must have the header's
 * field count; by position only, a record needs at least the highest position mapped.
 *
 * An empty cell of an optional field reads as if the column were absent: no record id, empty
 * destination, the default service, outgoing, no charging session.
 */
export function csvProfileRecordFormat(
  profile: CsvSourceProfile,
  header: readonly string[] | null,
): DelimitedRecordFormat {
  const located = locateColumns(profile.csv, header);
  if (!located.ok) return unreadable(located.field, located.message);
  const plan: CsvPlan = {
    columns: located.columns,
    serviceMap: profile.csv.serviceMap === undefined ? null : new Map(Object.entries(profile.csv.serviceMap)),
    directionMap:
      profile.csv.directionMap === undefined ? null : new Map(Object.entries(profile.csv.directionMap)),
  };
  if (header !== null)
    return {
      fitsFieldCount: (count) => count === header.length,
      fieldCounts: `${header.length} (the header's)`,
      outcome: (fields) => csvOutcome(fields, plan, profile),
    };
  const needed = Math.max(...Object.values(located.columns)) + 1;
  return {
    fitsFieldCount: (count) => count >= needed,
    fieldCounts: `at least ${needed}`,
    outcome: (fields) => csvOutcome(fields, plan, profile),
  };
}

type Located =
  | { readonly ok: true; readonly columns: Partial<Record<CsvField, number>> }
  | { readonly ok: false; readonly field: CsvField; readonly message: string };

function locateColumns(csv: CsvSettings, header: readonly string[] | null): Located {
  const byName = new Map<string, number>();
  const repeated = new Set<string>();
  for (const [index, name] of (header ?? []).entries()) {
    const trimmed = name.trim();
    if (byName.has(trimmed)) repeated.add(trimmed);
    else byName.set(trimmed, index);
  }
  const columns: Partial<Record<CsvField, number>> = {};
  for (const field of CSV_FIELDS) {
    const column = csv.columns[field];
    if (column === undefined) continue;
    if (typeof column === 'number') {
      // Without a header a short record is malformed; with one, every record has the header's count.
      if (header !== null && column > header.length)
        return {
          ok: false,
          field,
          message: `column ${column} (mapped to ${field}) is beyond the header's ${header.length} columns`,
        };
      columns[field] = column - 1;
      continue;
    }
    const index = byName.get(column);
    if (index === undefined || header === null)
      return { ok: false, field, message: `the header has no column "${column}" (mapped to ${field})` };
    if (repeated.has(column))
      return {
        ok: false,
        field,
        message: `the header names column "${column}" (mapped to ${field}) more than once`,
      };
    columns[field] = index;
  }
  return { ok: true, columns };
}

/** A mapping that does not fit the file's header: each record says so, for the operator to fix the source. */
function unreadable(field: CsvField, message: string): DelimitedRecordFormat {
  const outcome = rejectOutcome('missing_field', field, message, null);
  return { fitsFieldCount: () => true, fieldCounts: 'any number of', outcome: () => outcome };
}

function csvOutcome(fields: readonly string[], plan: CsvPlan, profile: CsvSourceProfile): RecordOutcome {
  const { csv } = profile;
  const { columns } = plan;
  const recordIdText = cellAt(fields, columns.recordId);
  const recordId = recordIdText === '' ? null : recordIdText;
  const subscriber = cellAt(fields, columns.subscriber);
  if (subscriber === '') return missing(csv, 'subscriber', recordId);
  const startedAtText = cellAt(fields, columns.startedAt);
  if (startedAtText === '') return missing(csv, 'startedAt', recordId);
  const startedAt = readSourceTime(startedAtText, csv.timeFormat, zoneClockOf(profile.timeZone));
  if (!startedAt.ok)
    return rejectOutcome(
      'invalid_field',
      'startedAt',
      `startedAt ${quotedValue(startedAtText)} is not ${startedAt.expected}`,
      recordId,
    );
  const service = serviceOf(cellAt(fields, columns.service), csv.service, plan.serviceMap);
  if (!service.ok) return rejectOutcome('invalid_field', 'service', service.message, recordId);
  const direction = directionOf(cellAt(fields, columns.direction), plan.directionMap);
  if (!direction.ok) return rejectOutcome('invalid_field', 'direction', direction.message, recordId);
  const unit = unitOfService(profile.services, service.value);
  const scale: UnitsScale = csv.unitsScale ?? unit;
  if (unitOfScale(scale) !== unit)
    return rejectOutcome(
      'invalid_field',
      'service',
      `service ${service.value} counts ${unit}, but the source reads its units column as ${scale}`,
      recordId,
    );
  const unitsText = cellAt(fields, columns.units);
  if (unitsText === '') return missing(csv, 'units', recordId);
  const units = readUsageUnits(unitsText, scale);
  if (!units.ok)
    return rejectOutcome(units.reason, 'units', `units ${quotedValue(unitsText)} ${units.problem}`, recordId);
  const session = cellAt(fields, columns.chargingSession);
  const record: UsageRecord = {
    recordId,
    subscriber: { kind: profile.subscriberKind, value: subscriber },
    service: service.value,
    direction: direction.value,
    destination: cellAt(fields, columns.destination),
    startedAtMs: startedAt.epochMs,
    unit,
    units: units.value,
    chargingSessionKey: session === '' ? null : session,
  };
  return checkedUsageRecord(record, profile, FIELD_NAMES);
}

/** A mapped cell without surrounding blanks; '' for a field the mapping leaves out. */
function cellAt(fields: readonly string[], index: number | undefined): string {
  return index === undefined ? '' : fields[index]!.trim();
}

function missing(csv: CsvSettings, field: CsvField, recordId: string | null): RecordOutcome {
  return rejectOutcome('missing_field', field, `${field} (${columnName(csv, field)}) is empty`, recordId);
}

type Mapped<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

function serviceOf(
  text: string,
  fixed: string,
  serviceMap: ReadonlyMap<string, string> | null,
): Mapped<string> {
  if (text === '') return { ok: true, value: fixed };
  if (serviceMap !== null) {
    const service = serviceMap.get(text);
    if (service !== undefined) return { ok: true, value: service };
    return {
      ok: false,
      message: `service ${quotedValue(text)} is not one of the values in serviceMap: ${listed(serviceMap.keys())}`,
    };
  }
  if (isServiceName(text)) return { ok: true, value: text };
  return {
    ok: false,
    message: `service ${quotedValue(text)} is not a service name (lower-case letters, digits, _ and -); csv.serviceMap can name the file's values`,
  };
}

function directionOf(
  text: string,
  directionMap: ReadonlyMap<string, 'outgoing' | 'incoming'> | null,
): Mapped<'outgoing' | 'incoming'> {
  if (text === '') return { ok: true, value: 'outgoing' };
  if (directionMap !== null) {
    const direction = directionMap.get(text);
    if (direction !== undefined) return { ok: true, value: direction };
    return {
      ok: false,
      message: `direction ${quotedValue(text)} is not one of the values in directionMap: ${listed(directionMap.keys())}`,
    };
  }
  if (text === 'outgoing' || text === 'incoming') return { ok: true, value: text };
  return {
    ok: false,
    message: `direction ${quotedValue(text)} is not outgoing or incoming; csv.directionMap can name the file's values`,
  };
}

function columnName(csv: CsvSettings, field: CsvField): string {
  const column = csv.columns[field];
  return typeof column === 'number' ? `column ${column}` : `column "${column}"`;
}

function listed(values: Iterable<string>): string {
  const all = [...values];
  const shown = all.slice(0, MAX_LISTED_VALUES).map(quotedValue).join(', ');
  return all.length > MAX_LISTED_VALUES ? `${shown} and ${all.length - MAX_LISTED_VALUES} more` : shown;
}
