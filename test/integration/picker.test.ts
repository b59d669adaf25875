// The status-bar profile picker as a person uses it (open, move down, accept), and diagnostics that go
// away when the email's editor closes, in a real VS Code.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { closeAllEditors, mailsmithApi as api, openWorkspaceFile, waitForDiagnostics, workspaceUri } from './support';

describe('Profile picker and closing an email', function () {
  this.timeout(60_000);
  afterEach(closeAllEditors);

  it('switches to the profile chosen in the status-bar picker, and the command resolves with its name', async () => {
    const { services } = await api();
    await openWorkspaceFile('plain-text.eml');
    await services.profiles.save({ name: 'Picker test', host: '127.0.0.1', port: 2527, security: 'tls' });
    try {
      const names = services.profiles.list().map((p) => p.name);
      assert.equal(names[0], 'Local capture inbox', 'the built-in inbox first, then the profiles from settings');
      const steps = names.indexOf('Picker test');
      assert.ok(steps > 0, names.join(', '));
      // What clicking the status-bar item runs; then the arrow key down to the new profile, and Enter.
      const pending = vscode.commands.executeCommand<string | undefined>('mailsmith.selectProfile');
      await new Promise((resolve) => setTimeout(resolve, 800));
      for (let i = 0; i < steps; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
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
    // A file no other test opened, opened by the workbench as a person does: a document that the API opened
    // (openTextDocument) stays loaded, so not closed, for minutes after its editor closes.
    const uri = workspaceUri('closing.eml');
    writeFileSync(uri.fsPath, 'To: Bob <bob@example.org>\r\nSubject: No sender\r\n\r\nHello.\r\n');
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitForDiagnostics(uri, (d) => d.length > 0);
    await closeAllEditors();
    await waitForDiagnostics(uri, (d) => d.length === 0, { what: 'the diagnostics of the closed file to go', timeoutMs: 20_000 });
  });
});
