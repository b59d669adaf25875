// The messages between the series review page (main.ts, in the webview) and its panel
// (src/vscode/series/panel.ts). The panel checks every incoming message (src/vscode/series/pageMessages.ts).
// Handshake: the page posts `ready`; the panel answers with `state`, and again whenever anything changes.
import type { SeriesReview } from '../../core/series/review';

export type ThreadChoice = 'shallow' | 'deep' | 'none';
export const THREAD_CHOICES: readonly ThreadChoice[] = ['shallow', 'deep', 'none'];

/** What the command line would say, as the review's form holds it. */
export interface SeriesFormOptions {
  to: string;
  cc: string;
  inReplyTo: string;
  thread: ThreadChoice;
  /** Run the to/cc commands the repository's own git config names (shown in the review). */
  runRepositoryCommands: boolean;
}

/** One message's outcome, as the page shows it. */
export interface RowOutcome {
  index: number;
  status: string;
  summary: string;
  messageId?: string;
}

export interface SeriesPageState {
  review: SeriesReview;
  options: SeriesFormOptions;
  /** Commands from the repository's config that are named but not run. */
  repositoryCommands: string[];
  skipped: number[];
  busy: boolean;
  outcomes: RowOutcome[];
  /** Messages a failed send left, to send again in the same thread. */
  resend: number[];
  /** Some of this series already went to its recipients: Send all would send it twice, so it is off. */
  alreadySent: boolean;
  /** A line about the last action ("Sent 4 of 4", "Sent to you only"). */
  banner?: { kind: 'info' | 'error'; text: string };
}

// ---- page -> panel ----
export type SeriesPageMessage =
  | { type: 'ready' }
  | { type: 'apply'; options: SeriesFormOptions }
  | { type: 'skip'; index: number; skip: boolean }
  | { type: 'edit'; index: number }
  /** `fingerprint`: the review the person saw; a send of anything else is refused. */
  | { type: 'send'; mode: 'all' | 'self'; fingerprint: string }
  | { type: 'resend'; fingerprint: string }
  | { type: 'refresh' };

// ---- panel -> page ----
export type SeriesHostMessage = { type: 'state'; state: SeriesPageState } | { type: 'progress'; index: number; status: string };
