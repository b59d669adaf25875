// A field Mailsmith writes again (a list separated with ";", or a non-ASCII one for a server without
// SMTPUTF8) carries each display name as written: the words of a quoted name keep their dots and spaces.
import * as assert from 'node:assert/strict';
import { prepareMessage } from '../../../src/core/message/prepare';
import { message } from './helpers';

function toLineOf(to: string): string {
  const prepared = prepareMessage(message({ To: to }));
  assert.ok(prepared.ok, JSON.stringify(prepared.ok ? [] : prepared.problems));
  // The whole field, unfolded (a long one is folded at 76 characters).
  const line = /^To: .*(?:\r\n[ \t].*)*/m.exec(prepared.message.raw.toString('utf8'));
  assert.ok(line, 'a To line');
  return line[0].replace(/\r\n(?=[ \t])/g, '').replace(/\r$/, '');
}

describe('display names written again keep what a quoted name holds', () => {
  it('a ";" list: "Mr . Smith" stays "Mr . Smith", J. R. Smith stays J. R. Smith', () => {
    assert.equal(toLineOf('"Mr . Smith" <a@x.example>; J. R. Smith <b@y.example>'), 'To: "Mr . Smith" <a@x.example>, "J. R. Smith" <b@y.example>');
  });
});

describe('groups written again stay groups, in their place', () => {
  // The list is written again because of its ";" separator; the recipients see this line.
  it('a group name with a comma is quoted, so the list does not split there', () => {
    assert.equal(toLineOf('"The, Team": a@x.example;; b@y.example'), 'To: "The, Team": a@x.example;, b@y.example');
  });

  it('keeps the order of groups and mailboxes, and an empty group', () => {
    assert.equal(
      toLineOf('a@x.example; Team: b@y.example, c@y.example;; d@z.example; Undisclosed recipients:;'),
      'To: a@x.example, Team: b@y.example, c@y.example;, d@z.example, Undisclosed recipients: ;',
    );
  });

  it('a non-ASCII group name becomes an encoded-word on a 7-bit server', () => {
    assert.match(toLineOf('Équipe: a@x.example;; b@y.example'), /^To: =\?UTF-8\?Q\?=C3=89quipe\?=: a@x\.example;, b@y\.example$/);
  });
});
