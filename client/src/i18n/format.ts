import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Dates, numbers and durations in the conventions of the active language (Intl, no strings). */
export interface Formatters {
  dateTime(iso: string): string;
  number(value: number): string;
  duration(ms: number): string;
}

const unit = (language: string, name: 'hour' | 'minute' | 'second', digits = 0) =>
  new Intl.NumberFormat(language, {
    style: 'unit',
    unit: name,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  });

export function formatDuration(ms: number, language: string): string {
  const safe = Math.max(0, ms);
  if (safe < 10_000) {
    // Short runs are common; a tenth of a second tells them apart.
    return unit(language, 'second', 1).format(Math.round(safe / 100) / 10);
  }
  const totalSeconds = Math.round(safe / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(unit(language, 'hour').format(hours));
  if (minutes > 0 || hours > 0) parts.push(unit(language, 'minute').format(minutes));
  if (hours === 0) parts.push(unit(language, 'second').format(seconds));
  return parts.join(' ');
}

export function createFormatters(language: string): Formatters {
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
  const number = new Intl.NumberFormat(language);
  return {
    dateTime: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
    },
    number: (value) => number.format(value),
    duration: (ms) => formatDuration(ms, language),
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => createFormatters(language), [language]);
}
