// The sent history, kept by the core for every face: one JSON line per send attempt in the shared state folder
// (sent.jsonl, beside the hourly-limit counts), and the exact bytes of each message that may have left, so a
// user can open what was really sent. Appends only (each line one write, O_APPEND), so the CLI and the
// extension can record at the same time. Nothing secret is stored: outcomes carry redacted replies only.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SendOutcome } from '../send/types';
import { describeOutcome } from '../send/describe';

export interface JournalEntry {
  id: string;
  /** When the outcome was known (ISO 8601, UTC). */
  time: string;
  /** The document sent: a file path, or the editor's URI of an unsaved one. */
  source: string;
  /** Which face sent it. */
  face: string;
  profile: string;
  from: string;
  to: string[];
  subject?: string;
  messageId: string;
  status: SendOutcome['status'];
  /** For failures: where it stopped and whether trying again later may work. */
  stage?: string;
  temporary?: boolean;
  /** The server's reply that decided it (redacted). */
  reply?: string;
  summary: string;
  size?: number;
  /** The file holding the exact bytes, when they may have left the machine. */
  copy?: string;
  /** The file holding the SMTP dialogue of this send (already redacted by the transport). */
  transcript?: string;
}

export interface RecordDetails {
  source: string;
  face: string;
  subject?: string;
  /** The exact bytes sent. */
  raw?: Buffer;
  /** The SMTP dialogue of this send, as logged (redacted). */
  transcript?: readonly string[];
}

const JOURNAL_FILE = 'sent.jsonl';
const COPIES_DIR = 'sent';
/** Older entries (and their copies) are dropped past these. */
const KEEP_ENTRIES = 1000;
const COMPACT_AT_BYTES = 4 * 1024 * 1024;

export class SentJournal {
  readonly file: string;
  private readonly copies: string;

  constructor(readonly stateDir: string) {
    this.file = join(stateDir, JOURNAL_FILE);
    this.copies = join(stateDir, COPIES_DIR);
  }

  record(outcome: SendOutcome, details: RecordDetails): JournalEntry {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const time = new Date().toISOString();
    const id = `${time.replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
    let copy: string | undefined;
    // A copy only of what may have reached the server: a refused send left nothing behind to look at.
    if (details.raw && outcome.status !== 'failed') {
      mkdirSync(this.copies, { recursive: true, mode: 0o700 });
      copy = join(this.copies, `${id}.eml`);
      writeFileSync(copy, details.raw, { mode: 0o600 });
    }
    let transcript: string | undefined;
    if (details.transcript?.length) {
      mkdirSync(this.copies, { recursive: true, mode: 0o700 });
      transcript = join(this.copies, `${id}.log`);
      writeFileSync(transcript, details.transcript.join('\n') + '\n', { mode: 0o600 });
    }
    const entry: JournalEntry = {
      id,
      time,
      source: details.source,
      face: details.face,
      profile: outcome.profile,
      from: outcome.envelope.from,
      to: outcome.envelope.to,
      ...(details.subject ? { subject: details.subject } : {}),
      messageId: outcome.messageId,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { stage: outcome.stage, temporary: outcome.temporary } : {}),
      ...(outcome.reply ? { reply: outcome.reply } : {}),
      summary: describeOutcome(outcome),
      ...(details.raw ? { size: details.raw.length } : {}),
      ...(copy ? { copy } : {}),
      ...(transcript ? { transcript } : {}),
    };
    appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
    this.compactIfLarge();
    return entry;
  }

  /** Newest first. A line that is not a journal entry (a torn write, an edit by hand) is skipped. */
  entries(limit = KEEP_ENTRIES): JournalEntry[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: JournalEntry[] = [];
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = parseEntry(lines[i]);
      if (entry) out.push(entry);
    }
    return out;
  }

  find(id: string): JournalEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  /** The exact bytes of an entry, if they were kept and are still there. */
  copyOf(entry: JournalEntry): Buffer | undefined {
    if (!entry.copy) return undefined;
    try {
      return readFileSync(entry.copy);
    } catch {
      return undefined;
    }
  }

  private compactIfLarge(): void {
    try {
      if (statSync(this.file).size < COMPACT_AT_BYTES) return;
      const kept = this.entries(KEEP_ENTRIES).reverse();
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, kept.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
      renameSync(tmp, this.file);
      const keep = new Set(kept.flatMap((e) => [e.copy, e.transcript]).filter(Boolean));
      for (const name of readdirSync(this.copies)) {
        const path = join(this.copies, name);
        if (!keep.has(path)) rmSync(path, { force: true });
      }
    } catch {
      // Compaction is housekeeping: a failure leaves a longer file, never a lost record.
    }
  }
}

function parseEntry(line: string): JournalEntry | undefined {
  if (!line.trim()) return undefined;
  try {
    const value = JSON.parse(line) as Partial<JournalEntry>;
    if (typeof value.id === 'string' && typeof value.time === 'string' && typeof value.status === 'string' && Array.isArray(value.to)) return value as JournalEntry;
  } catch {
    // skipped
  }
  return undefined;
}
