// `mailsmith check FILE...`: every check a send would make, over files, as `file:line:col severity code message`
// (1-based, for humans and editors' problem matchers) or as JSON. With --profile-file the profile's defaults
// apply, so the file is judged exactly as `mailsmith send --profile-file` would judge it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InspectedFile } from '../../core/compose/files';
import { problemLine, problemSummary } from '../../core/report/problems';
import type { Problem } from '../../core/types';
import type { CommandSpec } from '../args';
import { ALLOW_OUTSIDE_OPTION, readDocument, RULE_OPTION } from '../documents';
import type { CliCommand } from '../io';
import { PROFILE_OPTIONS, profileFromOptions } from '../profileFile';

const spec: CommandSpec = {
  name: 'check',
  summary: 'Check message files: every problem that would refuse or spoil a send, with its position.',
  positionals: 'FILE...',
  minPositionals: 1,
  options: {
    format: { type: 'string', value: 'text|json', choices: ['text', 'json'], description: 'output format (default text)' },
    ...PROFILE_OPTIONS,
    rule: RULE_OPTION,
    'allow-outside-files': ALLOW_OUTSIDE_OPTION,
  },
  notes: `"-" reads standard input. Output: file:line:column severity code message.
Each code is explained, with an example and how to fix it, in docs/rules/CODE.md (beside Mailsmith's
dist/ folder); --format json gives each problem's page as "docs".
Exit status: 0 no errors, 1 at least one error, 2 bad usage or an unreadable file.`,
};

interface CheckedFile {
  file: string;
  /** How the bytes were read: valid UTF-8, or Latin-1 when they were not. */
  decoding: string;
  problems: Problem[];
  files: InspectedFile[];
}

export const checkCommand: CliCommand = {
  spec,
  async run({ values, positionals }, io) {
    const profile = profileFromOptions(values, io);
    const checked: CheckedFile[] = [];
    let unreadable = 0;
    for (const file of positionals) {
      const read = await readDocument(file, io, values, { defaults: profile?.defaults });
      if (typeof read === 'string') {
        io.stderr(`mailsmith check: ${read}\n`);
        unreadable++;
        continue;
      }
      const { analysis } = read;
      checked.push({ file, decoding: analysis.scanned.decoding, problems: analysis.problems, files: analysis.files });
    }
    if (values.format === 'json') {
      const docs = ruleDocsDir();
      io.stdout(JSON.stringify(checked.map((c) => toJson(c, docs)), null, 2) + '\n');
    }
    else if (checked.length > 0) {
      const lines = checked.flatMap((c) => c.problems.map((p) => problemLine(c.file, p)));
      lines.push(problemSummary(checked.flatMap((c) => c.problems), checked.length));
      io.stdout(lines.join('\n') + '\n');
    }
    if (unreadable > 0) return 2;
    return checked.some((c) => c.problems.some((p) => p.severity === 'error')) ? 1 : 0;
  },
};

/** docs/rules/ of this installation: beside dist/ for the bundle, at the repository root for a build in out/. */
function ruleDocsDir(): string | undefined {
  for (let dir = __dirname, up = 0; up < 5; dir = dirname(dir), up++) {
    const candidate = join(dir, 'docs', 'rules');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
  }
  return undefined;
}

function toJson(c: CheckedFile, docs: string | undefined): unknown {
  return {
    file: c.file,
    decoding: c.decoding,
    problems: c.problems.map((p) => ({
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      endLine: p.range.end.line + 1,
      endColumn: p.range.end.character + 1,
      severity: p.severity,
      code: p.code,
      message: p.message,
      range: p.range,
      fixes: p.fixes ?? [],
      ...(docs ? { docs: join(docs, `${p.code}.md`) } : {}),
    })),
    // Every local file the message names, and what it really is: what would travel with it.
    files: c.files.map(({ ref, state }) => ({
      path: ref.path,
      name: ref.filename,
      kind: ref.kind,
      status: state.status,
      ...('absolutePath' in state ? { absolutePath: state.absolutePath } : {}),
      ...('realPath' in state ? { realPath: state.realPath } : {}),
      ...('size' in state ? { size: state.size } : {}),
      ...('reason' in state ? { reason: state.reason } : {}),
    })),
  };
}
