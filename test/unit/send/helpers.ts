// Shared by the sending tests: a prepared fixture, a profile for a test server, a log that collects lines.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { prepareMessage } from '../../../src/core/message';
import type { PreparedMessage } from '../../../src/core/message/types';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import type { Logger } from '../../../src/core/types';
import { fixture } from '../../support/paths';

export const FIXED_NOW = new Date('2026-11-23T10:00:00Z');

export function prepareFixture(name = 'team.eml'): { message: PreparedMessage; file: string; hash: string } {
  const file = fixture('send', name);
  const bytes = readFileSync(file);
  const result = prepareMessage(bytes, { now: FIXED_NOW });
  if (!result.ok) throw new Error(`fixture ${name} does not prepare: ${result.problems.map((p) => p.message).join('; ')}`);
  return { message: result.message, file, hash: sha256(bytes) };
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function profileFor(port: number, extra: Partial<SmtpProfile> = {}): SmtpProfile {
  return {
    name: 'test',
    host: '127.0.0.1',
    port,
    security: 'none',
    timeouts: { connectMs: 1500, greetingMs: 800, socketMs: 1500 },
    ...extra,
  };
}

export function collectingLogger(): Logger & { lines: string[]; text(): string } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, text: () => lines.join('\n'), trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
