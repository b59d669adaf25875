// Where Mailsmith keeps its state (the hourly-limit counts, the sent journal): one folder shared by the
// CLI and the VS Code extension, so both count against the same limit and see the same history.
// $MAILSMITH_STATE_DIR, else the XDG state folder (Linux), ~/Library/Application Support (macOS),
// %LOCALAPPDATA% (Windows).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultStateDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MAILSMITH_STATE_DIR) return env.MAILSMITH_STATE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'mailsmith', 'state');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'mailsmith', 'state');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'mailsmith');
}

/** The hourly-limit counts (see ../send/rateLimit.ts). */
export function rateLimitFile(stateDir: string): string {
  return join(stateDir, 'hourly-sends.json');
}
