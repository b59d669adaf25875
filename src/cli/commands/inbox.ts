// `mailsmith inbox`: runs the local capture inbox in the foreground until Ctrl-C.
import { resolve } from 'node:path';
import { startCaptureInbox } from '../../core/inbox';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import { stringValue, type CommandSpec } from '../args';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';

const spec: CommandSpec = {
  name: 'inbox',
  summary: 'Run the local capture inbox (an SMTP server on 127.0.0.1) in the foreground until Ctrl-C.',
  positionals: '',
  minPositionals: 0,
  maxPositionals: 0,
  options: {
    dir: { type: 'string', value: 'D', description: 'where messages are stored (default ./.mailsmith/inbox)' },
    port: { type: 'string', value: 'P', description: `the port (default ${BUILT_IN_INBOX_PROFILE.port}, or a free one when that is busy; 0 for any free port)` },
    user: { type: 'string', value: 'U', description: 'require AUTH with this user (and the password from --password-env)' },
    'password-env': { type: 'string', value: 'VAR', description: 'the environment variable holding the password for --user' },
  },
  notes: `Every message is stored as an .eml file, with its envelope in a .json file beside it; STARTTLS is
offered with a self-signed certificate kept in D/.tls. A port given with --port that is busy is an error.`,
};

export const inboxCommand: CliCommand = {
  spec,
  async run({ values }, io) {
    const dir = stringValue(values, 'dir') ?? '.mailsmith/inbox';
    const portText = stringValue(values, 'port');
    const port = portText === undefined ? BUILT_IN_INBOX_PROFILE.port : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port is a number from 0 to 65535');
    const user = stringValue(values, 'user');
    const passwordEnv = stringValue(values, 'password-env');
    if (user && (!passwordEnv || !io.env[passwordEnv])) throw new CliError('--user needs --password-env VAR with the password in that variable');
    const logger = cliLogger(io, true);
    const folder = resolve(io.cwd, dir);
    let inbox;
    try {
      inbox = await startCaptureInbox({
        dir: folder,
        port,
        // The usual port may be taken by another inbox; a port the user asked for is theirs to free.
        freePortIfBusy: portText === undefined,
        logger: { ...logger, info: (m) => io.stdout(m + '\n') },
        ...(user ? { auth: { user, password: io.env[passwordEnv!]! } } : {}),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} on 127.0.0.1 is in use: stop what holds it, or choose another --port`, 1);
      throw err;
    }
    if (inbox.port !== port && port !== 0) io.stderr(`mailsmith inbox: port ${port} is busy; listening on ${inbox.port} instead\n`);
    io.stdout(`Send to smtp://${inbox.host}:${inbox.port} (STARTTLS offered; certificate ${inbox.certificateFile}). Ctrl-C stops.\n`);
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await inbox.close();
    return 0;
  },
};
