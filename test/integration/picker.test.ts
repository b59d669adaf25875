// The status-bar profile picker as a person uses it (open, move down, accept), and diagnostics that go
// away when the email's editor closes, in a real VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MailsmithApi } from '../../src/vscode/extension';
import { activateMailsmith, closeAllEditors, openWorkspaceFile, waitForDiagnostics, workspaceUri } from './support';

async function api(): Promise<MailsmithApi> {
  return (await activateMailsmith()).exports as MailsmithApi;
}

describe('Profile picker and closing an email', function () {
  this.timeout(60_000);
  afterEach(closeAllEditors);

  it('switches to the profile chosen in the status-bar picker, and the command resolves with its name', async () => {
    const { services } = await api();
    await openWorkspaceFile('plain-text.eml');
    await services.profiles.save({ name: 'Picker test', host: '127.0.0.1', port: 2527, security: 'tls' });
    try {
      assert.deepEqual(
        services.profiles.list().map((p) => p.name),
        ['Local capture inbox', 'Picker test'],
        'the built-in inbox first, then the profiles from settings',
      );
      // What clicking the status-bar item runs.
      const pending = vscode.commands.executeCommand<string | undefined>('mailsmith.selectProfile');
      await new Promise((resolve) => setTimeout(resolve, 800));
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.equal(await pending, 'Picker test');
      assert.equal(services.profiles.active().name, 'Picker test');
    } finally {
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'Local capture inbox');
      await services.profiles.remove('Picker test');
    }
  });

  it('drops the diagnostics of an email whose editor was closed', async () => {
    await api();
    // Opened by the workbench as a person does: a document the API opened stays loaded (so not closed) for
    // minutes after its editor closes.
    const uri = workspaceUri('broken.eml');
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitForDiagnostics(uri, (d) => d.length > 0);
    await closeAllEditors();
    await waitForDiagnostics(uri, (d) => d.length === 0, { what: 'the diagnostics of the closed file to go', timeoutMs: 20_000 });
  });
});
