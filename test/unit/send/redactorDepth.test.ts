// Issue #16, survivors of the redaction rerun: shownDeep's depth guard returned a value nested deeper than
// nine levels as it was, strings and all, unscrubbed (a secret there left the session); it is now hidden
// whole. scrubSecrets searches its needles as plain text too, not only inside base64 runs.
import * as assert from 'node:assert/strict';
import { DialogueRedactor, REDACTED, scrubSecrets } from '../../../src/core/send/redact';

describe('DialogueRedactor: deep values and plain needles', () => {
  it('shownDeep: a value deeper than nine levels is hidden whole, never passed on unscrubbed', () => {
    const r = new DialogueRedactor(undefined, { password: 'secret-1234' });
    let deep: unknown = { text: 'leak secret-1234' };
    for (let i = 0; i < 10; i++) deep = { inner: deep };
    const shown = JSON.stringify(r.shownDeep({ deep }));
    assert.ok(!shown.includes('secret-1234'), shown);
    let cursor: unknown = (r.shownDeep({ deep }) as { deep: unknown }).deep;
    for (let depth = 1; depth < 9; depth++) cursor = (cursor as { inner: unknown }).inner;
    assert.equal(cursor, REDACTED, 'the object at the tenth level is replaced');
  });

  it('shownDeep: a cycle ends in the placeholder instead of recursing forever', () => {
    const r = new DialogueRedactor(undefined, { password: 'secret-1234' });
    const cyclic: { name: string; self?: unknown } = { name: 'a secret-1234' };
    cyclic.self = cyclic;
    assert.ok(!JSON.stringify(r.shownDeep(cyclic)).includes('secret-1234'));
  });

  it('scrubSecrets: a needle that is no base64 run (spaces, punctuation) is found as plain text', () => {
    assert.equal(scrubSecrets('x pass word! y pass word!', ['pass word!']), `x ${REDACTED} y ${REDACTED}`);
  });
});
