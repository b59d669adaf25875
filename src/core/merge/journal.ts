// The merge journal: one JSON line per event, next to the data file, so a re-run knows what every row's
// message did. Exactly once with SMTP means at most once where the outcome is unknown:
//  - before a row's message is handed to the server, a `sending` record (row, key, Message-ID) is written
//    and flushed to disk (fdatasync), together with everything written before it;
//  - when the server has answered, an `outcome` record follows (written at once, so killing the process
//    loses nothing; it reaches the disk with the next `sending` record or when the journal closes).
// A row whose last record is `sending` was cut off between the two: its message may or may not have
// arrived, so it counts as `unknown`, like a connection lost after the final dot, and is never sent again
// without --retry-unknown. A lock file keeps two merges from writing the same journal at once.
import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, readFileSync, readSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { SendOutcome } from '../send/types';

export type RowStatus = SendOutcome['status'];

export interface RowState {
  row: number;
  key: string;
  messageId: string;
  to: string[];
  status: RowStatus;
  /** The server's reply, or why the outcome is unknown or failed. */
  reply?: string;
  reason?: string;
  temporary?: boolean;
  time: string;
  /** True when the last record is `sending`: the process stopped before the outcome was known. */
  interrupted?: boolean;
}

interface SendingRecord {
  type: 'sending';
  row: number;
  key: string;
  messageId: string;
  to: string[];
  time: string;
  attempt: number;
}

interface OutcomeRecord {
  type: 'outcome';
  row: number;
  key: string;
  messageId: string;
  status: RowStatus;
  reply?: string;
  reason?: string;
  stage?: string;
  temporary?: boolean;
  time: string;
}

/** The journal's file for a template and its data: `<data>.<template>.merge.jsonl`, next to the data file. */
export function journalPathFor(dataPath: string, templatePath: string): string {
  return join(dirname(dataPath), `${basename(dataPath)}.${basename(templatePath)}.merge.jsonl`);
}

/** What the journal keeps in memory for a row this run wrote: its status only. */
const taken = (status: RowStatus): RowState => ({ row: 0, key: '', messageId: '', to: [], status, time: '', ...(status === 'unknown' ? { interrupted: true } : {}) });
const TAKEN: Record<RowStatus, RowState> = { sent: taken('sent'), partial: taken('partial'), failed: taken('failed'), unknown: taken('unknown') };

/** Another merge holds the journal. */
export class JournalBusy extends Error {}

export class MergeJournal {
  private fd: number | undefined;
  private dirty = false;
  private readonly lock: string;
  /** The last state of every row key the journal knows. */
  readonly rows = new Map<string, RowState>();

  private constructor(readonly path: string) {
    this.lock = `${path}.lock`;
  }

  /** Reads what the journal knows (if it exists) and takes the lock; `write` false only reads (a dry run). */
  static open(path: string, write: boolean): MergeJournal {
    const journal = new MergeJournal(path);
    if (write) journal.takeLock();
    try {
      journal.load();
      if (write) journal.fd = openSync(path, 'a', 0o600);
      if (write && journal.fd !== undefined && fstatSync(journal.fd).size > 0 && !journal.endsWithNewline()) {
        // A record torn by a crash: start on a line of our own so the next one parses.
        writeSync(journal.fd, '\n');
      }
    } catch (err) {
      if (write) journal.releaseLock();
      throw err;
    }
    return journal;
  }

  /** True when the journal records any row as sent, partly sent or unknown (the merge has begun). */
  get begun(): boolean {
    for (const state of this.rows.values()) if (state.status !== 'failed') return true;
    return false;
  }

  /**
   * Recorded and on disk before the message's first byte leaves. Parallel connections share a flush (group
   * commit): each waits until a flush that began after its record was written has finished.
   */
  async sending(entry: { row: number; key: string; messageId: string; to: string[] }, attempt: number): Promise<void> {
    const record: SendingRecord = { type: 'sending', ...entry, time: new Date().toISOString(), attempt };
    this.append(record);
    await this.flush();
    // Kept small: a run decides each row once, so what it writes is only looked up by status (one shared
    // object per status; the record on disk has the rest).
    this.rows.set(entry.key, TAKEN.unknown);
  }

  outcome(entry: { row: number; key: string; messageId: string; to: string[] }, outcome: SendOutcome): RowState {
    const record: OutcomeRecord = {
      type: 'outcome',
      row: entry.row,
      key: entry.key,
      messageId: entry.messageId,
      status: outcome.status,
      ...(outcome.reply ? { reply: outcome.reply } : {}),
      ...(outcome.status === 'failed' || outcome.status === 'unknown' ? { reason: outcome.reason } : {}),
      ...(outcome.status === 'failed' ? { stage: outcome.stage, temporary: outcome.temporary } : {}),
      time: new Date().toISOString(),
    };
    this.append(record);
    const state = stateOf(record, entry.to);
    this.rows.set(entry.key, TAKEN[state.status]);
    return state;
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      this.sync();
      closeSync(this.fd);
    } finally {
      this.fd = undefined;
      this.releaseLock();
    }
  }

  private append(record: SendingRecord | OutcomeRecord): void {
    if (this.fd === undefined) throw new Error('the merge journal is not open for writing');
    // One write per record: a killed process leaves whole lines behind (the page cache keeps them).
    writeSync(this.fd, JSON.stringify(record) + '\n');
    this.dirty = true;
  }

  private flushing: Promise<void> | undefined;

  /** Every record written so far on disk. A flush running now may have begun before our record: wait for it, then flush again if needed. */
  private async flush(): Promise<void> {
    while (this.dirty) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      const fd = this.fd;
      if (fd === undefined) return;
      this.dirty = false;
      this.flushing = new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))).finally(() => (this.flushing = undefined));
      await this.flushing;
    }
    if (this.flushing) await this.flushing;
  }

  private sync(): void {
    if (this.fd === undefined || !this.dirty) return;
    fdatasyncSync(this.fd);
    this.dirty = false;
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let record: SendingRecord | OutcomeRecord;
      try {
        record = JSON.parse(line) as SendingRecord | OutcomeRecord;
      } catch {
        continue; // a line torn by a crash or edited by hand
      }
      if (typeof record?.key !== 'string' || typeof record.row !== 'number') continue;
      if (record.type === 'sending') {
        this.rows.set(record.key, {
          row: record.row,
          key: record.key,
          messageId: record.messageId,
          to: Array.isArray(record.to) ? record.to : [],
          status: 'unknown',
          interrupted: true,
          time: record.time,
          reason: 'the merge stopped while this row was being sent: it may or may not have been delivered',
        });
      } else if (record.type === 'outcome' && ['sent', 'partial', 'failed', 'unknown'].includes(record.status)) {
        this.rows.set(record.key, stateOf(record, this.rows.get(record.key)?.to ?? []));
      }
    }
  }

  private endsWithNewline(): boolean {
    const size = statSync(this.path).size;
    const fd = openSync(this.path, 'r');
    try {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      return last[0] === 10;
    } finally {
      closeSync(fd);
    }
  }

  private takeLock(): void {
    const mine = JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(this.lock, mine, { flag: 'wx', mode: 0o600 });
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readLock(this.lock);
      if (holder && holder.host === hostname() && !alive(holder.pid)) {
        // Left by a merge that was killed: nobody writes the journal any more.
        unlinkSync(this.lock);
        continue;
      }
      throw new JournalBusy(
        `another merge is sending with this journal (${holder ? `process ${holder.pid} on ${holder.host}, since ${holder.started}` : 'its lock file cannot be read'}); if none is running, delete ${this.lock}`,
      );
    }
    throw new JournalBusy(`cannot take the lock ${this.lock}`);
  }

  private releaseLock(): void {
    try {
      const holder = readLock(this.lock);
      if (holder?.pid === process.pid) unlinkSync(this.lock);
    } catch {
      // already gone
    }
  }
}

function stateOf(record: OutcomeRecord, to: string[]): RowState {
  return {
    row: record.row,
    key: record.key,
    messageId: record.messageId,
    to,
    status: record.status,
    time: record.time,
    ...(record.reply ? { reply: record.reply } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.temporary !== undefined ? { temporary: record.temporary } : {}),
  };
}

function readLock(path: string): { pid: number; host: string; started: string } | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown; started?: unknown };
    if (typeof value.pid === 'number' && typeof value.host === 'string') return { pid: value.pid, host: value.host, started: String(value.started ?? '') };
  } catch {
    // unreadable
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
