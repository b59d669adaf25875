// The one sentence a notification and the CLI show for an outcome: plain words, and what to do about it.
import * as assert from 'node:assert/strict';
import { describeOutcome } from '../../../src/core/send';
import type { SendOutcome } from '../../../src/core/send/types';

const base = { profile: 'Relay', envelope: { from: 'ann@example.com', to: ['bob@example.org'] }, transcript: [] };

describe('describeOutcome', () => {
  it('says where a failed send stopped in words, and whether trying again can help', () => {
    const refused = { ...base, status: 'failed', stage: 'auth', temporary: false, reason: 'authentication failed: 535 Invalid username or password' } as unknown as SendOutcome;
    const text = describeOutcome(refused);
    assert.equal(text, 'Not sent: it failed while signing in: authentication failed: 535 Invalid username or password. Trying again will not help until this is fixed.');
    const down = { ...base, status: 'failed', stage: 'connect', temporary: true, reason: 'connection refused by 127.0.0.1:2525' } as unknown as SendOutcome;
    assert.match(describeOutcome(down), /^Not sent: it failed while connecting to the server: .*This may pass if you try again later\.$/);
    for (const t of [text, describeOutcome(down)]) assert.doesNotMatch(t, /temporary|permanent|\?\./);
  });
});
