// What the features share, built once in activate() and passed in (no globals).
import type { DiagnosticsService } from './diagnostics';
import type { SentHistory } from './history';
import type { InboxService } from './inbox';
import type { MailsmithLog } from './log';
import type { ProfileStore } from './profiles/profileStore';

export interface Services {
  log: MailsmithLog;
  profiles: ProfileStore;
  diagnostics: DiagnosticsService;
  inbox: InboxService;
  history: SentHistory;
  /** The hourly-limit state file, in global storage. */
  rateLimitStatePath: string;
}
