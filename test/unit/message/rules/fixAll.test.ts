// Fix all: the preferred fix of every problem, each whole or not at all, never two edits over the same
// text; what needs the author (From, which Subject to keep, where the body starts) is left to them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateMessage } from '../../../../src/core/message';
import { fixAllEdits, fixAllFixes } from '../../../../src/core/message/rules/fixAll';
import type { Fix, Problem, Range } from '../../../../src/core/types';
import { samplesDir } from '../../../support/paths';
import { applyFix } from '../helpers';

const at = (line: number, start: number, end = start): Range => ({ start: { line, character: start }, end: { line, character: end } });
const problem = (code: string, fixes: Fix[]): Problem => ({ code, severity: 'error', message: code, range: at(0, 0), fixes });
const fix = (title: string, ranges: Range[], preferred = true): Fix => ({ title, edits: ranges.map((range) => ({ range, newText: title })), preferred });

describe('Fix all', () => {
  it('mends the typos of samples/broken.eml and leaves what only the author can decide', () => {
    const text = readFileSync(join(samplesDir, 'broken.eml'), 'utf8');
    const problems = validateMessage(text);
    assert.deepEqual(
      fixAllFixes(problems).map((f) => f.title),
      ['Separate the addresses with ","', 'Remove the extra "@"', 'Put the address in <angle brackets> after the name', 'Remove the whitespace'],
    );
    const fixed = applyFix(text, { title: 'Fix all', edits: fixAllEdits(problems) });
    assert.equal(
      fixed,
      [
        'To: bob@example.org, carol@example.org',
        'Subject: This message is broken on purpose',
        'Subject: and has a second Subject',
        'Cc: Dave Manager <dave@example.org>',
        'X-Note: whitespace before the colon',
        'This line has no colon and the blank line is missing',
        'Hello, this was meant to be the body.',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      validateMessage(fixed)
        .filter((p) => p.severity !== 'hint')
        .map((p) => p.code),
      ['missing-from', 'duplicate-field', 'header-no-colon', 'header-no-colon'],
    );
  });

  it('takes a fix whole or not at all, skipping one that overlaps an edit already taken', () => {
    const first = fix('first', [at(1, 0, 5), at(3, 2)]);
    const overlapsFirst = fix('overlaps', [at(4, 0), at(1, 4, 8)]);
    const touching = fix('touching', [at(1, 5, 6)]);
    const sameInsertPoint = fix('same place', [at(3, 2)]);
    const insideFirst = fix('inside', [at(1, 3)]);
    const later = fix('later', [at(5, 0)]);
    const chosen = fixAllFixes([first, overlapsFirst, touching, sameInsertPoint, insideFirst, later].map((f) => problem(f.title, [f])));
    assert.deepEqual(
      chosen.map((f) => f.title),
      ['first', 'touching', 'later'],
    );
  });

  it('takes an insertion where a replacement starts: editors apply the insertion first', () => {
    const replace = fix('replace', [at(1, 4, 5)]);
    const insertBefore = fix('insert', [at(1, 4)]);
    const replaceAgain = fix('replace again', [at(1, 4, 6)]);
    assert.deepEqual(
      fixAllFixes([problem('a', [replace]), problem('b', [insertBefore]), problem('c', [replaceAgain])]).map((f) => f.title),
      ['replace', 'insert'],
    );
    const text = 'From: Ann <ann@example.com>\nTo: Bob bob@example.org; carol@@example.org\nSubject: s\n\nHi\n';
    const fixed = applyFix(text, { title: 'Fix all', edits: fixAllEdits(validateMessage(text)) });
    assert.equal(fixed, 'From: Ann <ann@example.com>\nTo: Bob <bob@example.org>, carol@example.org\nSubject: s\n\nHi\n');
  });

  it('applies only preferred fixes, the first of a problem, and one shared fix once', () => {
    const shared = fix('shared', [at(2, 0, 3)]);
    const chosen = fixAllFixes([
      problem('a', [fix('not preferred', [at(0, 0)], false), fix('preferred', [at(0, 1)]), fix('second preferred', [at(0, 4)])]),
      problem('b', [shared]),
      problem('c', [shared]),
    ]);
    assert.deepEqual(
      chosen.map((f) => f.title),
      ['preferred', 'shared'],
    );
  });

  it('returns plain text edits in document order, without snippets', () => {
    const snippet: Fix = { title: 's', preferred: true, edits: [{ range: at(3, 0), newText: 'From: a@example.com\n', snippet: 'From: ${1:a@example.com}\n' }] };
    const edits = fixAllEdits([problem('late', [snippet]), problem('early', [fix('early', [at(1, 0)])])]);
    assert.deepEqual(edits, [
      { range: at(1, 0), newText: 'early' },
      { range: at(3, 0), newText: 'From: a@example.com\n' },
    ]);
  });
});
