// The extension's sign-ins (OAuth 2.0 refresh tokens) in VS Code's SecretStorage, which the OS keychain
// backs: never in settings or the state folder. One entry per account, client and token endpoint.
import type * as vscode from 'vscode';
import type { StoredGrant, TokenStore } from '../../core/secrets/tokenStore';

export const GRANT_PREFIX = 'mailsmith.oauth.';

export class SecretStorageTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async load(key: string): Promise<StoredGrant | undefined> {
    const text = await this.secrets.get(GRANT_PREFIX + key);
    if (!text) return undefined;
    try {
      const grant = JSON.parse(text) as Partial<StoredGrant>;
      return typeof grant.refreshToken === 'string' && grant.refreshToken ? (grant as StoredGrant) : undefined;
    } catch {
      return undefined;
    }
  }

  async save(key: string, grant: StoredGrant): Promise<void> {
    await this.secrets.store(GRANT_PREFIX + key, JSON.stringify(grant));
  }

  async forget(key: string): Promise<boolean> {
    const had = (await this.secrets.get(GRANT_PREFIX + key)) !== undefined;
    await this.secrets.delete(GRANT_PREFIX + key);
    return had;
  }
}
