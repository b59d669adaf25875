import * as assert from 'node:assert/strict';
import { parsePageMessage } from '../../../src/vscode/profileSettings/pageMessages';
import { emptyDraft } from '../../../src/webview/profiles/draft';

describe('profile settings: messages from the page are checked', () => {
  const draft = { ...emptyDraft(), name: 'n', host: 'h.example' };

  it('accepts each well-formed message and copies only known fields', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    const save = parsePageMessage({ type: 'save', draft: { ...draft, injected: 'x' }, previousName: null, password: 'pw', useImportedSecret: false });
    assert.deepEqual(save, { type: 'save', draft, previousName: null, password: 'pw', useImportedSecret: false });
    assert.deepEqual(parsePageMessage({ type: 'validate', seq: 3, draft, previousName: 'Work' }), { type: 'validate', seq: 3, draft, previousName: 'Work' });
    assert.deepEqual(parsePageMessage({ type: 'import' }), { type: 'import' });
    assert.deepEqual(parsePageMessage({ type: 'import', text: 'curl smtp://x' }), { type: 'import', text: 'curl smtp://x' });
    assert.deepEqual(parsePageMessage({ type: 'delete', name: 'Work' }), { type: 'delete', name: 'Work' });
    assert.deepEqual(parsePageMessage({ type: 'confirmDiscard', requestId: 2 }), { type: 'confirmDiscard', requestId: 2 });
    const test = parsePageMessage({ type: 'testConnection', runId: 1, draft, previousName: 'Work', useImportedSecret: true });
    assert.deepEqual(test, { type: 'testConnection', runId: 1, draft, previousName: 'Work', useImportedSecret: true });
  });

  it('rejects anything malformed', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'nope' },
      { type: 'validate', seq: -1, draft, previousName: null },
      { type: 'validate', seq: 1, draft },
      { type: 'validate', seq: 1, draft: { ...draft, security: 'ssl' }, previousName: null },
      { type: 'validate', seq: 1, draft: { ...draft, port: 587 }, previousName: null },
      { type: 'validate', seq: 1, draft: { ...draft, verifyCertificate: 'no' }, previousName: null },
      { type: 'validate', seq: 1, draft: { ...draft, host: 'x'.repeat(5000) }, previousName: null },
      { type: 'save', draft, previousName: null, password: 42, useImportedSecret: false },
      { type: 'save', draft, previousName: 7, useImportedSecret: false },
      { type: 'save', draft, previousName: null },
      { type: 'delete', name: '' },
      { type: 'delete' },
      { type: 'confirmDiscard', requestId: 1.5 },
      { type: 'dirty', dirty: 'yes' },
      { type: 'import', text: 5 },
      { type: 'testConnection', runId: 'a', draft, previousName: null, useImportedSecret: false },
    ];
    for (const message of bad) assert.equal(parsePageMessage(message), undefined, JSON.stringify(message)?.slice(0, 120));
  });
});
