// A 3-row mail merge in a real VS Code against a real smtp-server (STARTTLS, a CA file): the template's
// problems are the merge's (the data file's row and column named; none of the one-message kind on its
// ${fields}), a row's preview shows its exact bytes, the confirmation names the row count, the first
// recipients and the profile, the progress reports counts, every row arrives exactly once, the report
// opens as CSV, and running the merge again sends nothing.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MailMergeResult } from '../../src/vscode/merge/mailMerge';
import { activateMailsmith, closeAllEditors, mailsmithApi, startTestSmtpServer, waitFor, workspaceDir } from './support';

describe('Mail Merge', function () {
  this.timeout(90_000);
  afterEach(closeAllEditors);

  it('previews a row, asks with the count, recipients and profile, shows progress, sends each row once and opens the report', async () => {
    await activateMailsmith();
    const { services } = await mailsmithApi();
    const server = await startTestSmtpServer({ requireAuth: false });
    const caFile = join(tmpdir(), `mailsmith-it-merge-ca-${server.port}.pem`);
    writeFileSync(caFile, server.certificatePem);
    const dir = join(workspaceDir(), 'merge-it');
    mkdirSync(dir, { recursive: true });
    const template = join(dir, 'invite.eml');
    writeFileSync(template, ['From: Events <events@example.com>', 'To: ${name} <${email}>', 'Subject: Your invitation, ${name}', 'Merge-Data: guests.csv', '', 'Dear ${name}, see you on ${day}.', ''].join('\r\n'));
    writeFileSync(join(dir, 'guests.csv'), 'name,email,day\r\nAnn Lee,ann@example.org,Monday\r\n"Lee, Bob",bob@example.org,\r\nCy,cy@example.org,Friday\r\n');
    const profileName = 'Merge IT';
    try {
      await services.profiles.save({ name: profileName, host: '127.0.0.1', port: server.port, security: 'starttls', caFile });
      const uri = vscode.Uri.file(template);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

      // Live problems: the empty "day" of row 2 on the data file; nothing about ${email} on the template.
      const data = vscode.Uri.file(join(dir, 'guests.csv'));
      const empty = await waitFor('the merge problems of the data file', () => vscode.languages.getDiagnostics(data).find((d) => d.code === 'merge-empty-value'));
      assert.match(empty.message, /row 2, column day is empty/);
      assert.equal(empty.range.start.line, 2);
      assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), [], 'no one-message errors on ${fields}');

      // The CodeLens offers the merge, not a single-message Send of the template.
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.deepEqual(lenses.map((l) => l.command?.command), ['mailsmith.mailMerge']);

      const preview = await vscode.commands.executeCommand<MailMergeResult>('mailsmith.mailMerge', { uri, profileName, action: 'preview', row: 2 });
      assert.equal(preview.status, 'preview', JSON.stringify(preview));
      if (preview.status !== 'preview') return;
      assert.match(preview.text, /^RCPT TO:<bob@example\.org>\r$/m);
      assert.match(preview.text, /^To: "Lee, Bob" <bob@example\.org>\r$/m);
      assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === preview.uri), 'the row is shown beside the template');

      const declined = await vscode.commands.executeCommand<MailMergeResult>('mailsmith.mailMerge', { uri, profileName, action: 'send', confirm: 'Cancel' });
      assert.equal(declined.status, 'cancelled');
      assert.equal(server.received.length, 0, 'nothing without the confirmation');

      const sent = await vscode.commands.executeCommand<MailMergeResult>('mailsmith.mailMerge', { uri, profileName, action: 'send', confirm: 'Send' });
      assert.equal(sent.status, 'sent', JSON.stringify(sent));
      if (sent.status !== 'sent') return;
      assert.match(sent.confirmation?.headline ?? '', /^Send 3 messages of this mail merge with "Merge IT"\?$/);
      assert.match(sent.confirmation?.detail ?? '', /^To ann@example\.org; bob@example\.org; cy@example\.org$/m);
      assert.match(sent.confirmation?.detail ?? '', /Profile "Merge IT" \(127\.0\.0\.1:\d+, starttls\)/);
      assert.ok(sent.progress.includes('3 of 3, 3 sent'), sent.progress.join(' | '));
      assert.deepEqual(server.received.map((m) => m.rcptTo.join()), ['ann@example.org', 'bob@example.org', 'cy@example.org']);
      assert.ok(server.received.every((m) => m.secure), 'over STARTTLS');

      const reportUri = await vscode.commands.executeCommand<string>('mailsmith.openMergeReport', sent.reportUri);
      const report = vscode.workspace.textDocuments.find((d) => d.uri.toString() === reportUri);
      assert.ok(report, 'the report is open');
      const lines = report.getText().trim().split(/\r?\n/);
      assert.equal(lines[0], 'row,recipients,status,reply,message_id,time,note');
      assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(',')), ['1,ann@example.org,sent', '2,bob@example.org,sent', '3,cy@example.org,sent']);

      const again = await vscode.commands.executeCommand<MailMergeResult>('mailsmith.mailMerge', { uri, profileName, action: 'send', confirm: 'Send' });
      assert.equal(again.status, 'cancelled', 'nothing is left to send');
      assert.equal(server.received.length, 3);
    } finally {
      await services.profiles.remove(profileName);
      await server.close();
    }
  });
});
