// The same series through `git send-email --dry-run` (Debian's git-email) and `mailsmith series --dry-run`:
// both must name the same recipients for each message (RCPT TO, To, Cc) and thread it the same way
// (In-Reply-To and References point at the same messages), for shallow, deep and --in-reply-to threading and
// with Cc categories suppressed.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { recordingIo } from '../cli/checkIo';
import { ensureGitSendEmail } from './gitSendEmail';
import { formatSeries, git, scratchRepo, SENDER, type ScratchRepo } from './scratchRepo';

interface Seen {
  subject: string;
  rcpt: string[];
  to: string[];
  cc: string[];
  messageId: string;
  inReplyTo?: string;
  references: string[];
}

const addresses = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((a) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase())
    .filter(Boolean)
    .sort();

function parseHeader(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.replace(/\r/g, '').replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([A-Za-z-]+): ?(.*)$/.exec(line);
    if (m) fields[m[1].toLowerCase()] ??= m[2].trim();
  }
  return fields;
}

function seen(rcpt: string[], head: Record<string, string>): Seen {
  return {
    subject: head.subject,
    rcpt: rcpt.map((r) => r.toLowerCase()).sort(),
    to: addresses(head.to),
    cc: addresses(head.cc),
    messageId: head['message-id'],
    ...(head['in-reply-to'] ? { inReplyTo: head['in-reply-to'] } : {}),
    references: (head.references ?? '').split(/\s+/).filter(Boolean),
  };
}

/** git send-email --dry-run prints, per message, "Dry-OK. Log says:", the envelope and the header. */
function parseGit(output: string): Seen[] {
  return output
    .split('Dry-OK. Log says:\n')
    .slice(1)
    .map((part) => {
      const rcpt = [...part.matchAll(/^RCPT TO:<([^>]+)>$/gm)].map((m) => m[1]);
      const head = part.slice(part.indexOf('\nFrom: ') + 1, part.indexOf('\n\nResult:'));
      return seen(rcpt, parseHeader(head));
    });
}

/** mailsmith series --dry-run prints, per message, "=== i/n FILE", the envelope, a rule, the bytes. */
function parseMailsmith(output: string): Seen[] {
  return output
    .split(/^=== \d+\/\d+ .*\r?\n/m)
    .slice(1)
    .map((part) => {
      const rcpt = [...part.matchAll(/^RCPT TO:<([^>]+)>\r?$/gm)].map((m) => m[1]);
      const bytes = part.slice(part.indexOf('-'.repeat(72)) + 74);
      return seen(rcpt, parseHeader(bytes.split(/\r?\n\r?\n/)[0]));
    });
}

/** Threading as positions: who each message answers, by index, so generated IDs compare. */
function threadShape(messages: Seen[], initial?: string): { inReplyTo?: number | string; references: (number | string)[] }[] {
  const index = (id: string) => {
    const i = messages.findIndex((m) => m.messageId === id);
    return i === -1 ? (id === initial ? 'initial' : `unknown ${id}`) : i;
  };
  return messages.map((m) => ({ ...(m.inReplyTo ? { inReplyTo: index(m.inReplyTo) } : {}), references: m.references.map(index) }));
}

describe('mailsmith series and git send-email agree', function () {
  this.timeout(300_000);
  let repo: ScratchRepo;
  let sendEmail: string;
  let outgoing: string;

  before(function () {
    sendEmail = ensureGitSendEmail();
    repo = scratchRepo();
    outgoing = formatSeries(repo);
  });
  after(() => repo?.close());

  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } as Record<string, string>;

  function viaGit(args: string[]): Seen[] {
    const result = spawnSync(
      'git',
      ['send-email', '--dry-run', '--confirm=never', '--no-validate', '--no-xmailer', '--smtp-server=127.0.0.1', `--from=${SENDER}`, ...args, outgoing],
      { cwd: repo.dir, env, encoding: 'utf8', input: '' },
    );
    assert.equal(result.status, 0, `${sendEmail} failed: ${result.stderr}`);
    return parseGit(result.stdout);
  }

  async function viaMailsmith(args: string[]): Promise<Seen[]> {
    const io = recordingIo();
    io.cwd = repo.dir;
    io.env = { ...env, MAILSMITH_STATE_DIR: join(repo.dir, '.state') };
    const code = await main(['series', outgoing, '--dry-run', `--from=${SENDER}`, ...args], io);
    assert.equal(code, 0, io.err);
    return parseMailsmith(io.out);
  }

  const cases: { name: string; git: string[]; mailsmith: string[]; initial?: string; config?: [string, string][] }[] = [
    { name: 'shallow threading, every Cc category', git: ['--to=list@example.org', '--cc=Carl <carl@example.org>'], mailsmith: ['--to', 'list@example.org', '--cc', 'Carl <carl@example.org>'] },
    { name: 'deep threading', git: ['--to=list@example.org', '--chain-reply-to'], mailsmith: ['--to', 'list@example.org', '--thread', 'deep'] },
    {
      name: 'under an earlier cover letter',
      git: ['--to=list@example.org', '--in-reply-to=<v1-cover@example.com>'],
      mailsmith: ['--to', 'list@example.org', '--in-reply-to', '<v1-cover@example.com>'],
      initial: '<v1-cover@example.com>',
    },
    { name: 'no threading', git: ['--to=list@example.org', '--no-thread'], mailsmith: ['--to', 'list@example.org', '--thread', 'none'] },
    {
      name: 'trailers, self and author suppressed',
      git: ['--to=list@example.org', '--suppress-cc=misc-by', '--suppress-cc=self', '--suppress-cc=author'],
      mailsmith: ['--to', 'list@example.org', '--suppress-cc', 'misc-by', '--suppress-cc', 'self', '--suppress-cc', 'author'],
    },
    { name: 'everything suppressed', git: ['--to=list@example.org', '--suppress-cc=all'], mailsmith: ['--to', 'list@example.org', '--suppress-cc', 'all'] },
    {
      name: 'the repository\u2019s sendemail.to, cc, suppressCc, suppressFrom and signedOffByCc',
      config: [
        ['sendemail.to', 'list@example.org'],
        ['sendemail.cc', 'Carl <carl@example.org>'],
        ['sendemail.suppressCc', 'bodycc'],
        ['sendemail.suppressFrom', 'true'],
        ['sendemail.signedOffByCc', 'false'],
      ],
      git: [],
      mailsmith: [],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: the same recipients and the same thread for each message`, async () => {
      for (const [key, value] of c.config ?? []) git(repo.dir, ['config', key, value]);
      let fromGit: Seen[];
      let ours: Seen[];
      try {
        fromGit = viaGit(c.git);
        ours = await viaMailsmith(c.mailsmith);
      } finally {
        for (const [key] of c.config ?? []) git(repo.dir, ['config', '--unset-all', key]);
      }
      assert.equal(fromGit.length, 4, 'git send-email printed four messages');
      assert.deepEqual(
        ours.map((m) => ({ subject: m.subject, rcpt: m.rcpt, to: m.to, cc: m.cc })),
        fromGit.map((m) => ({ subject: m.subject, rcpt: m.rcpt, to: m.to, cc: m.cc })),
      );
      assert.deepEqual(threadShape(ours, c.initial), threadShape(fromGit, c.initial));
    });
  }
});
