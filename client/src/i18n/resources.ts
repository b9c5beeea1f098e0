import de from './de.json';
import en from './en.json';

/** The catalogues, one namespace per language: everything the UI says is in here. */
export const resources = { de: { translation: de }, en: { translation: en } } as const;
