// `mailsmith`: the command-line face of the core. Each subcommand lives in src/cli/commands/ and declares its
// arguments once (src/cli/args.ts), from which both parsing and `--help` come.
import { helpText, parseCommandArgs } from './args';
import { commands } from './commands';
import { refusePasswordFlags } from './commands/send';
import { CliError, type CliIo, nodeIo } from './io';

const USAGE = `Usage: mailsmith <command> [options]

Commands:
${commands.map((c) => `  ${c.spec.name.padEnd(10)} ${c.spec.summary}`).join('\n')}

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
  const command = commands.find((c) => c.spec.name === name);
  if (!command) {
    io.stderr(`mailsmith: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    refusePasswordFlags(rest);
    const parsed = parseCommandArgs(command.spec, rest);
    if (parsed.help) {
      io.stdout(helpText(command.spec) + '\n');
      return 0;
    }
    return await command.run(parsed, io);
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
