// The real peers a session test talks to (scripted or smtp-server, on 127.0.0.1) and the sessions it opens,
// every one closed after each test, so that a failing test leaves nothing listening or connected.
import type { Socket } from 'node:net';
import type { Session } from '../../../src/core/send/session';
import { scriptedSmtp, startRawServer, startSmtpServer, type RawServer, type RunningServer, type Script, type SmtpTestOptions } from '../../support/smtpServers';

/** Call inside a `describe`: registers the `afterEach` that closes what its functions started or were given. */
export function sessionPeers() {
  const closers: { close(): Promise<void> | void }[] = [];
  const sessions: Session[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.connection.close();
    await Promise.all(closers.splice(0).map((s) => s.close()));
  });
  /** `server`, closed after the test. */
  const closeAfter = <T extends { close(): Promise<void> | void }>(server: T): T => (closers.push(server), server);
  return {
    closeAfter,
    /** A scripted SMTP peer (or a raw socket handler). */
    raw: async (script: Script | ((s: Socket) => void)): Promise<RawServer> => closeAfter(await startRawServer(typeof script === 'function' ? script : scriptedSmtp(script))),
    /** A real smtp-server. */
    smtp: async (options: SmtpTestOptions): Promise<RunningServer> => closeAfter(await startSmtpServer(options)),
    /** `session`, its connection closed after the test. */
    track: (session: Session): Session => (sessions.push(session), session),
  };
}
