// The checks of a series before anything leaves, each with a stable code (./codes.ts), shown on the patch
// files and printed by the CLI; an error refuses the send. The message core's own rules run later, on each
// message's final bytes (plan.ts).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Range } from '../types';
import { SERIES_COVER_PLACEHOLDER, SERIES_LINE_OVER_998, SERIES_MISSING_SIGNOFF, SERIES_MIXED_VERSIONS, SERIES_PATCH_DOES_NOT_APPLY } from './codes';
import { configEntries, gitBoolean, runGit } from './git';
import { MAX_LINE_OCTETS } from './body';
import type { SeriesMessage } from './patch';
import type { SeriesProblem } from './read';
import { bareAddress, stripGarbage } from './recipients';

const PLACEHOLDERS = ['*** SUBJECT HERE ***', '*** BLURB HERE ***'];

const lineRange = (line: number, from = 0, to = from): Range => ({ start: { line, character: from }, end: { line, character: to } });

/** Where a message's Subject is in its file (the place for problems about the whole message). */
export function subjectRange(message: SeriesMessage): Range {
  const field = message.scanned.fields.find((f) => f.key === 'subject') ?? message.scanned.fields[0];
  if (!field) return lineRange(message.startLine);
  const r = field.range;
  return { start: { line: r.start.line + message.startLine, character: r.start.character }, end: { line: r.end.line + message.startLine, character: r.end.character } };
}

/** Checks that need no repository: placeholders, line lengths, versions and numbering. */
export function checkSeriesText(messages: readonly SeriesMessage[]): SeriesProblem[] {
  const problems: SeriesProblem[] = [];
  messages.forEach((message, index) => {
    const text = message.scanned.text;
    let line = message.startLine;
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      const content = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
      for (const placeholder of PLACEHOLDERS) {
        const at = content.indexOf(placeholder);
        if (at !== -1) {
          problems.push({
            code: SERIES_COVER_PLACEHOLDER,
            severity: 'error',
            message: `the cover letter still says "${placeholder}": write the ${placeholder.includes('SUBJECT') ? 'subject' : 'introduction'} before sending`,
            range: lineRange(line, at, at + placeholder.length),
            file: message.file,
            messageIndex: index,
          });
        }
      }
      const octets = Buffer.byteLength(content, message.scanned.decoding === 'latin1' ? 'latin1' : 'utf8');
      if (octets > MAX_LINE_OCTETS && line >= message.bodyLine) {
        problems.push({
          code: SERIES_LINE_OVER_998,
          severity: 'warning',
          message: `this line is ${octets} octets, over the ${MAX_LINE_OCTETS} SMTP allows (RFC 5322 section 2.1.1): the message goes quoted-printable, which git am decodes`,
          range: lineRange(line, 0, content.length),
          file: message.file,
          messageIndex: index,
        });
      }
      if (end === -1) break;
      start = end + 1;
      line++;
    }
  });
  problems.push(...checkVersions(messages));
  return problems;
}

/** One version and one count for the whole series, each number once: a folder holding v1 and v2 is refused. */
function checkVersions(messages: readonly SeriesMessage[]): SeriesProblem[] {
  if (messages.length < 2) return [];
  const problems: SeriesProblem[] = [];
  const report = (index: number, message: string): void => {
    problems.push({ code: SERIES_MIXED_VERSIONS, severity: 'error', message, range: subjectRange(messages[index]), file: messages[index].file, messageIndex: index });
  };
  const first = messages.find((m) => m.prefix)?.prefix;
  if (!first) return [];
  const seen = new Map<number, number>();
  messages.forEach((m, i): void => {
    const p = m.prefix;
    if (!p) return report(i, `"${m.subject}" has no [PATCH] prefix, unlike the rest of the series`);
    if (p.version !== first.version) return report(i, `${p.text} is version ${p.version}, but the series is version ${first.version} (${first.text}): remove the other version's files`);
    if (p.total !== first.total) return report(i, `${p.text} counts ${p.total ?? 'no'} patches, but ${first.text} counts ${first.total ?? 'none'}`);
    if (p.number !== undefined) {
      if (seen.has(p.number)) return report(i, `${p.text} appears twice in the series`);
      seen.set(p.number, i);
    }
  });
  if (problems.length === 0 && first.total !== undefined) {
    const patches = messages.filter((m) => !m.isCover).length;
    if (patches !== first.total) report(0, `the subjects count ${first.total} patches, but the series holds ${patches}`);
  }
  return problems;
}

/** Why the repository asks for a Signed-off-by, if it does: format.signOff, or a DCO file at its root. */
export async function signOffRequired(root: string): Promise<string | undefined> {
  const signOff = (await configEntries(root, '^format\\.signoff$')).at(-1);
  if (signOff && gitBoolean(signOff.value)) return 'the repository sets format.signOff';
  for (const name of ['DCO', 'DCO.txt', 'DCO.md']) if (existsSync(join(root, name))) return `the repository has a ${name} file`;
  return undefined;
}

/** Each patch carries its author's Signed-off-by (the Developer's Certificate of Origin). */
export function checkSignOffs(messages: readonly SeriesMessage[], why: string): SeriesProblem[] {
  const problems: SeriesProblem[] = [];
  messages.forEach((m, index) => {
    if (m.isCover || !m.prefix) return;
    const author = bareAddress(m.author ?? '');
    const signers = m.trailers.filter((t) => /^signed-off-by$/i.test(t.key)).map((t) => bareAddress(stripGarbage(t.value)));
    if (author && signers.includes(author)) return;
    problems.push({
      code: SERIES_MISSING_SIGNOFF,
      severity: 'error',
      message: `no Signed-off-by from the author${author ? ` (${author})` : ''}, and ${why}: add one (git commit --amend -s, or format-patch -s)`,
      range: subjectRange(m),
      file: m.file,
      messageIndex: index,
    });
  });
  return problems;
}

/**
 * `git apply --check` of each patch on its base and the patches before it, in a scratch index and object
 * folder: the repository, its index and its work tree are not touched. The base is format-patch's
 * base-commit, else the parent of the first patch's commit, else HEAD (then a failure is only a warning).
 */
export async function checkApplies(messages: readonly SeriesMessage[], root: string): Promise<SeriesProblem[]> {
  const patches = messages.map((m, index) => ({ m, index })).filter(({ m }) => !m.isCover && /^diff --git /m.test(m.bodyText));
  if (patches.length === 0) return [];
  const exists = async (rev: string) => (await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root })).code === 0;
  let base = messages.map((m) => m.baseCommit).find(Boolean);
  let known = base !== undefined && (await exists(base));
  if (!known) {
    const commit = patches[0].m.commit;
    if (commit && (await exists(`${commit}^`))) {
      base = `${commit}^`;
      known = true;
    } else base = 'HEAD';
  }
  const objects = resolve(root, (await runGit(['rev-parse', '--git-path', 'objects'], { cwd: root })).stdout.toString('utf8').trim());
  const scratch = await mkdtemp(join(tmpdir(), 'mailsmith-apply-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index'), GIT_OBJECT_DIRECTORY: join(scratch, 'objects'), GIT_ALTERNATE_OBJECT_DIRECTORIES: objects };
  try {
    // git refuses an object folder that does not exist.
    await mkdir(env.GIT_OBJECT_DIRECTORY);
    const read = await runGit(['read-tree', base as string], { cwd: root, env });
    if (read.code !== 0) return [];
    for (const { m, index } of patches) {
      const file = join(scratch, `patch-${index}`);
      await writeFile(file, m.bytes);
      const applied = await runGit(['apply', '--cached', '--whitespace=nowarn', file], { cwd: root, env });
      if (applied.code === 0) continue;
      const why = applied.stderr.split('\n').filter((l) => /^error:/.test(l)).slice(0, 2).join('; ') || applied.stderr.split('\n')[0];
      return [
        {
          code: SERIES_PATCH_DOES_NOT_APPLY,
          severity: known ? 'error' : 'warning',
          message: `this patch does not apply on ${known ? `its base ${base === `${m.commit}^` ? '(the parent of its commit)' : (base as string).slice(0, 12)}` : 'HEAD (no base-commit is known)'}${index > 0 ? ' after the patches before it' : ''}: ${why.replace(new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), 'patch')}`,
          range: subjectRange(m),
          file: m.file,
          messageIndex: index,
        },
      ];
    }
    return [];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
