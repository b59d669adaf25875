// Mailsmith in a real VS Code: diagnostics, a quick fix, SecretStorage, the profile picker, Send Email
// against a real smtp-server (STARTTLS + AUTH), the dry run and the log, all through the real API.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SendResult } from '../../src/vscode/send';
import { restoreAutoSave, withoutAutoSave } from './autoSave';
import { closeAllEditors, diagnosticCodes, mailsmithApi as api, openWorkspaceFile, startTestSmtpServer, waitFor, waitForDiagnostics, workspaceUri } from './support';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Mailsmith in VS Code', function () {
  this.timeout(60_000);
  // The quick-fix test edits broken.eml and reverts it: no auto-save in between.
  before(withoutAutoSave);
  after(restoreAutoSave);
  afterEach(closeAllEditors);

  it('gives .eml files the email language and reports the broken sample’s problems', async () => {
    await api();
    const editor = await openWorkspaceFile('broken.eml');
    assert.equal(editor.document.languageId, 'email');
    const diagnostics = await waitForDiagnostics(editor.document.uri, (d) => d.length > 0);
    const codes = diagnosticCodes(diagnostics);
    for (const code of ['missing-from', 'duplicate-field', 'address-syntax', 'header-no-colon']) assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
    assert.ok(diagnostics.every((d) => d.source === 'mailsmith'));
  });

  it('applies a quick fix: the semicolon list becomes a comma list', async () => {
    await api();
    const editor = await openWorkspaceFile('broken.eml');
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('address-semicolon'));
    const semicolon = diagnostics.find((d) => diagnosticCodes([d])[0] === 'address-semicolon')!;
    const target = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, semicolon.range)) ?? [];
    const fix = target.find((a) => a.title === 'Separate the addresses with ","' && a.edit);
    assert.ok(fix, `a fix for address-semicolon among: ${target.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitForDiagnostics(uri, (d) => !diagnosticCodes(d).includes('address-semicolon'), { what: 'the semicolon warning to go away' });
    assert.doesNotMatch(editor.document.lineAt(0).text, /;/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('sends through a real SMTP server with STARTTLS and AUTH: exact bytes, file unchanged, log without the password', async () => {
    const { services, logFile } = await api();
    const password = 'integration-Secret-9f3k';
    const server = await startTestSmtpServer({ user: 'tester', password });
    const caFile = join(tmpdir(), `mailsmith-it-ca-${server.port}.pem`);
    writeFileSync(caFile, server.certificatePem);
    try {
      // A profile in settings (no password there), the password in SecretStorage.
      await services.profiles.save({ name: 'IT server', host: '127.0.0.1', port: server.port, security: 'starttls', caFile, user: 'tester' });
      await vscode.commands.executeCommand('mailsmith.setPassword', 'IT server', password);
      assert.equal((await services.profiles.getSecret('IT server')).password, password, 'SecretStorage returns the password');
      const settings = JSON.stringify(vscode.workspace.getConfiguration('mailsmith').get('profiles'));
      assert.ok(!settings.includes(password), 'the password is not in settings');
      // Pick the profile through the picker command, as the status bar does.
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'IT server');
      assert.equal(services.profiles.active().name, 'IT server');

      const uri = workspaceUri('with-bcc.eml');
      const before = readFileSync(uri.fsPath);
      const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
      assert.equal(result.status, 'sent', JSON.stringify(result));
      const received = await server.waitForMessage(1);
      assert.ok('rawBase64' in result);
      assert.ok(received.raw.equals(Buffer.from(result.rawBase64, 'base64')), 'the server got exactly the prepared bytes');
      assert.equal(received.secure, true);
      assert.equal(received.user, 'tester');
      assert.doesNotMatch(received.raw.toString('latin1'), /^Bcc:/im);
      assert.equal(sha256(readFileSync(uri.fsPath)), sha256(before), 'the file is unchanged');

      const log = await waitFor('the dialogue in the Mailsmith log file', () => {
        try {
          const text = readFileSync(logFile.fsPath, 'utf8');
          return /S: 250 /.test(text) && /C: \./.test(text) ? text : undefined;
        } catch {
          return undefined;
        }
      });
      assert.match(log, /C: STARTTLS/);
      assert.match(log, /C: AUTH (PLAIN|LOGIN)/);
      for (const secret of [password, Buffer.from(password).toString('base64'), Buffer.from(`\u0000tester\u0000${password}`).toString('base64')])
        assert.ok(!log.includes(secret), `the log holds ${secret}`);
      assert.ok(services.journal.entries().some((e) => e.status === 'sent' && e.profile === 'IT server'), 'recorded in the sent history');
    } finally {
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'Local capture inbox');
      await services.profiles.remove('IT server');
      await server.close();
    }
    assert.equal(await services.profiles.hasPassword('IT server'), false, 'removing the profile removes its secret');
  });

  it('refuses to send while errors remain, and sends nothing', async () => {
    await api();
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri: workspaceUri('broken.eml'), skipConfirm: true });
    assert.equal(result.status, 'refused');
    if (result.status === 'refused') assert.match(result.reason, /error/);
  });

  it('sends to the built-in local capture inbox by default, and shows a dry run of the same bytes', async () => {
    const { services } = await api();
    assert.equal(services.profiles.active().name, 'Local capture inbox');
    const uri = workspaceUri('plain-text.eml');
    const now = '2026-11-23T10:00:00.000Z';
    const dry = await vscode.commands.executeCommand<{ ok: boolean; text: string }>('mailsmith.dryRun', { uri, now });
    assert.ok(dry.ok);
    assert.match(dry.text, /RCPT TO:<bob@example\.org>/);
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true, now });
    assert.equal(result.status, 'sent', JSON.stringify(result));
    assert.ok('rawBase64' in result);
    assert.ok(dry.text.endsWith(Buffer.from(result.rawBase64, 'base64').toString('utf8')), 'the dry run shows the bytes that were sent');
    const inbox = await services.inbox.ensure();
    // The command shows a quick pick and resolves once it closes: close it as a user would.
    const pending = vscode.commands.executeCommand<{ file: string }[]>('mailsmith.showCapturedMessages');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const captured = await pending;
    assert.ok(captured.length >= 1);
    assert.ok(readFileSync(captured[0].file).equals(Buffer.from(result.rawBase64, 'base64')), `stored in ${inbox.dir}`);
  });
});
