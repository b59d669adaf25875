// Message-IDs that stay the same for the same document, so that a retried send is recognisable
// (RFC 5322 section 3.6.4: the id is unique per message; a retry is the same message).
import { createHash } from 'node:crypto';
import type { MessageDefaults } from './types';

/** A domain that is safe in a msg-id's right-hand side when nothing better is known (RFC 2606). */
export const FALLBACK_MESSAGE_ID_DOMAIN = 'mailsmith.invalid';

export function stableMessageId(content: string | Uint8Array, domain: string, defaults?: MessageDefaults): string {
  const hash = createHash('sha256');
  hash.update(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  if (defaults) hash.update(JSON.stringify(defaults));
  const id = hash.digest('hex').slice(0, 32);
  const right = /^[A-Za-z0-9.-]+$/.test(domain) ? domain : FALLBACK_MESSAGE_ID_DOMAIN;
  return `<${id}@${right}>`;
}
