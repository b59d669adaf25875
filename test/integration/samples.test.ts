// The walkthrough's first step in a real VS Code: "Open a Sample Email" opens a shipped sample as a new,
// unsaved email document (the installed file is never edited), checked like any other.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateMailsmith, closeAllEditors, diagnosticCodes, waitForDiagnostics } from './support';

interface Manifest {
  contributes?: { walkthroughs?: Array<{ steps: Array<{ id: string; description: string }> }> };
}

describe('Open a Sample Email', function () {
  this.timeout(30_000);
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await closeAllEditors();
  });

  it('opens the shipped broken.eml as an unsaved email document with its diagnostics', async () => {
    const extension = await activateMailsmith();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('mailsmith.openSample', 'broken.eml');
    assert.ok(uri, 'the command returns the new document');
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.toString(), uri.toString(), 'the sample is the active editor');
    assert.equal(document.isUntitled, true, 'a copy, not the installed file');
    assert.equal(document.uri.path, 'broken (sample).eml', 'named after the sample (the tab and Save say so), not after its first line');
    assert.equal(document.languageId, 'email');
    const shipped = readFileSync(vscode.Uri.joinPath(extension.extensionUri, 'samples', 'broken.eml').fsPath, 'utf8');
    assert.equal(document.getText().replace(/\r\n/g, '\n'), shipped.replace(/\r\n/g, '\n'));
    const diagnostics = await waitForDiagnostics(uri, (d) => d.length > 0);
    assert.ok(diagnosticCodes(diagnostics).includes('missing-from'), diagnosticCodes(diagnostics).join(', '));
  });

  it('is what the walkthrough’s first step runs, and names no sample that does not exist', async () => {
    const extension = await activateMailsmith();
    const steps = (extension.packageJSON as Manifest).contributes?.walkthroughs?.[0]?.steps ?? [];
    assert.match(steps.find((s) => s.id === 'open')?.description ?? '', /\(command:mailsmith\.openSample\)/);
    assert.equal(await vscode.commands.executeCommand('mailsmith.openSample', 'no-such-sample.eml'), undefined);
  });
});
