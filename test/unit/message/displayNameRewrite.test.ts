// A field Mailsmith writes again (a list separated with ";", or a non-ASCII one for a server without
// SMTPUTF8) carries each display name as written: the words of a quoted name keep their dots and spaces.
import * as assert from 'node:assert/strict';
import { prepareMessage } from '../../../src/core/message/prepare';
import { message } from './helpers';

function toLineOf(to: string): string {
  const prepared = prepareMessage(message({ To: to }));
  assert.ok(prepared.ok, JSON.stringify(prepared.ok ? [] : prepared.problems));
  const line = /^To: .*$/m.exec(prepared.message.raw.toString('utf8'));
  assert.ok(line, 'a To line');
  return line[0].replace(/\r$/, '');
}

describe('display names written again keep what a quoted name holds', () => {
  it('a ";" list: "Mr . Smith" stays "Mr . Smith", J. R. Smith stays J. R. Smith', () => {
    assert.equal(toLineOf('"Mr . Smith" <a@x.example>; J. R. Smith <b@y.example>'), 'To: "Mr . Smith" <a@x.example>, "J. R. Smith" <b@y.example>');
  });
});
