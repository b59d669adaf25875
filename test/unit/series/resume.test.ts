// What a later run of a series keeps from an earlier one, and how a short run is described (both faces).
import * as assert from 'node:assert/strict';
import { carriedOver, seriesShortfall } from '../../../src/core/series/resume';

const earlier = [
  { index: 0, status: 'sent', messageId: '<a@x>' },
  { index: 1, status: 'partial', messageId: '<b@x>' },
  { index: 2, status: 'unknown', messageId: '<c@x>' },
  { index: 3, status: 'failed', messageId: '<d@x>' },
  { index: 4, status: 'skipped', messageId: '<e@x>' },
  { index: 5, status: 'not-sent', messageId: '<f@x>' },
];

describe('series: what a later run keeps', () => {
  it('keeps what went or may have gone (sent, partial, unknown) with the ID it went out with', () => {
    const { alreadySent, earlierOutcomes } = carriedOver(earlier);
    assert.deepEqual([...alreadySent], [[0, '<a@x>'], [1, '<b@x>'], [2, '<c@x>']]);
    assert.deepEqual([...earlierOutcomes], [[0, 'sent'], [1, 'partial'], [2, 'unknown']]);
  });

  it('sends an unknown outcome again only when asked', () => {
    const { alreadySent, earlierOutcomes } = carriedOver(earlier, { resendUnknown: true });
    assert.deepEqual([...alreadySent.keys()], [0, 1]);
    assert.deepEqual([...earlierOutcomes.keys()], [0, 1]);
  });

  it('keeps nothing from a run where nothing went', () => {
    const { alreadySent } = carriedOver(earlier.filter((m) => m.index >= 3));
    assert.equal(alreadySent.size, 0);
  });
});

describe('series: what a short run says', () => {
  const next = { resend: 'RESEND-STEP', unknown: 'UNKNOWN-STEP' };

  it('says nothing when nothing fell short', () => {
    assert.deepEqual(seriesShortfall({ resend: [], unknown: [] }, next), []);
  });

  it('numbers messages from 1, and gives each kind its own next step', () => {
    const lines = seriesShortfall({ resend: [2, 3], unknown: [1], stopped: 'the server refused message 3: 451 try later.' }, next);
    assert.deepEqual(lines, [
      'Stopped: the server refused message 3: 451 try later.',
      "Outcome unknown for message(s) 2: the connection was lost after the message was handed over, so the server may have it. Check the list's archive or a recipient's mailbox before sending it again; UNKNOWN-STEP",
      '2 message(s) not sent: 3, 4. RESEND-STEP',
    ]);
  });

  it('an unknown outcome alone never asks to resend', () => {
    const lines = seriesShortfall({ resend: [], unknown: [0, 4] }, next);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /message\(s\) 1, 5:/);
    assert.doesNotMatch(lines[0], /RESEND-STEP/);
  });
});
