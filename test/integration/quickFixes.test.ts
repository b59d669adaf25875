// Every header quick fix through VS Code's own code-action provider, one after the other on one message:
// add Subject, Date and Message-ID, remove a duplicate field, RFC 2047-encode a non-ASCII value. Each
// fix must make its diagnostic go away, and the fixed message must be sendable. A fix that needs the
// author's input leaves the cursor on it (a snippet placeholder); the address typos have their fixes; Fix
// all (source.fixAll.mailsmith) mends every typo at once, from the Source Action menu and on save.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SendResult } from '../../src/vscode/send';
import { restoreAutoSave, withoutAutoSave } from './autoSave';
import { activateMailsmith, closeAllEditors, diagnosticCodes, openWorkspaceFile, waitFor, waitForDiagnostics, workspaceUri } from './support';

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

const FIX_ALL = 'source.fixAll.mailsmith';

/** The code actions VS Code's own provider machinery returns for a range (optionally of one kind). */
async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
}

/** The errors and warnings: what the Problems view lists (it leaves hints out). */
function listed(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'mailsmith' && d.severity !== vscode.DiagnosticSeverity.Hint)
    .map((d) => `${d.range.start.line + 1}:${diagnosticCodes([d])[0]}`);
}

const BROKEN_FIXED = [
  'To: bob@example.org, carol@example.org',
  'Subject: This message is broken on purpose',
  'Subject: and has a second Subject',
  'Cc: Dave Manager <dave@example.org>',
  'X-Note: whitespace before the colon',
  'This line has no colon and the blank line is missing',
  'Hello, this was meant to be the body.',
  '',
].join('\n');

describe('Quick fixes that finish the job, and Fix all', function () {
  this.timeout(60_000);
  before(withoutAutoSave);
  after(restoreAutoSave);
  afterEach(closeAllEditors);

  it('"Add a From field" leaves the cursor on the address to type; typing it clears the problem', async () => {
    await activateMailsmith();
    writeFileSync(workspaceUri('no-from-snippet.eml').fsPath, 'To: Bob <bob@example.org>\nSubject: Lunch\n\nHello.\n');
    const editor = await openWorkspaceFile('no-from-snippet.eml');
    const uri = editor.document.uri;
    const [missing] = await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('missing-from'));
    const fix = (await codeActions(uri, missing.range)).find((a) => a.title === 'Add a From field');
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.lineAt(2).text, 'From: Your Name <you@example.com>');
    // The snippet's placeholder is selected: what the user types replaces it.
    assert.equal(editor.document.getText(editor.selection), 'Your Name <you@example.com>', `selection ${JSON.stringify(editor.selection)}`);
    await vscode.commands.executeCommand('type', { text: 'Ann <ann@example.com>' });
    assert.equal(editor.document.lineAt(2).text, 'From: Ann <ann@example.com>');
    await waitForDiagnostics(uri, (d) => !diagnosticCodes(d).some((c) => c === 'missing-from' || c === 'address-empty-list'), { what: 'no missing or empty From' });
    assert.deepEqual(listed(uri), [], 'nothing left in the Problems view');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('offers the typo fixes the messages describe, and each one clears its problem without a new one', async () => {
    await activateMailsmith();
    const typos: Array<[line: string, title: string, fixed: string]> = [
      ['Cc: Dave Manager dave@example.org', 'Put the address in <angle brackets> after the name', 'Cc: Dave Manager <dave@example.org>'],
      ['Cc: carol@@example.org', 'Remove the extra "@"', 'Cc: carol@example.org'],
      ['Cc: carol@example.org.', 'Remove the stray "." from the domain', 'Cc: carol@example.org'],
      ['Cc: carol@example.org; dave@example.org', 'Separate the addresses with ","', 'Cc: carol@example.org, dave@example.org'],
    ];
    for (const [line, title, fixed] of typos) {
      const name = `typo-${typos.findIndex((t) => t[0] === line)}.eml`;
      writeFileSync(workspaceUri(name).fsPath, `From: Ann <ann@example.com>\r\nTo: bob@example.org\r\n${line}\r\nSubject: Typos\r\n\r\nHello.\r\n`);
      const editor = await openWorkspaceFile(name);
      const uri = editor.document.uri;
      const [problem] = await waitForDiagnostics(uri, (d) => listed(uri).length > 0 && d.length > 0, { what: `the problem of "${line}"` }).then((d) => d.filter((x) => x.range.start.line === 2));
      assert.ok(problem, `a problem on "${line}"`);
      const fix = (await codeActions(uri, problem.range)).find((a) => a.title === title);
      assert.ok(fix?.edit, `"${title}" for "${line}"`);
      assert.equal(fix.isPreferred, true);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(editor.document.lineAt(2).text, fixed);
      await waitForDiagnostics(uri, () => listed(uri).length === 0, { what: `the Problems view to be clean after "${title}"` });
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await closeAllEditors();
    }
  });

  it('Fix all (source.fixAll.mailsmith) mends every typo of broken.eml at once and leaves what needs the author', async () => {
    await activateMailsmith();
    writeFileSync(workspaceUri('fix-all.eml').fsPath, readFileSync(workspaceUri('broken.eml').fsPath));
    const editor = await openWorkspaceFile('fix-all.eml');
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => diagnosticCodes(d).includes('address-semicolon'));
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const actions = await codeActions(uri, whole, FIX_ALL);
    assert.deepEqual(actions.map((a) => [a.title, a.kind?.value]), [['Fix all auto-fixable Mailsmith problems', FIX_ALL]]);
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
    assert.equal(editor.document.getText(), BROKEN_FIXED);
    await waitForDiagnostics(uri, () => listed(uri).join(' ') === '1:missing-from 3:duplicate-field 6:header-no-colon 7:header-no-colon', {
      what: 'only the problems that need the author',
    });
    assert.deepEqual(await codeActions(uri, whole, FIX_ALL), [], 'nothing more for Fix all');
    // Beside a problem's own fixes, the quick-fix menu offers Fix all too (as ESLint's does).
    writeFileSync(workspaceUri('fix-all-menu.eml').fsPath, readFileSync(workspaceUri('broken.eml').fsPath));
    const menu = await openWorkspaceFile('fix-all-menu.eml');
    const [semicolon] = await waitForDiagnostics(menu.document.uri, (d) => diagnosticCodes(d).includes('address-semicolon')).then((d) => d.filter((x) => diagnosticCodes([x])[0] === 'address-semicolon'));
    const titles = (await codeActions(menu.document.uri, semicolon.range)).map((a) => a.title);
    assert.ok(titles.includes('Separate the addresses with ","') && titles.includes('Fix all auto-fixable Mailsmith problems'), titles.join(' | '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('runs Fix all on save with "editor.codeActionsOnSave": {"source.fixAll.mailsmith": "explicit"}', async () => {
    await activateMailsmith();
    const settings = vscode.workspace.getConfiguration('editor', { languageId: 'email' });
    await settings.update('codeActionsOnSave', { [FIX_ALL]: 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    try {
      const file = workspaceUri('fix-on-save.eml');
      writeFileSync(file.fsPath, 'From: Ann <ann@example.com>\nTo: Bob bob@example.org; carol@@example.org\nSubject: On save\n\nHello.\n');
      const editor = await openWorkspaceFile('fix-on-save.eml');
      assert.ok(await editor.edit((b) => b.replace(editor.document.lineAt(2).range, 'Subject: Saved with Fix all')));
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor('the saved file to hold the fixes', () => !editor.document.isDirty && readFileSync(file.fsPath, 'utf8').includes('carol@example.org'));
      assert.equal(readFileSync(file.fsPath, 'utf8'), 'From: Ann <ann@example.com>\nTo: Bob <bob@example.org>, carol@example.org\nSubject: Saved with Fix all\n\nHello.\n');
      await waitForDiagnostics(file, () => listed(file).length === 0, { what: 'a clean Problems view after the save' });
    } finally {
      await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
    }
  });
});
