import { createContext, useContext } from 'react';
import type { Formats } from './format.js';
import type { Language } from './locale.js';

/**
 * A screen's texts in every language the portal speaks. English is written first and gives the
 * keys; the type makes every other language give every key, so a missing translation is a
 * compile error, not an English word in a German page.
 */
export type Catalog<K extends string> = { readonly en: Record<K, string> } & {
  readonly [L in Exclude<Language, 'en'>]: Record<K, string>;
};

export function catalog<K extends string>(
  en: Record<K, string>,
  others: { readonly [L in Exclude<Language, 'en'>]: Record<K, string> },
): Catalog<K> {
  return { en, ...others };
}

export interface LocaleState extends Formats {
  readonly language: Language;
  setLanguage(language: Language): void;
}

export const LocaleContext = createContext<LocaleState>({
  language: 'en',
  locale: 'en',
  timeZone: undefined,
  setLanguage: () => {},
});

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export type Translate<K extends string> = (key: K, values?: Record<string, string | number>) => string;

/** `t('greeting', { name })`: the text in the current language with {name} filled in. */
export function useMessages<K extends string>(messages: Catalog<K>): Translate<K> {
  const { language } = useLocale();
  const texts = messages[language];
  return (key, values) => fill(texts[key], values);
}

function fill(text: string, values: Record<string, string | number> | undefined): string {
  if (values === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
