// Every problem code has its page in docs/rules/ (the editor links each diagnostic's code to it, the
// .vsix ships the folder), every page belongs to a code, and each page's example is true: checking the
// example reports the code with the severity the page states (and the quick fix it names), and checking
// the fixed example does not.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../../src/cli/main';
import { analyzeDocument, type AnalyzeOptions } from '../../../../src/core/document/analyze';
import { knownProblemCodes } from '../../../../src/core/document/catalog';
import type { Problem } from '../../../../src/core/types';
import { repoRoot } from '../../../support/paths';
import { recordingIo } from '../../cli/checkIo';

const DOCS = join(repoRoot, 'docs', 'rules');

/** Options a code's example needs (the page says so in words). */
const EXAMPLE_OPTIONS: Record<string, AnalyzeOptions> = {
  'envelope-no-sender': { defaults: { from: 'undisclosed-senders:;' } },
  'envelope-no-recipients': { defaults: { to: 'undisclosed-recipients:;' } },
  'defaults-bad-address': { defaults: { to: 'bob@example.org, carol@' } },
  'defaults-control-char': { defaults: { subject: 'Hello\nBcc: x@example.org' } },
  'attachment-too-large': { maxAttachmentBytes: 100 },
  'message-too-large': { maxMessageBytes: 180 },
};

/** Examples whose first block is checked with LF line endings as written (every other one as CRLF, as sent). */
const LF_EXAMPLES = new Set(['bare-lf']);

/** Codes whose example cannot be written as text in a page (control characters, bytes, bugs): described in words. */
const EXAMPLE_IN_WORDS = new Set([
  'header-control-char',
  'invalid-utf8',
  'line-too-long',
  'bare-cr',
  'bom',
  'body-nul',
  'attachment-unreadable',
  'compose-failed',
  'internal-error',
]);

interface Page {
  code: string;
  text: string;
  severity: string;
  quickFix?: string;
  examples: Array<{ lang: string; text: string }>;
}

function readPage(file: string): Page {
  const text = readFileSync(join(DOCS, file), 'utf8');
  const code = file.replace(/\.md$/, '');
  const meta = /^\*\*Severity:\*\* (.+?)(?: · \*\*Quick fix:\*\* (.+))?$/m.exec(text);
  const exampleSection = text.slice(text.indexOf('## Example'));
  const examples = [...exampleSection.matchAll(/^```(eml|markdown)\n([\s\S]*?)\n```$/gm)].map((m) => ({ lang: m[1], text: m[2] + '\n' }));
  return { code, text, severity: meta?.[1] ?? '', quickFix: meta?.[2], examples };
}

function pages(): Page[] {
  return readdirSync(DOCS)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()
    .map(readPage);
}

describe('rule documentation (docs/rules/<code>.md)', () => {
  let dir: string;
  before(() => {
    // The examples' message folder: `notes.txt` and `folder/` exist in it, `../outside.txt` beside it.
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-rule-docs-'));
    mkdirSync(join(dir, 'mail', 'folder'), { recursive: true });
    writeFileSync(join(dir, 'mail', 'notes.txt'), 'Notes for the meeting.\n'.repeat(20));
    writeFileSync(join(dir, 'outside.txt'), 'not in the message folder\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function check(code: string, example: { lang: string; text: string }, lf = false): Promise<Problem[]> {
    const text = lf ? example.text : example.text.replace(/\n/g, '\r\n');
    const baseDir = join(dir, 'mail');
    const fileName = join(baseDir, example.lang === 'markdown' ? 'example.email.md' : 'example.eml');
    const analysis = await analyzeDocument(text, { fileName, baseDir, scope: { root: baseDir, allowOutside: false }, ...EXAMPLE_OPTIONS[code] });
    const prepared = analysis.sendable ? await analysis.prepare(new Date('2026-11-23T09:15:00Z')) : undefined;
    return [...analysis.problems, ...(prepared && !prepared.ok ? prepared.problems : [])];
  }

  it('has one page per problem code, and no page without a code', () => {
    const documented = pages().map((p) => p.code);
    const known = [...knownProblemCodes()].sort();
    assert.deepEqual(
      known.filter((c) => !documented.includes(c)),
      [],
      'codes without a page',
    );
    assert.deepEqual(
      documented.filter((c) => !known.includes(c)),
      [],
      'pages without a code',
    );
    const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
    for (const code of known) assert.ok(index.includes(`[${code}](${code}.md)`), `the index links ${code}`);
  });

  it('is named per problem by `mailsmith check --format json` and in `check --help`', async () => {
    const io = recordingIo();
    assert.equal(await main(['check', '--format', 'json', join(repoRoot, 'samples', 'broken.eml')], io), 1);
    const problems = (JSON.parse(io.out) as Array<{ problems: Array<{ code: string; docs?: string }> }>)[0].problems;
    assert.ok(problems.length > 5);
    for (const p of problems) assert.equal(p.docs, join(DOCS, `${p.code}.md`));
    const help = recordingIo();
    await main(['check', '--help'], help);
    assert.match(help.out, /docs\/rules\/CODE\.md/);
  });

  it('gives every page its title, severity, why, how to fix and an example', () => {
    for (const page of pages()) {
      assert.ok(page.text.startsWith(`# ${page.code}\n`), `${page.code}: the title is the code`);
      assert.match(page.severity, /error|warning|info|hint/, `${page.code}: states its severity`);
      for (const section of ['## Why', '## How to fix', '## Example']) assert.ok(page.text.includes(`\n${section}\n`), `${page.code}: has "${section}"`);
      if (!EXAMPLE_IN_WORDS.has(page.code)) assert.equal(page.examples.length, 2, `${page.code}: an example and its fixed form`);
    }
  });

  for (const page of pages().filter((p) => !EXAMPLE_IN_WORDS.has(p.code))) {
    it(`${page.code}: the example reports it as the page says, the fixed example does not`, async () => {
      const [bad, good] = page.examples;
      const found = (await check(page.code, bad, LF_EXAMPLES.has(page.code))).filter((p) => p.code === page.code);
      assert.ok(found.length > 0, `the example reports ${page.code}`);
      assert.ok(
        found.every((p) => page.severity.includes(p.severity)),
        `reported as ${found.map((p) => p.severity).join(', ')}, the page says "${page.severity}"`,
      );
      if (page.quickFix) {
        const titles = found.flatMap((p) => (p.fixes ?? []).map((f) => f.title));
        // bare-lf's fix is the editor's (switch to CRLF), named by the page as the editor names it.
        if (page.code !== 'bare-lf') assert.ok(titles.includes(page.quickFix), `offers "${page.quickFix}" among ${JSON.stringify(titles)}`);
      }
      const after = (await check(page.code, good)).filter((p) => p.code === page.code);
      assert.deepEqual(after.map((p) => p.message), [], 'the fixed example does not report it');
    });
  }
});
