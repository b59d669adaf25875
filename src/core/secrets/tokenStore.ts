// Where a sign-in (its refresh token) is kept between runs: one interface, two homes. The extension keeps it
// in VS Code's SecretStorage (the OS keychain behind it: src/vscode/profiles/secretTokenStore.ts). The CLI
// keeps it in a file of its own in the state folder, readable by the owner only (mode 600 in a folder of
// mode 700), written whole or not at all. An OS keyring would be nicer, but the npm packages for it ship or
// download native binaries (keytar is archived); a file is what git's credential-store and aerc do. Never in
// a profile file or a setting.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface StoredGrant {
  refreshToken: string;
  /** The account signed in, for display (from the ID token, else the profile's user). */
  account?: string;
  /** Who issued it ("Microsoft"), for display. */
  provider?: string;
  scope?: string;
  /** ISO 8601. */
  savedAt: string;
}

export interface TokenStore {
  load(key: string): Promise<StoredGrant | undefined>;
  save(key: string, grant: StoredGrant): Promise<void>;
  /** Forgets the sign-in; true when there was one. */
  forget(key: string): Promise<boolean>;
}

/** The CLI's sign-ins: `<state folder>/oauth/`. */
export function oauthStoreDir(stateDir: string): string {
  return join(stateDir, 'oauth');
}

const KEY = /^[a-f0-9]{16,64}$/;

export class FileTokenStore implements TokenStore {
  constructor(readonly dir: string) {}

  /** The file of one sign-in. */
  fileFor(key: string): string {
    // Keys are hex digests (./oauth/config.ts): nothing else may name a path.
    if (!KEY.test(key)) throw new Error('invalid sign-in key');
    return join(this.dir, `${key}.json`);
  }

  async load(key: string): Promise<StoredGrant | undefined> {
    const file = this.fileFor(key);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot read the sign-in file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // A copy made with looser permissions (a restore, an editor) is made private again.
    this.restrict(file, 0o600);
    try {
      const data = JSON.parse(text) as Partial<StoredGrant>;
      return typeof data.refreshToken === 'string' && data.refreshToken ? (data as StoredGrant) : undefined;
    } catch {
      // Never echo the contents: they are a secret, even when damaged.
      throw new Error(`the sign-in file ${file} is damaged: sign out and in again`);
    }
  }

  async save(key: string, grant: StoredGrant): Promise<void> {
    const file = this.fileFor(key);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.restrict(this.dir, 0o700);
    // Written beside it and renamed: a crash leaves the old sign-in or the new one, never half of one.
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(grant) + '\n', { mode: 0o600, flag: 'wx' });
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  async forget(key: string): Promise<boolean> {
    const file = this.fileFor(key);
    try {
      rmSync(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  private restrict(path: string, mode: number): void {
    // Windows has no mode bits: there the per-user profile folder's ACL protects the state folder.
    if (process.platform === 'win32') return;
    try {
      chmodSync(path, mode);
    } catch {
      // Not ours to change (another user's file): reading it already worked or failed on its own.
    }
  }
}
