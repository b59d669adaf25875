// What the features share, built once in activate() and passed in (no globals).
import type { SentJournal } from '../core/journal/sentJournal';
import type { DocumentAnalyses } from './analyses';
import type { DiagnosticsService } from './diagnostics';
import type { SentHistoryView } from './history';
import type { InboxService } from './inbox';
import type { MailsmithLog } from './log';
import type { ProfileStore } from './profiles/profileStore';

export interface Services {
  log: MailsmithLog;
  profiles: ProfileStore;
  analyses: DocumentAnalyses;
  diagnostics: DiagnosticsService;
  inbox: InboxService;
  /** The sent history, in the state folder the CLI shares. */
  journal: SentJournal;
  /** The Sent History view, refreshed after each send. */
  history: SentHistoryView;
  /** The extension runs its own tests (ExtensionMode.Test): test-only switches are honoured. */
  testMode: boolean;
}
