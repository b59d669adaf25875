// The profile settings panel inside a real VS Code: one panel at a time, and the store it saves through
// keeps the password in SecretStorage, never in the settings. (The page itself is driven in Chromium by
// test/ui/profileSettings.ui.ts.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MailsmithTestApi } from '../../src/vscode/extension';
import { activateMailsmith, closeAllEditors, waitFor } from './support';

const TITLE = 'Mailsmith Profile Settings';

function settingsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith(TITLE));
}

describe('profile settings panel', () => {
  let api: MailsmithTestApi;

  before(async () => {
    api = (await activateMailsmith()).exports as MailsmithTestApi;
    await closeAllEditors();
  });

  after(async () => {
    await closeAllEditors();
  });

  it('opens from its command, and a second call brings back the same panel', async () => {
    await vscode.commands.executeCommand('mailsmith.openProfileSettings');
    await waitFor('the settings panel', () => settingsTabs().length === 1);
    await vscode.commands.executeCommand('mailsmith.openProfileSettings');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(settingsTabs().length, 1, 'one panel at a time');
    const tab = settingsTabs()[0];
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.match(tab.input.viewType, /mailsmith\.profileSettings$/);
  });

  it('keeps a saved profile in settings and its password only in SecretStorage', async () => {
    const store = api.services.profiles;
    const password = 'integration-Pa55word!';
    await store.save({ name: 'IT relay', host: '127.0.0.1', port: 2587, security: 'starttls', user: 'it' });
    await store.setPassword('IT relay', password);
    assert.equal((await store.getSecret('IT relay')).password, password);
    assert.ok(await store.hasPassword('IT relay'));
    const inspected = vscode.workspace.getConfiguration('mailsmith').inspect('profiles');
    const stored = JSON.stringify(inspected);
    assert.ok(stored.includes('IT relay'), 'the profile is in the settings');
    assert.ok(!stored.includes(password), 'the password is not');
    await store.remove('IT relay');
    assert.equal(await store.hasPassword('IT relay'), false);
  });
});
