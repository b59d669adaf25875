// One LogOutputChannel "Mailsmith" behind the core's Logger interface. The user picks the level
// (Developer: Set Log Level); the SMTP dialogue is logged at info, already redacted by the core.
import * as vscode from 'vscode';
import type { Logger } from '../core/types';

export interface MailsmithLog extends Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  show(): void;
}

export function createLog(): MailsmithLog {
  const channel = vscode.window.createOutputChannel('Mailsmith', { log: true });
  return {
    channel,
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
