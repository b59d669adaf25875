// The Problems view lists only what the author should act on: the shipped samples (all but broken.eml)
// show nothing there, even saved with LF line endings and without Date or Message-ID; what the send will
// do for them is said in the CodeLens above the headers. Each diagnostic's code links to its page in the
// installed extension (docs/rules/<code>.md).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { closeAllEditors, diagnosticCodes, mailsmithApi, openWorkspaceFile, waitForDiagnostics, workspaceUri } from './support';

const SAMPLES = ['plain-text.eml', 'multipart-attachment.eml', 'utf8-subject.eml', 'with-bcc.eml'];

/** What the Problems view lists for a document: every diagnostic but hints. */
function listed(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint);
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

describe('A quiet Problems view', function () {
  this.timeout(60_000);
  afterEach(closeAllEditors);

  for (const sample of SAMPLES) {
    it(`samples/${sample}: nothing in the Problems view`, async () => {
      const { services } = await mailsmithApi();
      const editor = await openWorkspaceFile(sample);
      await services.diagnostics.refresh(editor.document);
      assert.deepEqual(listed(editor.document.uri).map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
    });
  }

  it('an ordinary draft (LF line endings, no Date, no Message-ID, a Bcc) lists nothing; the CodeLens says what the send adds', async () => {
    const { services } = await mailsmithApi();
    const file = workspaceUri('ordinary-draft.eml');
    writeFileSync(file.fsPath, 'From: Ann <ann@example.com>\nTo: Bob <bob@example.org>\nBcc: archive@example.com\nSubject: Grüße\n\nHello.\n');
    const editor = await openWorkspaceFile('ordinary-draft.eml');
    await services.diagnostics.refresh(editor.document);
    assert.deepEqual(
      diagnosticCodes(vscode.languages.getDiagnostics(file)).sort(),
      ['bare-lf', 'bcc-removed', 'header-non-ascii', 'missing-date', 'missing-message-id'],
      'the notes are there, as hints',
    );
    assert.deepEqual(listed(file).map((d) => d.message), [], 'and none is listed in the Problems view');
    const titles = await lensTitles(file);
    assert.deepEqual(titles.slice(0, 2), ['$(send) Send with Local capture inbox', '$(eye) Dry run']);
    assert.equal(titles[2], 'adds Date and Message-ID · Bcc hidden · non-ASCII headers encoded · CRLF line endings');
  });

  it('the CodeLens follows an edit: adding a Date drops "adds Date"', async () => {
    const { services } = await mailsmithApi();
    writeFileSync(workspaceUri('lens-follows.eml').fsPath, 'From: a@example.com\r\nTo: b@example.org\r\nSubject: s\r\n\r\nHi\r\n');
    const editor = await openWorkspaceFile('lens-follows.eml');
    await services.diagnostics.refresh(editor.document);
    assert.equal((await lensTitles(editor.document.uri))[2], 'adds Date and Message-ID');
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(3, 0), 'Date: Mon, 23 Nov 2026 09:15:00 +0000\r\n')));
    await waitForDiagnostics(editor.document.uri, (d) => !diagnosticCodes(d).includes('missing-date'));
    assert.equal((await lensTitles(editor.document.uri))[2], 'adds Message-ID');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('links each diagnostic code to its page in the installed extension', async () => {
    await mailsmithApi();
    const editor = await openWorkspaceFile('broken.eml');
    const diagnostics = await waitForDiagnostics(editor.document.uri, (d) => d.length > 5);
    const extension = vscode.extensions.getExtension('mailsmith.mailsmith');
    assert.ok(extension);
    for (const d of diagnostics) {
      const code = d.code;
      assert.ok(code && typeof code === 'object', `${String(code)} carries a link`);
      assert.equal(code.target.toString(), vscode.Uri.joinPath(extension.extensionUri, 'docs', 'rules', `${String(code.value)}.md`).toString());
      assert.ok(existsSync(code.target.fsPath), `${code.target.fsPath} is installed`);
      assert.match(readFileSync(code.target.fsPath, 'utf8'), new RegExp(`^# ${String(code.value)}\\n`));
    }
  });
});
