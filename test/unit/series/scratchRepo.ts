// A scratch git repository made with git itself in a temporary folder: commits by two authors (one with a
// non-ASCII name, trailers and trailing whitespace, one with a line over 998 octets), and what `git am` makes
// of a list of received messages, so tests compare real commits.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SENDER = 'Sam Sender <sam@example.com>';
const IDENTITY = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_COMMITTER_NAME: 'Sam Sender', GIT_COMMITTER_EMAIL: 'sam@example.com' };

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface ScratchRepo {
  dir: string;
  /** The commit the series starts from. */
  base: string;
  close(): void;
}

/** `at`: a folder to make it in (created), e.g. inside a test workspace; default a new temporary folder. */
export function scratchRepo(at?: string): ScratchRepo {
  const dir = at ?? mkdtempSync(join(tmpdir(), 'mailsmith-series-repo-'));
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Sam Sender']);
  git(dir, ['config', 'user.email', 'sam@example.com']);
  const commit = (message: string, author: string, date: string) => {
    const [, name, email] = /^(.*) <(.*)>$/.exec(author) as RegExpExecArray;
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', message], { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  };
  writeFileSync(join(dir, 'README'), 'A scratch project.\n');
  commit('Start the project', SENDER, '2026-01-01T10:00:00+0100');
  const base = git(dir, ['rev-parse', 'HEAD']).trim();
  writeFileSync(join(dir, 'notes.txt'), 'keep the trailing spaces   \n\tand the tab\t\n');
  commit(
    'Add notes\n\nNotes keep their trailing white space.\n\nReviewed-by: Rita Reviewer <rita@example.net>\nCc: stable@example.org # 5.10+\nSigned-off-by: Ánna Author <anna@example.org>',
    'Ánna Author <anna@example.org>',
    '2026-02-03T04:05:06+0200',
  );
  writeFileSync(join(dir, 'wide.txt'), `${'w'.repeat(1200)}\n`);
  commit('Add a wide file\n\nSigned-off-by: Sam Sender <sam@example.com>', SENDER, '2026-03-04T05:06:07-0500');
  writeFileSync(join(dir, 'README'), 'A scratch project.\nNow with notes.\n');
  commit('Mention the notes\n\nSigned-off-by: Sam Sender <sam@example.com>', SENDER, '2026-04-05T06:07:08+0000');
  return { dir, base, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** format-patch --cover-letter of the last three commits into `out`, the cover letter written (or not). */
export function formatSeries(repo: ScratchRepo, options: { editCover?: boolean; out?: string } = {}): string {
  const out = join(repo.dir, options.out ?? 'outgoing');
  git(repo.dir, ['format-patch', '-q', '--cover-letter', '-o', out, 'HEAD~3']);
  if (options.editCover !== false) {
    const cover = join(out, readdirSync(out).sort()[0]);
    writeFileSync(cover, readFileSync(cover, 'utf8').replace('*** SUBJECT HERE ***', 'Notes for the scratch project').replace('*** BLURB HERE ***', 'Three small changes.'));
  }
  return out;
}

/** The commits after `base` as `git log` shows what must survive: author, author date, message, tree. */
export function commitsAfter(dir: string, base: string): string[] {
  return git(dir, ['log', '--reverse', '--format=%an <%ae>%n%ad%n%T%n%B%x00', '--date=raw', `${base}..HEAD`])
    .split('\0')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A fresh clone at `base` that `git am`s the messages (their bytes as received) as one mbox. */
export function applyReceived(repo: ScratchRepo, messages: Buffer[]): string[] {
  const clone = mkdtempSync(join(tmpdir(), 'mailsmith-series-am-'));
  try {
    git(clone, ['clone', '-q', repo.dir, '.']);
    git(clone, ['checkout', '-q', repo.base]);
    const mbox = join(clone, '..', `${clone.split('/').pop()}.mbox`);
    writeFileSync(mbox, Buffer.concat(messages.flatMap((m) => [Buffer.from('From mailsmith Mon Sep 17 00:00:00 2001\n'), m, Buffer.from('\n')])));
    git(clone, ['am', '-q', mbox]);
    rmSync(mbox, { force: true });
    return commitsAfter(clone, repo.base);
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}
