import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../../src/core/document';
import { repoRoot } from '../../support/paths';

interface Snippet {
  prefix: string[];
  body: string[];
  description: string;
}

const snippets = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'email.json'), 'utf8')) as Record<string, Snippet>;
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

/** The snippet as inserted when the user accepts every default (`${1:text}` -> `text`). */
function expand(body: string[]): string {
  return body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
}

describe('email snippets', () => {
  it('are contributed for the email language', () => {
    assert.deepEqual(manifest.contributes.snippets, [{ language: 'email', path: './snippets/email.json' }]);
    assert.deepEqual(Object.keys(snippets), ['Reply-To', 'Reply headers', 'List-Unsubscribe', 'Markdown body', 'Attach']);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" with its defaults gives header fields the rules accept`, async () => {
      const fields = expand(snippet.body).split('\n').filter((line) => !/^Subject:/.test(line));
      const text = ['From: ann@example.com', 'To: bob@example.org', 'Subject: s', ...fields, '', 'Body', ''].join('\r\n');
      const problems = (await analyzeDocument(text)).problems.filter((p) => p.severity === 'error' || p.severity === 'warning');
      // Attach names a file that does not exist here: the only finding allowed is that one.
      assert.deepEqual(problems.map((p) => p.code).filter((c) => c !== 'attachment-missing'), [], JSON.stringify(problems));
      assert.ok(snippet.prefix.length > 0 && snippet.description.length > 10);
    });
  }
});
