// Every header quick fix through VS Code's own code-action provider, one after the other on one message:
// add Subject, Date and Message-ID, remove a duplicate field, RFC 2047-encode a non-ASCII value. Each
// fix must make its diagnostic go away, and the fixed message must be sendable.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SendResult } from '../../src/vscode/send';
import { restoreAutoSave, withoutAutoSave } from './autoSave';
import { activateMailsmith, closeAllEditors, diagnosticCodes, openWorkspaceFile, waitForDiagnostics, workspaceUri } from './support';

const MESSAGE = ['From: Ann <ann@example.com>', 'To: Bob <bob@example.org>', 'To: Carl <carl@example.org>', 'Comments: Grüße aus Köln', '', 'Hello.', ''].join('\r\n');

const FIXES: Array<[code: string, title: string]> = [
  ['missing-subject', 'Add a Subject field'],
  ['missing-date', 'Add a Date field (now)'],
  ['missing-message-id', 'Add a Message-ID field'],
  ['duplicate-field', 'Remove this To field'],
  ['header-non-ascii', 'Encode the value (RFC 2047)'],
];

describe('Header quick fixes in VS Code', function () {
  this.timeout(60_000);
  before(withoutAutoSave);
  after(restoreAutoSave);
  afterEach(closeAllEditors);

  it('adds Subject, Date and Message-ID, removes the duplicate To and encodes the non-ASCII value', async () => {
    await activateMailsmith();
    writeFileSync(workspaceUri('quick-fixes.eml').fsPath, MESSAGE);
    const editor = await openWorkspaceFile('quick-fixes.eml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => FIXES.every(([code]) => diagnosticCodes(d).includes(code)), { what: 'every diagnostic the fixes address' });

    for (const [code, title] of FIXES) {
      const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => diagnosticCodes([d])[0] === code);
      assert.ok(diagnostic, `${code} is reported`);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range)) ?? [];
      const fix = actions.find((a) => a.title === title && a.edit);
      assert.ok(fix, `"${title}" for ${code} among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      await waitForDiagnostics(uri, (d) => !diagnosticCodes(d).includes(code), { what: `${code} to go away after "${title}"` });
    }

    const text = editor.document.getText();
    assert.equal(text.match(/^To:/gm)?.length, 1, 'one To field left');
    assert.match(text, /^Subject:/m);
    assert.match(text, /^Date: .+\d{4}/m);
    assert.match(text, /^Message-ID: <[^>]+@[^>]+>/m);
    assert.match(text, /^Comments: .*=\?UTF-8\?/im, 'the non-ASCII value is an encoded word');
    assert.doesNotMatch(text, /Grüße/);
    assert.ok(text.endsWith('\r\n\r\nHello.\r\n'), 'the body is untouched');

    // The fixed (unsaved) message is sendable: no error remains.
    const dry = await vscode.commands.executeCommand<{ ok: boolean; text: string }>('mailsmith.dryRun', { uri });
    assert.ok(dry.ok, dry.text);
    const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => d.message), []);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('refuses to send the unfixed message and names the errors', async () => {
    await activateMailsmith();
    const uri = workspaceUri('quick-fixes-unfixed.eml');
    writeFileSync(uri.fsPath, MESSAGE);
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
    assert.equal(result.status, 'refused', JSON.stringify(result));
    assert.ok('reason' in result);
    assert.match(result.reason, /duplicate-field/, 'the refusal names the error by its code');
  });
});
