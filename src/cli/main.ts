// `mailsmith`: the command-line face of the core. Each subcommand lives in src/cli/commands/.
import { commands } from './commands';
import { CliError, type CliIo, nodeIo } from './io';

const USAGE = `Usage: mailsmith <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "mailsmith <command> --help" for a command's options.`;

export async function main(argv: string[], io: CliIo = nodeIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`mailsmith: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`mailsmith ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr(`mailsmith ${name}: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 70;
  }
}

declare const __MAILSMITH_VERSION__: string | undefined;
const VERSION = typeof __MAILSMITH_VERSION__ === 'string' ? __MAILSMITH_VERSION__ : 'dev';

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(String(err) + '\n');
      process.exitCode = 70;
    },
  );
}
