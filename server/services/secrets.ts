import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config';
import { StartupError } from '../storage/data-dir';

/**
 * The three secrets of the app. Configured ones win; missing ones are generated once and kept
 * in DATA_DIR/secrets.json (mode 0600), so a demo or a first install works without setup and
 * keeps working across restarts (the token key especially: losing it loses the tokens).
 */
export interface AppSecrets {
  /** Derives the key that encrypts HubSpot tokens at rest. */
  appSecret: string;
  /**
   * Keys tokens may still be sealed with, only to open and re-seal them: APP_SECRET_PREVIOUS,
   * and a generated key that a configured APP_SECRET has replaced.
   */
  previousAppSecrets: string[];
  /** Bearer token for automation (Authorization: Bearer …). */
  apiToken: string;
  /** Shared with the Xentral App Center: verifies launch tokens. */
  launchSecret: string;
  /** Which of them were generated here (so start-up can say where they are). */
  generated: ('appSecret' | 'apiToken' | 'launchSecret')[];
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
  config: Pick<Config, 'dataDir' | 'appSecret' | 'apiToken' | 'launchSecret'> &
    Partial<Pick<Config, 'previousAppSecret'>>,
): AppSecrets {
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: z.infer<typeof SecretsFile> = {};
  if (fs.existsSync(file)) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw brokenSecrets(file, `it is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = SecretsFile.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(the file)'}: ${issue.message}`,
      );
      throw brokenSecrets(file, `it does not hold what it should (${problems.join('; ')})`);
    }
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
  const previousAppSecrets = [config.previousAppSecret, stored.appSecret].filter(
    (previous): previous is string => previous !== undefined && previous !== secrets.appSecret,
  );
  return { ...secrets, previousAppSecrets, generated, file };
}

function brokenSecrets(file: string, why: string): StartupError {
  return new StartupError(
    `The secrets file ${file} cannot be read: ${why}. Restore it from a backup or fix it ` +
      '(a JSON object with appSecret, apiToken and launchSecret, each a string). Removing it ' +
      'generates new secrets: the App Center then needs the new launch secret, and a ' +
      'connected HubSpot portal must be connected again unless APP_SECRET is set.',
  );
}
