import { hashSeed, SeededRandom } from './random';

/**
 * Deterministic people and companies, derived from (seed, index) alone. Both mocks use the
 * same generator, so seeding HubSpot with indexes 0..n and Xentral with 0.7n..1.7n gives a
 * known overlap by e-mail (and by company name + domain).
 */

const FEMALE = [
  'Anna',
  'Lena',
  'Marie',
  'Sophie',
  'Julia',
  'Laura',
  'Sarah',
  'Katharina',
  'Jülide',
  'Emma',
  'Hannah',
  'Mia',
  'Clara',
  'Zoë',
  'Ingrid',
] as const;
const MALE = [
  'Lukas',
  'Jonas',
  'Leon',
  'Felix',
  'Paul',
  'Maximilian',
  'Jan',
  'Tim',
  'Jürgen',
  'Moritz',
  'Niklas',
  'Stefan',
  'Björn',
  'Ali',
  'Tomasz',
] as const;
const LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'van der Berg',
  'Öztürk',
  'Nowak',
  'Rossi',
  'Smith',
] as const;
const STREETS = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Gartenweg',
  'Lindenallee',
  'Schillerstraße',
  'Goethestraße',
  'Am Markt',
  'Industriestraße',
  'Kirchplatz',
  'Mühlenweg',
] as const;
const PLACES = [
  { zip: '86150', city: 'Augsburg', country: 'DE' },
  { zip: '80331', city: 'München', country: 'DE' },
  { zip: '10115', city: 'Berlin', country: 'DE' },
  { zip: '20095', city: 'Hamburg', country: 'DE' },
  { zip: '50667', city: 'Köln', country: 'DE' },
  { zip: '1010', city: 'Wien', country: 'AT' },
  { zip: '8001', city: 'Zürich', country: 'CH' },
  { zip: '1012', city: 'Amsterdam', country: 'NL' },
  { zip: '75001', city: 'Paris', country: 'FR' },
  { zip: 'SW1A 1AA', city: 'London', country: 'GB' },
] as const;
const JOBS = [
  'Einkauf',
  'Vertrieb',
  'Geschäftsführung',
  'Buchhaltung',
  'Logistik',
  'Marketing',
  'IT',
] as const;
const COMPANY_WORDS = [
  'Alpen',
  'Nord',
  'Rhein',
  'Blau',
  'Sonnen',
  'Stahl',
  'Holz',
  'Digital',
  'Bio',
  'Haus',
  'Werk',
  'Licht',
] as const;
const COMPANY_KINDS = [
  'Technik',
  'Handel',
  'Logistik',
  'Bau',
  'Software',
  'Textil',
  'Feinkost',
  'Maschinen',
] as const;
const LEGAL = ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'e.K.', 'UG'] as const;
const MAIL_DOMAINS = [
  'example.com',
  'example.org',
  'example.net',
  'mail.example',
  'firma.example',
] as const;

export interface DemoPerson {
  index: number;
  firstName: string;
  lastName: string;
  salutation: 'mr' | 'mrs';
  /** Lower-case ASCII, unique per index. */
  email: string;
  phone: string;
  mobile: string;
  street: string;
  zip: string;
  city: string;
  /** ISO 3166 alpha-2 */
  countryCode: string;
  jobTitle: string;
}

export interface DemoCompany {
  index: number;
  name: string;
  /** Host name only, unique per index. */
  domain: string;
  phone: string;
  street: string;
  zip: string;
  city: string;
  countryCode: string;
}

/** An ASCII slug for e-mail local parts and domains: "Jürgen Öztürk" → "juergen-oeztuerk". */
export function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function phoneNumber(random: SeededRandom, prefix: string): string {
  return `${prefix} ${random.int(100, 999)} ${random.int(100000, 9999999)}`;
}

export function demoPerson(seed: number, index: number): DemoPerson {
  const random = new SeededRandom(hashSeed('person', seed, index));
  const female = random.chance(0.5);
  const firstName = random.pick(female ? FEMALE : MALE);
  const lastName = random.pick(LAST);
  const place = random.pick(PLACES);
  return {
    index,
    firstName,
    lastName,
    salutation: female ? 'mrs' : 'mr',
    email: `${asciiSlug(firstName)}.${asciiSlug(lastName)}.${index}@${random.pick(MAIL_DOMAINS)}`,
    phone: phoneNumber(random, '+49'),
    mobile: phoneNumber(random, '+49 1'),
    street: `${random.pick(STREETS)} ${random.int(1, 180)}`,
    zip: place.zip,
    city: place.city,
    countryCode: place.country,
    jobTitle: random.pick(JOBS),
  };
}

export function demoCompany(seed: number, index: number): DemoCompany {
  const random = new SeededRandom(hashSeed('company', seed, index));
  const word = `${random.pick(COMPANY_WORDS)}${random.pick(COMPANY_KINDS).toLowerCase()}`;
  const legal = random.pick(LEGAL);
  const place = random.pick(PLACES);
  return {
    index,
    name: `${word} ${index} ${legal}`,
    domain: `${asciiSlug(word)}-${index}.example`,
    phone: phoneNumber(random, '+49'),
    street: `${random.pick(STREETS)} ${random.int(1, 180)}`,
    zip: place.zip,
    city: place.city,
    countryCode: place.country,
  };
}
