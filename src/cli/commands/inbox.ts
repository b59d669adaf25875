// `mailsmith inbox`: runs the local capture inbox in the foreground until Ctrl-C.
import { resolve } from 'node:path';
import { startCaptureInbox } from '../../core/inbox';
import { CliError, type CliCommand } from '../io';
import { cliLogger } from '../logger';

const USAGE = `Usage: mailsmith inbox [--dir D] [--port P] [--user U --password-env VAR]

Runs an SMTP server on 127.0.0.1 that stores every message it receives as an .eml file (with its
envelope in a .json file beside it). STARTTLS is offered with a self-signed certificate kept in D/.tls.
  --dir D             where messages are stored (default ./.mailsmith/inbox)
  --port P            the port (default 2525; 0 for any free port)
  --user U            require AUTH with this user, and the password from $VAR (--password-env VAR)`;

export const inboxCommand: CliCommand = {
  name: 'inbox',
  summary: 'Run the local capture inbox (SMTP on 127.0.0.1) in the foreground',
  async run(args, io) {
    let dir = '.mailsmith/inbox';
    let port = 2525;
    let user: string | undefined;
    let passwordEnv: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--help' || arg === '-h') {
        io.stdout(USAGE + '\n');
        return 0;
      } else if (arg === '--dir') dir = args[++i] ?? '';
      else if (arg === '--port') port = Number(args[++i]);
      else if (arg === '--user') user = args[++i];
      else if (arg === '--password-env') passwordEnv = args[++i];
      else throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
    }
    if (!dir) throw new CliError('--dir needs a folder');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port is a number from 0 to 65535');
    if (user && (!passwordEnv || !io.env[passwordEnv])) throw new CliError('--user needs --password-env VAR with the password in that variable');
    const logger = cliLogger(io, true);
    const folder = resolve(io.cwd, dir);
    const inbox = await startCaptureInbox({
      dir: folder,
      port,
      freePortIfBusy: true,
      logger: { ...logger, info: (m) => io.stdout(m + '\n') },
      ...(user ? { auth: { user, password: io.env[passwordEnv!]! } } : {}),
    });
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
