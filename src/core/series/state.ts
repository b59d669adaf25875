// What was sent of each series, in the shared state folder (series.jsonl beside the sent journal): per
// message its planned Message-ID, the one the server kept, and its outcome. So the next version can refer to
// this one (--in-reply-to its cover letter), and a series that stopped half-way can go on in the same thread
// (the messages not sent keep their planned IDs; the sent ones are parents by the IDs they really got).
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SeriesStateEntry {
  time: string;
  /** One send of a series (all its messages share it). */
  run: string;
  title: string;
  version: number;
  profile: string;
  /** Every file of the series, in order (to find the run of the same files again). */
  files: string[];
  index: number;
  file: string;
  subject: string;
  plannedId: string;
  /** The ID the message went out with (the server's, when it replaced ours). */
  messageId: string;
  status: 'sent' | 'partial' | 'failed' | 'unknown' | 'skipped';
  /** Sent to the sender only ("send to myself first"): not a version of the series. */
  test?: boolean;
}

export const SERIES_STATE_FILE = 'series.jsonl';

export class SeriesState {
  readonly file: string;

  constructor(readonly stateDir: string) {
    this.file = join(stateDir, SERIES_STATE_FILE);
  }

  record(entry: SeriesStateEntry): void {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }

  entries(): SeriesStateEntry[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: SeriesStateEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as SeriesStateEntry;
        if (typeof e.run === 'string' && typeof e.messageId === 'string' && typeof e.index === 'number') out.push(e);
      } catch {
        // A torn line is skipped.
      }
    }
    return out;
  }

  /** The latest real (not test) run of these exact files, message by message. */
  lastRunOf(files: readonly string[]): SeriesStateEntry[] {
    const key = JSON.stringify(files);
    const all = this.entries().filter((e) => !e.test && JSON.stringify(e.files) === key);
    const run = all.at(-1)?.run;
    return run ? all.filter((e) => e.run === run) : [];
  }

  /** Earlier versions of a series with this title (newest first): their first message sent (the cover letter). */
  earlierVersions(title: string, below: number): { version: number; messageId: string; time: string }[] {
    const found = new Map<number, { version: number; messageId: string; time: string }>();
    for (const e of this.entries()) {
      if (e.test || e.title !== title || e.version >= below || (e.status !== 'sent' && e.status !== 'partial')) continue;
      const seen = found.get(e.version);
      if (!seen || e.index === 0) found.set(e.version, { version: e.version, messageId: e.messageId, time: e.time });
    }
    return [...found.values()].sort((a, b) => b.version - a.version);
  }
}
