import * as assert from 'node:assert/strict';
import { cursorOffset, DEFAULT_TEMPLATE, fillTemplate, placeholdersOf } from '../../../src/vscode/compose/templateText';

describe('New Email templates', () => {
  it('finds each ${name} once, in order of appearance', () => {
    assert.deepEqual(placeholdersOf('From: ${from}\nSubject: ${topic} and ${topic}\n\n${greeting}, ${first.name}\n$notone {x}\n'), ['from', 'topic', 'greeting', 'first.name']);
    assert.deepEqual(placeholdersOf(DEFAULT_TEMPLATE), ['from', 'subject']);
  });

  it('fills the placeholders it has values for and leaves the others as written', () => {
    assert.equal(fillTemplate('From: ${from}\nSubject: ${topic}\n\n${left}', { from: 'Ann <ann@example.com>', topic: '$1 ${x}' }), 'From: Ann <ann@example.com>\nSubject: $1 ${x}\n\n${left}');
  });

  it('puts the cursor at the end of the To line (header or front matter)', () => {
    const text = 'From: a@example.com\nTo: \nSubject: x\n';
    assert.equal(cursorOffset(text), text.indexOf('To: ') + 4);
    const fm = '---\nfrom: a@example.com\nto: \n---\n';
    assert.equal(cursorOffset(fm), fm.indexOf('to: ') + 4);
    assert.equal(cursorOffset('Subject: none\n'), 0);
  });
});
