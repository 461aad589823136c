import { bytes, duration, money, num } from '../i18n/format.js';
import { catalog, useLocale, useMessages } from '../i18n/messages.js';

/**
 * Usage quantities as a customer reads them: voice in minutes (allowances) or minutes and
 * seconds (a call), data in MB/GB, messages counted, money as money. The API counts seconds,
 * bytes, messages and units (DESIGN.md §3); these turn them into words in every language.
 */
export const quantityTexts = catalog(
  {
    call: 'Calls',
    voice: 'Calls',
    sms: 'Text messages',
    mms: 'Picture messages',
    data: 'Data',
    money: 'Credit',
    minutes: '{n} min',
    messages: '{n} messages',
    message: '{n} message',
    units: '{n} units',
    unit: '{n} unit',
    days: '{n} days',
    day: '{n} day',
    used: '{used} of {total} used',
    left: '{left} left',
  },
  {
    es: {
      call: 'Llamadas',
      voice: 'Llamadas',
      sms: 'SMS',
      mms: 'MMS',
      data: 'Datos',
      money: 'Saldo',
      minutes: '{n} min',
      messages: '{n} mensajes',
      message: '{n} mensaje',
      units: '{n} unidades',
      unit: '{n} unidad',
      days: '{n} días',
      day: '{n} día',
      used: '{used} de {total} usados',
      left: 'quedan {left}',
    },
    fr: {
      call: 'Appels',
      voice: 'Appels',
      sms: 'SMS',
      mms: 'MMS',
      data: 'Données',
      money: 'Crédit',
      minutes: '{n} min',
      messages: '{n} messages',
      message: '{n} message',
      units: '{n} unités',
      unit: '{n} unité',
      days: '{n} jours',
      day: '{n} jour',
      used: '{used} utilisés sur {total}',
      left: 'reste {left}',
    },
    de: {
      call: 'Anrufe',
      voice: 'Anrufe',
      sms: 'SMS',
      mms: 'MMS',
      data: 'Daten',
      money: 'Guthaben',
      minutes: '{n} Min.',
      messages: '{n} Nachrichten',
      message: '{n} Nachricht',
      units: '{n} Einheiten',
      unit: '{n} Einheit',
      days: '{n} Tage',
      day: '{n} Tag',
      used: '{used} von {total} verbraucht',
      left: 'noch {left}',
    },
  },
);

type ServiceKey = 'call' | 'voice' | 'sms' | 'mms' | 'data' | 'money';
const SERVICES: readonly string[] = ['call', 'voice', 'sms', 'mms', 'data', 'money'];

export interface QuantityFormats {
  /** A service's name ("Calls", "Data"); a custom service keeps its own name. */
  service(name: string): string;
  /** One usage's quantity: a call's duration, a session's volume, a count of messages. */
  usage(unit: string, units: string | number): string;
  /** An allowance quantity: voice in whole minutes, data in MB/GB, money as money. */
  allowance(unit: string, amount: string | number, currency?: string): string;
  /** "40 min of 300 min used". */
  usedOf(used: string, total: string): string;
  left(left: string): string;
}

export function useQuantities(): QuantityFormats {
  const f = useLocale();
  const t = useMessages(quantityTexts);
  const count = (value: string | number) => (typeof value === 'number' ? value : Number(value));
  const plurals = new Intl.PluralRules(f.locale);
  /** "1 message", "2 messages": the form the language uses for the number. */
  const counted = (
    value: string | number,
    one: 'message' | 'unit' | 'day',
    other: 'messages' | 'units' | 'days',
  ) => t(plurals.select(count(value)) === 'one' ? one : other, { n: num(f, value) });
  return {
    service: (name) => (SERVICES.includes(name) ? t(name as ServiceKey) : name),
    usage: (unit, units) => {
      switch (unit) {
        case 'seconds':
          return duration(f, count(units));
        case 'bytes':
          return bytes(f, count(units));
        case 'messages':
          return counted(units, 'message', 'messages');
        case 'units':
          return counted(units, 'unit', 'units');
        case 'days':
          return counted(units, 'day', 'days');
        default:
          return /^[A-Z]{3}$/.test(unit) ? money(f, String(units), unit) : `${num(f, units, 3)} ${unit}`;
      }
    },
    allowance: (unit, amount, currency) => {
      if (unit === 'seconds') return t('minutes', { n: num(f, count(amount) / 60, 0) });
      if (unit === 'bytes') return bytes(f, count(amount));
      if (unit === 'messages') return counted(amount, 'message', 'messages');
      if (/^[A-Z]{3}$/.test(unit)) return money(f, String(amount), unit);
      if (unit === 'money' && currency !== undefined) return money(f, String(amount), currency);
      return t('units', { n: num(f, amount, 3) });
    },
    usedOf: (used, total) => t('used', { used, total }),
    left: (left) => t('left', { left }),
  };
}
