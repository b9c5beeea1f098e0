import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import de from './de.json';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** German is Xentral's language and the default; the choice is remembered in the browser. */
export const DEFAULT_LANGUAGE: Language = 'de';
const STORAGE_KEY = 'xhs.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    // Storage can be disabled (privacy settings): fall back to the default.
    return DEFAULT_LANGUAGE;
  }
}

type Catalogue = typeof de;

/**
 * German ships with the first load; another language's catalogue is fetched when it is chosen
 * (or was chosen last time), so a German first screen does not carry the English texts.
 */
const CATALOGUES: Record<Language, () => Promise<Catalogue>> = {
  de: () => Promise.resolve(de),
  en: () => import('./en.json').then((module) => module.default),
};

async function loadCatalogue(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, 'translation')) return;
  i18next.addResourceBundle(language, 'translation', await CATALOGUES[language]());
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
  document.title = i18next.t('app.documentTitle');
}

/** Resolves once the language to show first has its texts: render after it. */
export async function initI18n(): Promise<typeof i18next> {
  let language = storedLanguage();
  const resources: Partial<Record<Language, { translation: Catalogue }>> = {
    de: { translation: de },
  };
  if (language !== DEFAULT_LANGUAGE) {
    try {
      resources[language] = { translation: await CATALOGUES[language]() };
    } catch {
      // The catalogue did not load (offline, a new release): show the default language.
      language = DEFAULT_LANGUAGE;
    }
  }
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGES,
    // React escapes what it renders; i18next must not escape a second time.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  applyToDocument(i18next.language);
  i18next.on('languageChanged', applyToDocument);
  return i18next;
}

function remember(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still switched for this page.
  }
}

export function changeLanguage(language: Language): void {
  // A catalogue that does not load (offline) leaves the page, and the remembered choice, as is.
  loadCatalogue(language).then(
    () => {
      remember(language);
      void i18next.changeLanguage(language);
    },
    () => undefined,
  );
}
