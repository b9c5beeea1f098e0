/**
 * The mock's storage, in Xentral's own table shapes (German column names as in the Xentral
 * database). Rows never leave the mock except through the serializer or the state dump, so the
 * API shapes stay a mapping, exactly as in the real product.
 */

/** `adresse.typ`: Xentral keeps salutation and company flag in one column. */
export type AdresseTyp = 'herr' | 'frau' | 'firma' | '';

export interface AdresseRow {
  id: number;
  typ: AdresseTyp;
  /** Full name: "Vorname Nachname" for persons, the company name for companies. */
  name: string;
  titel: string;
  ansprechpartner: string;
  /** Department; the app maps it to HubSpot's jobtitle. */
  abteilung: string;
  unterabteilung: string;
  adresszusatz: string;
  strasse: string;
  plz: string;
  ort: string;
  bundesstaat: string;
  /** ISO 3166-1 alpha-2, as Xentral stores it. */
  land: string;
  email: string;
  telefon: string;
  telefax: string;
  mobil: string;
  internetseite: string;
  /** Letter salutation line ("Sehr geehrte Frau …"). */
  anschreiben: string;
  sprache: string;
  /** Empty when the address is not a customer. */
  kundennummer: string;
  /** Empty when the address is not an employee. */
  mitarbeiternummer: string;
  /** Main project (`projekt.id`); 0 = none, as Xentral stores it. */
  projekt: number;
  /** Back office ("Innendienst"): the employee's `adresse.id`; 0 = none. */
  innendienst: number;
  /** Sales representative ("Vertrieb"): the employee's `adresse.id`; 0 = none. */
  vertrieb: number;
  /** Soft delete flag: deleted addresses stay in the table but vanish from the API. */
  geloescht: 0 | 1;
  /** Created at, ISO 8601 with whole seconds (Xentral keeps DATETIME columns). */
  angelegt_am: string;
  /**
   * Last change, ISO 8601 with whole seconds; every write moves it. Empty for a row imported
   * without a change log: the API then shows no `updatedAt`.
   */
  logdatei: string;
}

export type RolleSubjekt = 'Kunde' | 'Mitarbeiter' | 'Lieferant';

/** `adresse_rolle`: what an address is (customer, employee …), per project and period. */
export interface AdresseRolleRow {
  id: number;
  adresse: number;
  subjekt: RolleSubjekt;
  praedikat: 'von';
  objekt: 'Projekt';
  /** 0 = valid for all projects. */
  projekt: number;
  /** YYYY-MM-DD */
  von: string;
  /** YYYY-MM-DD, or Xentral's zero date "0000-00-00" for open-ended. */
  bis: string;
}

export interface ProjektRow {
  id: number;
  name: string;
  /** Short key, e.g. "STANDARD"; the API calls it keyName / abbreviation. */
  abkuerzung: string;
  beschreibung: string;
  waehrung: string;
  geloescht: 0 | 1;
}

/** `auftrag.status`: draft → released → completed, or cancelled. */
export type AuftragStatus = 'angelegt' | 'freigegeben' | 'abgeschlossen' | 'storniert';

export interface AuftragRow {
  id: number;
  /** Document number, assigned on release; empty for drafts. */
  belegnr: string;
  /** Document date YYYY-MM-DD. */
  datum: string;
  status: AuftragStatus;
  /** Customer `adresse.id`; 0 = no customer assigned yet. */
  adresse: number;
  kundennummer: string;
  /** Document address, copied from the customer when the order is created. */
  typ: AdresseTyp;
  name: string;
  abteilung: string;
  strasse: string;
  plz: string;
  ort: string;
  land: string;
  email: string;
  telefon: string;
  projekt: number;
  waehrung: string;
  /** Gross total as a DECIMAL(18,2) string, e.g. "119.00". */
  gesamtsumme: string;
  /** Net total as a DECIMAL(18,2) string. */
  umsatz_netto: string;
  angelegt_am: string;
  logdatei: string;
}

/** Every stored row: what `GET /__mock/state` returns. */
export interface XentralState {
  adresse: AdresseRow[];
  adresse_rolle: AdresseRolleRow[];
  projekt: ProjektRow[];
  auftrag: AuftragRow[];
}

/** Xentral's zero date, used for open-ended `bis`. */
export const ZERO_DATE = '0000-00-00';
