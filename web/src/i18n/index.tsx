import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { setApiLanguage } from '../api/client.js';
import type { LocalizedText, Locale } from '../api/types.js';
import { storageItem } from '../lib/storage.js';
import { en } from './en.js';
import { it, type MessageKey, type Messages } from './it.js';

export type { MessageKey } from './it.js';

export const DICTIONARIES: Record<Locale, Messages> = { it, en };
export const LOCALES: readonly Locale[] = ['it', 'en'];
export const STORAGE_KEY = 'urpnet.locale';
export const TIME_ZONE = 'Europe/Rome';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

export function translator(locale: Locale): Translate {
  const dictionary = DICTIONARIES[locale];
  return (key, params) => interpolate(dictionary[key] ?? it[key] ?? key, params);
}

/** `status.open`-style look-up for codes coming from the server, with the raw code as fallback. */
export function translateCode(t: Translate, prefix: string, code: string): string {
  const key = `${prefix}.${code}` as MessageKey;
  const text = t(key);
  return text === key ? code : text;
}

export function readStoredLocale(storage: Pick<Storage, 'getItem'> | undefined): Locale {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return value === 'en' || value === 'it' ? value : 'it';
  } catch {
    return 'it';
  }
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Dates are always shown in Rome time, whatever the browser's zone, in the UI language's format. */
export function formatDateTime(value: string | Date | null | undefined, locale: Locale, style: 'datetime' | 'date' = 'datetime'): string {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const cacheKey = `${locale}:${style}`;
  let format = dateTimeFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', {
      timeZone: TIME_ZONE,
      dateStyle: 'short',
      ...(style === 'datetime' ? { timeStyle: 'short' } : {}),
    });
    dateTimeFormats.set(cacheKey, format);
  }
  return format.format(date);
}

export function localized(text: LocalizedText | undefined, locale: Locale): string {
  if (!text) return '';
  return (locale === 'en' ? text.en : undefined) ?? text.it;
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  fmt: (value: string | Date | null | undefined, style?: 'datetime' | 'date') => string;
  label: (text: LocalizedText | undefined) => string;
}

const I18nContext = createContext<I18nValue | null>(null);
/** Blocked storage (SecurityError) means the choice lasts for this page only. */
const storedLocale = storageItem('local', STORAGE_KEY);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const initial = readStoredLocale({ getItem: () => storedLocale.get() });
    setApiLanguage(initial);
    return initial;
  });

  useEffect(() => {
    document.documentElement.lang = locale;
    setApiLanguage(locale);
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    storedLocale.set(next);
    setApiLanguage(next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nValue>(
    () => ({
      locale,
      setLocale,
      t: translator(locale),
      fmt: (v, style) => formatDateTime(v, locale, style),
      label: (text) => localized(text, locale),
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
