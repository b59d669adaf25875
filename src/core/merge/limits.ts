// Sending within what the provider allows: a rate (messages a minute, spaced evenly), the profile's hourly
// limit (`maxPerHour`), a daily cap of messages or recipients, and presets with the limits providers
// document. The counts live in the shared state folder (../state/paths.ts), one append-only file per
// profile, so the CLI and the editor count against the same cap, and a restarted merge remembers them.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_MAX_PER_HOUR, type SmtpProfile } from '../profiles/profile';
import { checkHourlyLimit } from '../send/rateLimit';
import { rateLimitFile } from '../state/paths';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface ProviderLimits {
  id: string;
  label: string;
  /** SMTP hosts the limits apply to. */
  hosts: string[];
  perMinute?: number;
  messagesPerDay?: number;
  recipientsPerDay?: number;
  note: string;
  docsUrl?: string;
}

/** Limits as the providers document them (sending through their submission servers with SMTP AUTH). */
export const PROVIDER_LIMITS: readonly ProviderLimits[] = [
  {
    id: 'exchange-online',
    label: 'Exchange Online (Microsoft 365)',
    hosts: ['smtp.office365.com', 'outlook.office365.com'],
    perMinute: 30,
    recipientsPerDay: 10_000,
    note: 'SMTP AUTH submission: 30 messages a minute and 10,000 recipients a day per mailbox',
    docsUrl: 'https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits',
  },
  {
    id: 'gmail',
    label: 'Gmail',
    hosts: ['smtp.gmail.com'],
    messagesPerDay: 500,
    note: 'a personal Gmail account sends about 500 messages a day; Google Workspace accounts 2,000 (--daily-cap 2000)',
    docsUrl: 'https://support.google.com/a/answer/166852',
  },
  {
    id: 'google-workspace-relay',
    label: 'Google Workspace SMTP relay',
    hosts: ['smtp-relay.gmail.com'],
    recipientsPerDay: 10_000,
    note: 'the SMTP relay service takes 10,000 recipients a day per user',
    docsUrl: 'https://support.google.com/a/answer/2956491',
  },
];

export function providerLimitsFor(profile: Pick<SmtpProfile, 'host'>): ProviderLimits | undefined {
  const host = profile.host.trim().toLowerCase();
  return PROVIDER_LIMITS.find((p) => p.hosts.includes(host));
}

export interface MergeLimits {
  /** Messages a minute (spaced evenly); none: as fast as the connections go. */
  perMinute?: number;
  /** The profile's hourly limit. */
  perHour: number;
  messagesPerDay?: number;
  recipientsPerDay?: number;
  /** Where the figures come from, for the confirmation and the log. */
  source?: string;
}

/** What applies: what the user asked for, else the provider's preset, and the profile's hourly limit. */
export function effectiveLimits(profile: SmtpProfile, asked: { perMinute?: number; messagesPerDay?: number }): MergeLimits {
  const preset = providerLimitsFor(profile);
  return {
    perMinute: asked.perMinute ?? preset?.perMinute,
    perHour: profile.maxPerHour ?? DEFAULT_MAX_PER_HOUR,
    messagesPerDay: asked.messagesPerDay ?? preset?.messagesPerDay,
    recipientsPerDay: preset?.recipientsPerDay,
    ...(preset ? { source: `${preset.label}: ${preset.note}` } : {}),
  };
}

/** `30/min`, `2/s`, `1000/h`, `5000/day` as messages a minute. */
export function parseRate(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$/i.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = match[2].toLowerCase()[0];
  const perMinute = unit === 's' ? count * 60 : unit === 'm' ? count : unit === 'h' ? count / 60 : count / 1440;
  return perMinute > 0 ? perMinute : undefined;
}

export function describeLimits(limits: MergeLimits): string {
  const parts = [limits.perMinute ? `${formatCount(limits.perMinute)} a minute` : 'no rate limit', `${limits.perHour.toLocaleString('en')} an hour`];
  if (limits.messagesPerDay) parts.push(`${limits.messagesPerDay.toLocaleString('en')} messages a day`);
  if (limits.recipientsPerDay) parts.push(`${limits.recipientsPerDay.toLocaleString('en')} recipients a day`);
  return parts.join(', ');
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toFixed(2);
}

/** The sends of one profile over the last 24 hours: times and recipient counts, oldest first. */
export class SendCounts {
  private readonly times: number[] = [];
  private readonly recipients: number[] = [];
  private hourStart = 0;
  private dayStart = 0;
  private hourMessages = 0;
  private dayMessages = 0;
  private dayRecipients = 0;
  private dirMade = false;
  readonly file: string;

  constructor(stateDir: string, profileName: string, now = Date.now()) {
    const safe = profileName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
    const id = createHash('sha256').update(profileName).digest('hex').slice(0, 12);
    const dir = join(stateDir, 'send-counts');
    this.file = join(dir, `${safe}-${id}.jsonl`);
    let lines: string[] = [];
    try {
      lines = readFileSync(this.file, 'utf8').split('\n');
    } catch {
      // none yet
    }
    const entries: [number, number][] = [];
    for (const line of lines) {
      try {
        const value = JSON.parse(line) as unknown;
        if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number' && now - value[0] < DAY_MS) entries.push([value[0], value[1]]);
      } catch {
        // a torn or empty line
      }
    }
    entries.sort((a, b) => a[0] - b[0]);
    for (const [t, r] of entries) this.push(t, r);
    if (lines.length > 2 * entries.length + 100) {
      // Older than a day: dropped, so the file stays the size of one day's sends.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
      renameSync(tmp, this.file);
    }
  }

  /** Counts a message that may have left (sent, partly sent, or unknown). */
  record(time: number, recipients: number): void {
    this.push(time, recipients);
    if (!this.dirMade) mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    this.dirMade = true;
    // One short line per message, appended: other processes append beside it.
    appendFileSync(this.file, JSON.stringify([time, recipients]) + '\n', { mode: 0o600 });
  }

  /** Messages and recipients within the last hour and day at `now` (windows slide forward only). */
  window(now: number): { hourMessages: number; dayMessages: number; dayRecipients: number; oldestInHour?: number; oldestInDay?: number } {
    while (this.hourStart < this.times.length && now - this.times[this.hourStart] >= HOUR_MS) {
      this.hourStart++;
      this.hourMessages--;
    }
    while (this.dayStart < this.times.length && now - this.times[this.dayStart] >= DAY_MS) {
      this.dayMessages--;
      this.dayRecipients -= this.recipients[this.dayStart];
      this.dayStart++;
    }
    return {
      hourMessages: this.hourMessages,
      dayMessages: this.dayMessages,
      dayRecipients: this.dayRecipients,
      oldestInHour: this.times[this.hourStart],
      oldestInDay: this.times[this.dayStart],
    };
  }

  private push(time: number, recipients: number): void {
    this.times.push(time);
    this.recipients.push(recipients);
    this.hourMessages++;
    this.dayMessages++;
    this.dayRecipients += recipients;
  }
}

export type Permit = { ok: true } | { ok: false; wait: number; why: string } | { ok: false; stop: string };

/**
 * Decides when the next message may go: now, after a wait (the rate, the hourly limit), or not in this run
 * (the daily cap). In-flight messages are counted when their slot is taken, so parallel connections
 * cannot overshoot a cap.
 */
export class SendLimiter {
  private nextAt = 0;
  private readonly counts: SendCounts;
  private readonly singleSendsLastHour: number;
  private inFlight = 0;
  private inFlightRecipients = 0;

  constructor(
    readonly limits: MergeLimits,
    stateDir: string,
    profileName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.counts = new SendCounts(stateDir, profileName, now());
    // Single sends keep their own hourly counts (../send/rateLimit.ts): they count here too.
    this.singleSendsLastHour = checkHourlyLimit(rateLimitFile(stateDir), profileName, Number.MAX_SAFE_INTEGER, now()).sentLastHour;
  }

  /** Asks for a slot for a message to `recipients` recipients. */
  permit(recipients: number): Permit {
    const now = this.now();
    const w = this.counts.window(now);
    const { limits } = this;
    if (limits.messagesPerDay !== undefined && w.dayMessages + this.inFlight + 1 > limits.messagesPerDay) {
      return { ok: false, stop: `the daily cap of ${limits.messagesPerDay.toLocaleString('en')} messages is reached${until(w.oldestInDay, DAY_MS)}` };
    }
    if (limits.recipientsPerDay !== undefined && w.dayRecipients + this.inFlightRecipients + recipients > limits.recipientsPerDay) {
      return { ok: false, stop: `the daily cap of ${limits.recipientsPerDay.toLocaleString('en')} recipients is reached${until(w.oldestInDay, DAY_MS)}` };
    }
    if (w.hourMessages + this.singleSendsLastHour + this.inFlight + 1 > limits.perHour) {
      const wait = w.oldestInHour !== undefined ? Math.max(1000, w.oldestInHour + HOUR_MS - now) : HOUR_MS;
      return { ok: false, wait, why: `the hourly limit of ${limits.perHour.toLocaleString('en')} messages (the profile's maxPerHour)` };
    }
    if (limits.perMinute && now < this.nextAt) return { ok: false, wait: this.nextAt - now, why: `the rate of ${formatCount(limits.perMinute)} a minute` };
    if (limits.perMinute) this.nextAt = Math.max(now, this.nextAt) + MINUTE_MS / limits.perMinute;
    this.inFlight++;
    this.inFlightRecipients += recipients;
    return { ok: true };
  }

  /** The slot's message has an outcome: counted when it may have left the machine. */
  settle(recipients: number, mayHaveLeft: boolean): void {
    this.inFlight--;
    this.inFlightRecipients -= recipients;
    if (mayHaveLeft) this.counts.record(this.now(), recipients);
  }
}

function until(oldest: number | undefined, window: number): string {
  return oldest === undefined ? '' : `: more may go after ${new Date(oldest + window).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
