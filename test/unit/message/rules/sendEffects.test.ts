// What the send does for the author, in the words the CodeLens shows: the hints that the Problems view
// leaves out, summed up.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanMessage, validateMessage } from '../../../../src/core/message';
import { describeSendEffects, fieldsFromDefaults } from '../../../../src/core/message/rules/sendEffects';
import { samplesDir } from '../../../support/paths';

describe('what the send does (CodeLens notes)', () => {
  it('sums up the hints of an ordinary draft: Date, Message-ID, Bcc, encoded headers, CRLF', () => {
    const text = ['From: Ann <ann@example.com>', 'To: bob@example.org', 'Bcc: carl@example.net', 'Subject: Grüße', '', 'Hello.', ''].join('\n');
    const effects = describeSendEffects(validateMessage(text));
    assert.equal(effects.summary, 'adds Date and Message-ID · Bcc hidden · non-ASCII headers encoded · CRLF line endings');
    assert.equal(effects.details.length, 5);
    assert.match(effects.details[0], /Date/);
  });

  it('says nothing for a message sent as it is', () => {
    const effects = describeSendEffects(validateMessage(readFileSync(join(samplesDir, 'plain-text.eml'))));
    assert.deepEqual(effects, { summary: '', details: [] });
  });

  it('names the fields the profile fills in, and only those the message lacks', () => {
    const scanned = scanMessage('To: bob@example.org\r\nSubject: Mine\r\nDate: Mon, 23 Nov 2026 09:15:00 +0000\r\nMessage-ID: <a@example.com>\r\n\r\nHi\r\n');
    const defaults = { from: 'Ann <ann@example.com>', subject: 'Theirs', to: '  ' };
    const from = fieldsFromDefaults(scanned, defaults);
    assert.deepEqual(from, ['From']);
    assert.equal(describeSendEffects(validateMessage(scanned, { defaults }), from).summary, 'From from the profile');
  });

  it('leaves out a note someone raised to info or above: the Problems view lists it then', () => {
    const problems = validateMessage('From: a@example.com\r\nTo: b@example.org\r\nSubject: s\r\nMessage-ID: <x@example.com>\r\n\r\nHi\r\n').map((p) => ({ ...p, severity: 'info' as const }));
    assert.equal(describeSendEffects(problems).summary, '');
  });
});
