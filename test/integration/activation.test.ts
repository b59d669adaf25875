// The extension loads in a real VS Code, activates, and registers every command its manifest declares.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateMailsmith, workspaceDir } from './support';

interface Manifest {
  main?: string;
  contributes?: { commands?: Array<{ command: string; title: string; category?: string }> };
}

describe('activation (real VS Code)', () => {
  it('opens the temporary copy of samples/ that the harness prepared', () => {
    // Env of the process that starts VS Code reaches the extension host; the harness names the folder.
    const expected = process.env.MAILSMITH_TEST_WORKSPACE;
    assert.ok(expected, 'MAILSMITH_TEST_WORKSPACE reaches the extension host');
    assert.equal(workspaceDir(), expected);
    assert.ok(existsSync(workspaceDir()));
  });

  it('loads Mailsmith (the built package) as the extension under development', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is known to VS Code`);
    const manifest = extension.packageJSON as Manifest;
    assert.equal(manifest.main, './dist/extension.js');
    assert.ok(existsSync(vscode.Uri.joinPath(extension.extensionUri, 'dist', 'extension.js').fsPath), 'the bundle was built');
    await activateMailsmith();
    assert.equal(extension.isActive, true);
  });

  it('registers every command the manifest contributes, and Send Email among them', async () => {
    const extension = await activateMailsmith();
    const contributed = ((extension.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.includes('mailsmith.send'), `mailsmith.send is contributed (got ${contributed.join(', ') || 'none'})`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed commands without a registered handler');
  });
});
