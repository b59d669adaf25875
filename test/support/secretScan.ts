// Looking for secrets where they must never be: every form a token or password can take on its way out (as
// is, URL-encoded, base64 at each of the three byte alignments, base64url), written here independently of the
// redactor under test. Also a wait for a condition, for tests that wait past a token's expiry.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The strings that give `secret` away inside any text: itself, URL-encoded, and its base64 at any offset. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    // Encoded after `offset` bytes of something else: the characters that depend on the secret alone.
    const encoded = Buffer.concat([Buffer.alloc(offset, 0x41), bytes]).toString('base64').replace(/=+$/, '');
    // Character i carries bits 6i..6i+5: it depends on the secret alone when those bits all lie in it.
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (core.length >= 8) {
      forms.add(core);
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

/** The first secret form found in `text`, with the secret it belongs to; undefined when clean. */
export function findSecret(text: string, secrets: readonly string[]): string | undefined {
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of secretForms(secret)) if (text.includes(form)) return `${secret.slice(0, 6)}... (as "${form.slice(0, 12)}...")`;
  }
  return undefined;
}

/** Every file under `dir` (except the paths in `skip`, relative to it) that holds one of the secrets. */
export function filesHoldingSecrets(dir: string, secrets: readonly string[], skip: readonly string[] = []): string[] {
  const found: string[] = [];
  // Nothing written yet is nothing leaked.
  if (!existsSync(dir)) return found;
  const walk = (path: string) => {
    const rel = relative(dir, path);
    if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    const hit = findSecret(readFileSync(path).toString('latin1'), secrets);
    if (hit) found.push(`${rel}: ${hit}`);
  };
  walk(dir);
  return found;
}

/** Waits until `probe` holds, checking every `everyMs`; fails after `timeoutMs` naming what it waited for. */
export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, { timeoutMs = 15_000, everyMs = 25 } = {}): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
