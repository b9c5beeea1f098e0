import { z } from 'zod';

export const ExchangeMode = z.enum(['sync', 'import', 'export']);
export type ExchangeMode = z.infer<typeof ExchangeMode>;

export const Salutation = z.enum(['mr', 'mrs']);
export type Salutation = z.infer<typeof Salutation>;

/** What the admin saves with Speichern (`PUT /api/settings`). Unknown fields are refused. */
export const Settings = z
  .object({
    mode: ExchangeMode,
    /** The "Hubspot Data Sync" process starter runs the saved mode every intervalMinutes. */
    automatic: z.boolean(),
    intervalMinutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(5, 'must be at least 5 minutes')
      .max(10_080, 'must be at most one week'),
    lifecycleStages: z.array(z.string().min(1).max(100)).max(100),
    projectId: z.string().min(1).max(50).nullable(),
    dealSync: z.boolean(),
    defaultSalutation: Salutation,
    defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as DE'),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  mode: 'sync',
  automatic: false,
  intervalMinutes: 60,
  lifecycleStages: [],
  projectId: null,
  dealSync: false,
  defaultSalutation: 'mr',
  defaultCountry: 'DE',
};

export const SettingsResponse = Settings.extend({
  /** When deal synchronisation was last switched on: orders released before are ignored. */
  dealSyncActivatedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
}).strict();
export type SettingsResponse = z.infer<typeof SettingsResponse>;

/**
 * PUT /api/settings takes the settings, or what GET answered: the read-only fields may come
 * along (so a read, change, write round trip works) and are ignored; the server keeps its own.
 * Any other field is refused.
 */
export const SettingsUpdate = SettingsResponse.partial({
  dealSyncActivatedAt: true,
  updatedAt: true,
});
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;
