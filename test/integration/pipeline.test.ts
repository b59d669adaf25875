// The send pipeline in a real VS Code: the Problems view judges a message with the active profile's defaults
// (a message without From is fine when the profile supplies one, and Send delivers it with that From), the
// send reuses the analysis the editor already made (one scan per document version), both Send and the
// CLI run the core's send use case, and a file outside the workspace folder never travels.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SendResult } from '../../src/vscode/send';
import { closeAllEditors, diagnosticCodes, mailsmithApi as api, startTestSmtpServer, waitForDiagnostics, workspaceUri } from './support';

describe('Send pipeline in VS Code', function () {
  this.timeout(60_000);
  afterEach(closeAllEditors);

  it('judges a message with the active profile\'s defaults: no missing-from in Problems, and Send delivers with that From', async () => {
    const { services } = await api();
    const server = await startTestSmtpServer({ requireAuth: false });
    const caFile = join(tmpdir(), `mailsmith-defaults-ca-${server.port}.pem`);
    writeFileSync(caFile, server.certificatePem);
    writeFileSync(workspaceUri('no-from.eml').fsPath, 'To: Bob <bob@example.org>\nSubject: From the profile\n\nHello.\n');
    const uri = workspaceUri('no-from.eml');
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('missing-from'), { what: 'missing-from with the built-in profile, which has no defaults' });
      await services.profiles.save({ name: 'Defaults IT', host: '127.0.0.1', port: server.port, security: 'starttls', caFile, defaults: { from: 'Ann Profile <ann@example.com>' } });
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'Defaults IT');
      const diagnostics = await waitForDiagnostics(uri, (d) => !diagnosticCodes(d).includes('missing-from'), { what: 'missing-from to go once the profile supplies From' });
      assert.ok(!diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error), diagnosticCodes(diagnostics).join(', '));

      const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
      assert.equal(result.status, 'sent', JSON.stringify(result));
      const received = await server.waitForMessage(1);
      assert.equal(received.mailFrom, 'ann@example.com');
      assert.match(received.raw.toString('utf8'), /^From: Ann Profile <ann@example\.com>\r$/m);
    } finally {
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'Local capture inbox');
      await services.profiles.remove('Defaults IT');
      await server.close();
    }
  });

  it('sends from the analysis the editor already made: the document version is scanned once on its way to the server', async () => {
    const { services, workCounts } = await api();
    const uri = workspaceUri('plain-text.eml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(uri, (d) => diagnosticCodes(d).length > 0 || d.length === 0, { what: 'the first check' });
    await services.diagnostics.refresh(document);
    const before = workCounts();
    const dry = await vscode.commands.executeCommand<{ ok: boolean }>('mailsmith.dryRun', { uri });
    assert.ok(dry.ok);
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
    assert.equal(result.status, 'sent', JSON.stringify(result));
    const after = workCounts();
    assert.equal(after.scan - before.scan, 0, 'neither the dry run nor the send scanned the document again');
    assert.equal(after.validate - before.validate, 0, 'nor ran the rules again');
    assert.equal(after.addressList - before.addressList, 0, 'nor parsed an address list again');
    assert.equal(after.sendDocument - before.sendDocument, 1, 'Send ran the core\'s send use case once');
  });

  it('refuses a message that attaches a file outside the workspace folder, wherever the path leads', async () => {
    await api();
    const outside = join(tmpdir(), `mailsmith-outside-${Date.now()}.txt`);
    writeFileSync(outside, 'a private file');
    writeFileSync(workspaceUri('outside.eml').fsPath, `From: ann@example.com\nTo: bob@example.org\nSubject: Outside\nAttach: ${outside}\n\nHi\n`);
    const uri = workspaceUri('outside.eml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('attachment-outside'));
    const problem = diagnostics.find((d) => diagnosticCodes([d])[0] === 'attachment-outside')!;
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problem.range.start.line, 3);
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
    assert.equal(result.status, 'refused');
    assert.match(result.status === 'refused' ? result.reason : '', /attachment-outside/);
  });

  it('clears a missing attachment\'s problem when the file is created, without another keystroke', async () => {
    await api();
    const name = `later-${Date.now()}.txt`;
    writeFileSync(workspaceUri('later.eml').fsPath, `From: ann@example.com\nTo: bob@example.org\nSubject: Later\nAttach: ${name}\n\nHi\n`);
    const uri = workspaceUri('later.eml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('attachment-missing'));
    writeFileSync(workspaceUri(name).fsPath, 'here now');
    await waitForDiagnostics(uri, (d) => !diagnosticCodes(d).includes('attachment-missing'), { what: 'attachment-missing to clear once the file exists', timeoutMs: 20_000 });
  });
});
