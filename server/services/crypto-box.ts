import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** None of the keys opens a sealed value: APP_SECRET changed since it was sealed, or it was altered. */
export class UnsealError extends Error {
  constructor() {
    super('The stored value cannot be opened with APP_SECRET (nor APP_SECRET_PREVIOUS).');
    this.name = 'UnsealError';
  }
}

const deriveKey = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'xentral-hubspot-app', 'hubspot-token-encryption', 32));

/**
 * AES-256-GCM for the HubSpot tokens at rest. The key is derived from APP_SECRET with HKDF, so
 * the secret itself never touches the database. Format: v1.<iv>.<tag>.<ciphertext>, base64url.
 *
 * Key rotation: values are always sealed with the current key; previous keys
 * (APP_SECRET_PREVIOUS, a generated key a configured one replaced) only open, so that the app can re-seal what it stored under the new one.
 */
export class CryptoBox {
  private readonly key: Buffer;
  private readonly previousKeys: Buffer[];

  constructor(secret: string, previousSecrets: readonly string[] = []) {
    this.key = deriveKey(secret);
    this.previousKeys = [...new Set(previousSecrets)]
      .filter((previous) => previous !== secret)
      .map(deriveKey);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    return this.unseal(sealed).plain;
  }

  /** Opens with the current key, else a previous one; says which, so the caller can re-seal. */
  unseal(sealed: string): { plain: string; withPreviousKey: boolean } {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) {
      throw new Error('Not a sealed value');
    }
    const attempt = (key: Buffer): string | undefined => {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        // GCM refuses a foreign key or altered data alike ("unable to authenticate data").
        return undefined;
      }
    };
    const current = attempt(this.key);
    if (current !== undefined) return { plain: current, withPreviousKey: false };
    for (const key of this.previousKeys) {
      const previous = attempt(key);
      if (previous !== undefined) return { plain: previous, withPreviousKey: true };
    }
    throw new UnsealError();
  }
}
