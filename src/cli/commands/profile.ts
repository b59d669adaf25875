// `mailsmith profile import FILE|-`: turns SMTP settings written for another tool (Dapr component, curl
// command line or URL, Sesam system) into a Mailsmith profile file on stdout. Passwords never reach stdout.
import { IMPORT_FORMATS, type ImportFormat, exportProfileYaml, importProfile } from '../../core/profiles/import';
import { validateProfile } from '../../core/profiles/validate';
import { stringValue, type CommandSpec } from '../args';
import { CliError, type CliCommand } from '../io';

/** Exit code for input that was read but is not a usable profile. */
const EXIT_BAD_INPUT = 1;

const spec: CommandSpec = {
  name: 'profile',
  summary: 'Import SMTP settings from Dapr, curl or Sesam as a Mailsmith profile file (printed on stdout).',
  positionals: 'import FILE|-',
  minPositionals: 2,
  maxPositionals: 2,
  options: {
    format: { type: 'string', value: 'FORMAT', choices: IMPORT_FORMATS.map((f) => f.id), description: `the input's format (${IMPORT_FORMATS.map((f) => `${f.id}: ${f.label}`).join('; ')}); detected when absent` },
    name: { type: 'string', value: 'NAME', description: 'the name of the profile' },
  },
  notes: `Reads a Dapr bindings.smtp component (YAML), a Sesam system:smtp config (JSON), or a text file holding a
curl command line or smtp:// URL ("-" reads standard input). A password found in the input is never printed:
set passwordEnv to the variable that holds it instead.`,
};

export const profileCommand: CliCommand = {
  spec,
  async run({ values, positionals: [sub, source] }, io) {
    if (sub !== 'import') throw new CliError(`unknown subcommand "${sub}" (expected "import")`);
    let text: string;
    try {
      text = source === '-' ? (await io.readStdin()).toString('utf8') : io.readFile(source).toString('utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(code === 'ENOENT' ? `no such file: ${source}` : `cannot read ${source}: ${(err as Error).message}`, EXIT_BAD_INPUT);
    }
    const result = importProfile(text, { format: stringValue(values, 'format') as ImportFormat | undefined, name: stringValue(values, 'name') });
    const where = source === '-' ? 'standard input' : source;
    if (!result.ok) throw new CliError(`${where}: ${result.error}`, EXIT_BAD_INPUT);
    const issues = validateProfile(result.profile);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      throw new CliError(`${where}: the imported profile is not usable:\n${errors.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`, EXIT_BAD_INPUT);
    }
    io.stdout(exportProfileYaml(result.profile));
    for (const note of result.notes) io.stderr(`note: ${note}\n`);
    // The importer's notes already explain an unverified certificate.
    for (const issue of issues) if (issue.field !== 'verifyCertificate') io.stderr(`warning: ${issue.field}: ${issue.message}\n`);
    if (result.secret?.password !== undefined || result.secret?.accessToken !== undefined) {
      io.stderr(
        'note: the input held a password or token in plain text; it was dropped and is not in the output. ' +
          'Put it in an environment variable and name that variable in the profile as passwordEnv.\n',
      );
    }
    return 0;
  },
};
