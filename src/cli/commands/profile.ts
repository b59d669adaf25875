// `mailsmith profile import FILE|-`: turns SMTP settings written for another tool (Dapr component, curl
// command line or URL, Sesam system) into a Mailsmith profile file on stdout. Passwords never reach stdout.
import { IMPORT_FORMATS, type ImportFormat, exportProfileYaml, importProfile } from '../../core/profiles/import';
import { validateProfile } from '../../core/profiles/validate';
import { CliError, type CliCommand, type CliIo } from '../io';

const USAGE = `Usage: mailsmith profile import FILE|- [--format dapr|curl|sesam] [--name NAME]

Reads a Dapr bindings.smtp component (YAML), a Sesam system:smtp config (JSON), or a text file holding a
curl command line or smtp:// URL ("-" reads standard input), and prints the Mailsmith profile file (YAML).
A password found in the input is never printed: set passwordEnv to the variable that holds it instead.

Formats: ${IMPORT_FORMATS.map((f) => `${f.id} (${f.label})`).join(', ')}`;

/** Exit code for input that was read but is not a usable profile. */
const EXIT_BAD_INPUT = 1;

export const profileCommand: CliCommand = {
  name: 'profile',
  summary: 'Import SMTP settings from Dapr, curl or Sesam as a profile file',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (!sub || sub === '--help' || sub === '-h') {
      io.stdout(USAGE + '\n');
      return sub ? 0 : 2;
    }
    if (sub !== 'import') throw new CliError(`unknown subcommand "${sub}" (expected "import")\n\n${USAGE}`);
    return runImport(rest, io);
  },
};

async function runImport(args: string[], io: CliIo): Promise<number> {
  let source: string | undefined;
  let format: ImportFormat | undefined;
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE + '\n');
      return 0;
    } else if (arg === '--format') {
      const value = args[++i];
      if (!IMPORT_FORMATS.some((f) => f.id === value)) throw new CliError(`--format must be one of ${IMPORT_FORMATS.map((f) => f.id).join(', ')}`);
      format = value as ImportFormat;
    } else if (arg === '--name') {
      name = args[++i];
      if (!name) throw new CliError('--name needs a value');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new CliError(`unknown option "${arg}"\n\n${USAGE}`);
    } else if (source === undefined) {
      source = arg;
    } else {
      throw new CliError(`one input at a time, got "${source}" and "${arg}"`);
    }
  }
  if (source === undefined) throw new CliError(`which file? Give a path, or "-" for standard input\n\n${USAGE}`);

  let text: string;
  try {
    text = source === '-' ? (await io.readStdin()).toString('utf8') : io.readFile(source).toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${source}` : `cannot read ${source}: ${(err as Error).message}`, EXIT_BAD_INPUT);
  }
  const result = importProfile(text, { format, name });
  const where = source === '-' ? 'standard input' : source;
  if (!result.ok) throw new CliError(`${where}: ${result.error}`, EXIT_BAD_INPUT);
  const issues = validateProfile(result.profile);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new CliError(`${where}: the imported profile is not usable:\n${errors.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`, EXIT_BAD_INPUT);
  }

  io.stdout(exportProfileYaml(result.profile));
  for (const note of result.notes) {
    // The importer's own wording assumes an editor with a secret store; the CLI has none, so say what to do here.
    if (/moved to the secret store/.test(note)) continue;
    io.stderr(`note: ${note}\n`);
  }
  // The importer's notes already explain an unverified certificate.
  for (const issue of issues) if (issue.field !== 'verifyCertificate') io.stderr(`warning: ${issue.field}: ${issue.message}\n`);
  if (result.secret?.password !== undefined || result.secret?.accessToken !== undefined) {
    io.stderr(
      'note: the input held a password or token in plain text; it was dropped and is not in the output. ' +
        'Put it in an environment variable and name that variable in the profile as passwordEnv.\n',
    );
  }
  return 0;
}
