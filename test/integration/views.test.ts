// What the user reads around a send, in a real VS Code: the CodeLens follows the active profile, the dry run
// is a virtual document (Bcc gone from the bytes but kept in the envelope, Date and Message-ID added), and
// the sent history records a send with its Message-ID.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { JournalEntry } from '../../src/core/journal/sentJournal';
import type { PreviewResult } from '../../src/vscode/preview/panel';
import type { SendResult } from '../../src/vscode/send';
import { closeAllEditors, mailsmithApi as api, waitFor, workspaceUri } from './support';

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.title ?? '').filter((t) => /Send with|Dry run/.test(t));
}

describe('CodeLens, dry run and sent history', function () {
  this.timeout(60_000);
  afterEach(closeAllEditors);

  it('shows "Send with <profile>" and "Dry run" above the headers, following the active profile', async () => {
    const { services } = await api();
    const uri = workspaceUri('plain-text.eml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.deepEqual(await lensTitles(uri), ['$(send) Send with Local capture inbox', '$(eye) Dry run']);
    await services.profiles.save({ name: 'Lens test', host: '127.0.0.1', port: 2526, security: 'none' });
    try {
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'Lens test');
      await waitFor('the CodeLens to name the new profile', async () => (await lensTitles(uri))[0] === '$(send) Send with Lens test');
    } finally {
      await vscode.commands.executeCommand('mailsmith.selectProfile', 'Local capture inbox');
      await services.profiles.remove('Lens test');
    }
  });

  it('opens the dry run as a virtual document: envelope with the Bcc recipients, bytes without Bcc, Date and Message-ID added', async () => {
    await api();
    const uri = workspaceUri('dry-run-bcc.eml');
    writeFileSync(
      uri.fsPath,
      'From: Erin <erin@example.com>\r\nTo: Team <team@example.org>\r\nBcc: archive@example.com\r\nSubject: Dry run\r\n\r\nHello.\r\n',
    );
    const dry = await vscode.commands.executeCommand<{ ok: boolean; text: string; uri: string }>('mailsmith.dryRun', { uri });
    assert.ok(dry.ok, dry.text);
    const shown = vscode.workspace.textDocuments.find((d) => d.uri.toString() === dry.uri);
    assert.ok(shown, 'the dry run document is open');
    assert.equal(shown.uri.scheme, 'mailsmith-dry-run', 'a virtual document, not a file');
    const separator = `${'-'.repeat(72)}\r\n`;
    const bytes = dry.text.slice(dry.text.indexOf(separator) + separator.length);
    // The envelope lines end in CRLF like the message, so the document shows the bytes exactly as sent.
    assert.ok(shown.getText().endsWith(bytes), 'the document shows the exact bytes');
    assert.match(bytes, /\r\n/);
    assert.match(dry.text, /^RCPT TO:<team@example\.org>\r?$/m);
    assert.match(dry.text, /^RCPT TO:<archive@example\.com>\r?$/m, 'Bcc recipients stay in the envelope');
    assert.doesNotMatch(bytes, /^Bcc:/im, 'Bcc is gone from the bytes');
    assert.match(bytes, /^Date: /m);
    assert.match(bytes, /^Message-ID: <[^>]+@[^>]+>/m);
  });

  it('records a send in the Sent History view, whose entry opens the exact bytes sent and keeps the redacted dialogue', async () => {
    const { services } = await api();
    const uri = workspaceUri('plain-text.eml');
    const result = await vscode.commands.executeCommand<SendResult>('mailsmith.send', { uri, skipConfirm: true });
    assert.equal(result.status, 'sent', JSON.stringify(result));
    assert.ok('outcome' in result && result.outcome);
    const messageId = result.outcome.messageId;
    const entries = await vscode.commands.executeCommand<JournalEntry[]>('mailsmith.showSentHistory');
    const entry = entries.find((e) => e.messageId === messageId);
    assert.ok(entry, `${messageId} in the history`);
    assert.equal(entry.status, 'sent');
    assert.equal(entry.profile, services.profiles.active().name);
    assert.deepEqual(entry.to, ['bob@example.org']);
    assert.equal(entry.source, uri.fsPath);
    assert.ok(entry.copy && readFileSync(entry.copy).equals(Buffer.from(result.rawBase64, 'base64')), 'the copy holds the bytes sent');
    assert.match(readFileSync(entry.transcript!, 'utf8'), /^C: MAIL FROM:<alice@example\.com>/m, 'the dialogue of this send is kept');
    const item = services.history.getTreeItem(entry);
    assert.match(String(item.description), /^sent · bob@example\.org · /);
    assert.match(String(item.contextValue), /\bcopy\b.*\bsource\b.*\btranscript\b/);
    const preview = await vscode.commands.executeCommand<PreviewResult>('mailsmith.history.openCopy', entry);
    assert.equal(preview?.shown.origin, 'captured', 'the sent copy is shown as received, not prepared again');
    assert.equal(preview?.shown.size, Buffer.from(result.rawBase64, 'base64').length);
  });
});
