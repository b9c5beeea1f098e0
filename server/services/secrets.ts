import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config';

/**
 * The three secrets of the app. Configured ones win; missing ones are generated once and kept
 * in DATA_DIR/secrets.json (mode 0600), so a demo or a first install works without setup and
 * keeps working across restarts (the token key especially: losing it loses the tokens).
 */
export interface AppSecrets {
  /** Derives the key that encrypts HubSpot tokens at rest. */
  appSecret: string;
  /** Bearer token for automation (Authorization: Bearer …). */
  apiToken: string;
  /** Shared with the Xentral App Center: verifies launch tokens. */
  launchSecret: string;
  /** Which of them were generated here (so start-up can say where they are). */
  generated: (keyof Omit<AppSecrets, 'generated' | 'file'>)[];
  file: string;
}

const SecretsFile = z
  .object({
    appSecret: z.string().min(32).optional(),
    apiToken: z.string().min(24).optional(),
    launchSecret: z.string().min(32).optional(),
  })
  .strict();

const fresh = () => randomBytes(32).toString('base64url');

export function loadSecrets(
  config: Pick<Config, 'dataDir' | 'appSecret' | 'apiToken' | 'launchSecret'>,
): AppSecrets {
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: z.infer<typeof SecretsFile> = {};
  if (fs.existsSync(file)) {
    const parsed = SecretsFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not a valid secrets file; fix or remove it.`);
    stored = parsed.data;
  }
  const generated: AppSecrets['generated'] = [];
  const pick = (
    name: 'appSecret' | 'apiToken' | 'launchSecret',
    configured: string | undefined,
  ) => {
    if (configured) return configured;
    const value = stored[name] ?? fresh();
    if (stored[name] === undefined) stored = { ...stored, [name]: value };
    generated.push(name);
    return value;
  };
  const secrets = {
    appSecret: pick('appSecret', config.appSecret),
    apiToken: pick('apiToken', config.apiToken),
    launchSecret: pick('launchSecret', config.launchSecret),
  };
  if (generated.length > 0) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    // writeFile keeps the mode of an existing file: make sure it is private either way.
    fs.chmodSync(file, 0o600);
  }
  return { ...secrets, generated, file };
}
