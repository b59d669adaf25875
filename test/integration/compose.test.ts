// Composing in a real VS Code: a new message from a workspace template, a Markdown body with an inline
// image and an attachment, the preview of the final bytes, and a send to a real smtp-server on 127.0.0.1
// whose received bytes are the dry run's bytes.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import * as vscode from 'vscode';
import type { MailsmithTestApi } from '../../src/vscode/extension';
import type { PreviewResult } from '../../src/vscode/preview/panel';
import type { SendResult } from '../../src/vscode/send';
import { activateMailsmith, closeAllEditors, startTestSmtpServer, workspaceDir, workspaceUri } from './support';

// A 1x1 PNG.
const LOGO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TEMPLATE = ['From: ${from}', 'To: ', 'Subject: ${topic} update', 'Content-Type: text/markdown; charset=utf-8', '', '# ${topic}', '', 'Hello, the **${topic}** is ready.', '', '![logo](logo.png)', ''].join('\n');

describe('Composing in VS Code: template, Markdown, attachment, preview, send', function () {
  this.timeout(90_000);
  afterEach(closeAllEditors);

  it('builds a message from a template, previews it and sends exactly the dry-run bytes to a real SMTP server', async () => {
    const { services } = (await activateMailsmith()).exports as MailsmithTestApi;
    const dir = workspaceDir();
    mkdirSync(join(dir, '.mailsmith', 'templates'), { recursive: true });
    writeFileSync(join(dir, '.mailsmith', 'templates', 'announce.eml'), TEMPLATE);
    writeFileSync(join(dir, 'logo.png'), LOGO);
    writeFileSync(join(dir, 'report.txt'), 'Figures: 1, 2, 3.\n');

    // New Email from the workspace template; the placeholders come as command arguments.
    const untitled = await vscode.commands.executeCommand<vscode.Uri>('mailsmith.newEmail', { template: 'announce.eml', values: { from: 'Ann <ann@example.com>', topic: 'Launch' } });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && untitled && editor.document.uri.toString() === untitled.toString(), 'the new message is the active editor');
    assert.equal(editor.document.isUntitled, true);
    assert.match(editor.document.uri.path, /^New message( \d+)?\.eml$/, 'the tab is named for what it is');
    assert.equal(editor.document.languageId, 'email');
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [1, 4], 'the cursor waits on To');
    assert.match(editor.document.getText(), /^From: Ann <ann@example\.com>\nTo: \nSubject: Launch update\n/);

    // The user types the recipient and adds an attachment.
    assert.ok(await editor.edit((e) => e.insert(editor.selection.active, 'Bob <bob@example.org>')));
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(3, 0), 'Attach: report.txt\n')));
    const text = editor.document.getText();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const file = join(dir, 'launch.eml');
    writeFileSync(file, text);
    const uri = workspaceUri('launch.eml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

    // Preview: the final bytes parsed back.
    const preview = await vscode.commands.executeCommand<PreviewResult>('mailsmith.preview', { uri });
    assert.ok(preview, 'the preview shows a message');
    const shown = preview.shown;
    assert.deepEqual(shown.errors, []);
    assert.equal(shown.subject, 'Launch update');
    assert.equal(shown.from, 'Ann <ann@example.com>');
    assert.equal(shown.to, 'Bob <bob@example.org>');
    assert.deepEqual(
      shown.attachments.map((a) => [a.filename, a.mimeType, a.size, a.inline, a.source]),
      [
        ['logo.png', 'image/png', LOGO.length, true, join(dir, 'logo.png')],
        ['report.txt', 'text/plain', 18, false, join(dir, 'report.txt')],
      ],
      'each file listed with the real path it is read from',
    );
    assert.match(shown.frame ?? '', /<img src="data:image\/png;base64,/, 'the inline image is shown from its part');
    assert.match(shown.frame ?? '', /Content-Security-Policy" content="default-src 'none'; img-src data:;/);
    assert.match(shown.text ?? '', /Hello, the \*\*Launch\*\* is ready\./);

    // Dry run and send with the same clock: one message.
    const server = await startTestSmtpServer({ requireAuth: false });
    const caFile = join(tmpdir(), `mailsmith-compose-ca-${server.port}.pem`);
    writeFileSync(caFile, server.certificatePem);
    const now = '2026-11-23T10:00:00.000Z';
    try {
      await services.profiles.save({ name: 'Compose IT', host: '127.0.0.1', port: server.port, security: 'starttls', caFile });
      const dry = await vscode.commands.executeCommand<{ ok: boolean; text: string }>('mailsmith.dryRun', { uri, now, profileName: 'Compose IT' });
      assert.ok(dry.ok, dry.text);
      const separator = `${'-'.repeat(72)}\r\n`;
      const dryBytes = dry.text.slice(dry.text.indexOf(separator) + separator.length);

      const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, profileName: 'Compose IT', skipConfirm: true, now });
      assert.equal(result.status, 'sent', JSON.stringify(result));
      const received = await server.waitForMessage(1);
      assert.equal(received.raw.toString('utf8'), dryBytes, 'the server got the dry run’s bytes');
      assert.deepEqual(received.rcptTo, ['bob@example.org']);
      assert.doesNotMatch(received.raw.toString('latin1').split('\r\n\r\n')[0], /^Attach:/im);

      const mail = await PostalMime.parse(received.raw, { attachmentEncoding: 'arraybuffer' });
      assert.equal(mail.subject, 'Launch update');
      assert.match(mail.html ?? '', /<h1>Launch<\/h1>/);
      const image = mail.attachments.find((a) => a.filename === 'logo.png');
      assert.ok(image?.contentId, 'the image is a related part with a Content-ID');
      assert.ok((mail.html ?? '').includes(`src="cid:${image.contentId.replace(/^<|>$/g, '')}"`), 'the HTML refers to it by cid');
      assert.ok(Buffer.from(image.content as ArrayBuffer).equals(LOGO));
      const report = mail.attachments.find((a) => a.filename === 'report.txt');
      assert.equal(Buffer.from(report?.content as ArrayBuffer).toString('utf8'), 'Figures: 1, 2, 3.\n');
      assert.equal(readFileSync(file, 'utf8'), text, 'the file is unchanged');
    } finally {
      await services.profiles.remove('Compose IT');
      await server.close();
    }
  });

  it('opens .email.md files as email and previews their front matter and Markdown', async () => {
    await activateMailsmith();
    writeFileSync(join(workspaceDir(), 'note.email.md'), '---\nfrom: Ann <ann@example.com>\nto: [bob@example.org, carol@example.org]\nsubject: Front matter\n---\nSome *Markdown*.\n');
    const uri = workspaceUri('note.email.md');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.equal(editor.document.languageId, 'email');
    const preview = await vscode.commands.executeCommand<PreviewResult>('mailsmith.preview', { uri });
    assert.ok(preview);
    assert.deepEqual([preview.shown.subject, preview.shown.to, preview.shown.origin], ['Front matter', 'bob@example.org, carol@example.org', 'draft']);
    assert.match(preview.shown.frame ?? '', /<p>Some <em>Markdown<\/em>\.<\/p>/);
  });

  it('previews a captured message as received, not prepared again', async () => {
    await activateMailsmith();
    const raw = 'From: a@example.com\r\nTo: b@example.org\r\nSubject: Captured\r\nDate: Mon, 23 Nov 2026 09:15:00 +0000\r\nMessage-ID: <c1@example.com>\r\n\r\nAs received.\r\n';
    const file = join(tmpdir(), `mailsmith-captured-${Date.now()}.eml`);
    writeFileSync(file, raw);
    const preview = await vscode.commands.executeCommand<PreviewResult>('mailsmith.preview', { uri: vscode.Uri.file(file), asReceived: true });
    assert.ok(preview);
    assert.deepEqual([preview.shown.origin, preview.shown.subject, preview.shown.size, preview.shown.text], ['captured', 'Captured', Buffer.byteLength(raw), 'As received.\n']);
    // Its source, one click away in the preview, opens read-only: what was received is not edited or re-sent.
    const source = await vscode.commands.executeCommand<vscode.TextDocument>('mailsmith.openReceivedSource');
    assert.equal(source.uri.scheme, 'mailsmith-captured');
    assert.equal(source.getText(), raw);
    assert.equal(vscode.window.activeTextEditor?.document, source);
    assert.equal(vscode.workspace.fs.isWritableFileSystem('mailsmith-captured'), false, 'the source is read-only');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(source.uri, Buffer.from('changed'))), /read-only|NoPermissions/i);
    assert.equal(readFileSync(file, 'utf8'), raw, 'the received file is as it was');
  });

  it('reports a missing attachment as a diagnostic where the document names it', async () => {
    await activateMailsmith();
    writeFileSync(join(workspaceDir(), 'missing-attachment.eml'), 'From: ann@example.com\nTo: bob@example.org\nSubject: s\nAttach: nowhere.pdf\n\nHi\n');
    const uri = workspaceUri('missing-attachment.eml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const { waitForDiagnostics, diagnosticCodes } = await import('./support/index.js');
    const diagnostics = await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('attachment-missing'));
    const missing = diagnostics.find((d) => diagnosticCodes([d])[0] === 'attachment-missing')!;
    assert.deepEqual([missing.range.start.line, missing.range.start.character, missing.range.end.character], [3, 8, 19]);
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
    assert.equal(result.status, 'refused');
  });
});
