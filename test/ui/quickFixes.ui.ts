// The first hour's editor, in the real workbench: the shipped samples, and an ordinary draft as VS Code
// writes it on Linux (LF line endings, no Date, no Message-ID), leave the Problems view empty, the CodeLens
// saying what the send adds; "Add a From field" leaves the cursor on the address to type; Fix all mends the
// typos of broken.eml at once from the quick-fix menu (Ctrl+.), leaving only what needs the author.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateMessage } from '../../src/core/message';
import { useWorkbench, type Workbench } from './support/workbench';

/** The samples a new user opens first; broken.eml is broken on purpose. */
const CLEAN_SAMPLES = ['plain-text.eml', 'multipart-attachment.eml', 'utf8-subject.eml', 'with-bcc.eml'];

const ORDINARY_DRAFT = 'ordinary-draft.eml';
const NO_FROM = 'no-from-draft.eml';
const FIX_ALL = 'fix-all-broken.eml';

/** A CodeLens above the active editor's first line whose text matches. */
function codeLens(wb: Workbench, text: string | RegExp) {
  return wb.page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: text }).first();
}

/** The active editor's lines as shown (VS Code draws spaces as non-breaking ones). */
async function editorLines(wb: Workbench): Promise<string[]> {
  const lines = wb.page.locator('.editor-instance .monaco-editor .view-lines .view-line');
  const shown = await lines.evaluateAll((els) =>
    els
      .map((el) => ({ top: parseFloat((el as HTMLElement).style.top) || 0, text: (el.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return shown;
}

/** Puts the cursor on `line` and `column` (1-based) with Go to Line, as a person would. */
async function goToLine(wb: Workbench, line: number, column = 1): Promise<void> {
  await wb.focusWorkbench();
  await wb.page.keyboard.press('Control+G');
  const input = wb.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await wb.page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** Opens the quick-fix menu (Ctrl+.) at the cursor and returns its entries' labels. */
async function openQuickFixMenu(wb: Workbench): Promise<string[]> {
  await wb.page.keyboard.press('Control+.');
  const rows = wb.page.locator('.action-widget .monaco-list-row.action');
  await rows.first().waitFor({ state: 'visible' });
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

async function chooseQuickFix(wb: Workbench, title: string): Promise<void> {
  const row = wb.page.locator('.action-widget .monaco-list-row.action', { hasText: title }).first();
  await row.hover();
  await row.click();
  await wb.page.locator('.action-widget .monaco-list-row.action').first().waitFor({ state: 'hidden' });
}

/**
 * Waits until the Problems view's rows of `file`, as `line:code`, are exactly `expected` (in any order).
 * Only that file's rows count: earlier suites may leave other messages open in the workbench.
 */
async function waitForProblemRows(wb: Workbench, file: string, expected: string[], timeoutMs = 30_000): Promise<void> {
  // The rows are read from the view: it must be open, or an empty list would prove nothing.
  if (!(await wb.page.locator('.markers-panel').isVisible())) {
    await wb.runCommand('Problems: Focus on Problems View');
    await wb.page.locator('.markers-panel').waitFor({ state: 'visible' });
  }
  const want = [...expected].sort().join(' ');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await wb.problemRows()).filter((r) => r.file === file).map((r) => `${r.line}:${r.code}`).sort().join(' ');
    if (rows === want) return;
    if (Date.now() > deadline) throw new Error(`the Problems view shows [${rows}] for ${file}, expected [${want}]`);
    await wb.page.waitForTimeout(200);
  }
}

describe('Quick fixes, Fix all and a quiet Problems view (real workbench)', () => {
  const workbench = useWorkbench('quick-fixes');

  it('lists nothing for the shipped samples and an ordinary LF draft without Date or Message-ID', async () => {
    const wb = workbench();
    await wb.closeAllEditorsDiscarding();
    const workspace = wb.env.workspace;
    writeFileSync(join(workspace, ORDINARY_DRAFT), 'From: Ann <ann@example.com>\nTo: Bob <bob@example.org>\nBcc: archive@example.com\nSubject: Lunch\n\nSee you at noon.\n');
    for (const sample of CLEAN_SAMPLES) {
      await wb.openFile(sample);
      await codeLens(wb, 'Send with').waitFor();
      await wb.screenshot(`sample ${sample}`);
    }
    await wb.openFile(ORDINARY_DRAFT);
    // The CodeLens follows the Problems view: once it names what the send adds, the draft has been checked.
    const effects = codeLens(wb, /adds Date and Message-ID/);
    await effects.waitFor();
    assert.match(await effects.innerText(), /adds Date and Message-ID.*Bcc hidden.*CRLF line endings/);
    await wb.screenshot('ordinary draft with what the send adds in the CodeLens');

    await wb.runCommand('Problems: Focus on Problems View');
    await wb.maximizePanel();
    const mine = new Set([...CLEAN_SAMPLES, ORDINARY_DRAFT]);
    assert.deepEqual((await wb.problemRows()).filter((r) => mine.has(r.file)), [], 'no row for the samples or the ordinary draft');
    await wb.screenshot('problems view empty');
    await wb.runCommand('View: Toggle Maximized Panel');

    // The view is not empty for want of checking: the broken sample, opened after them, fills it with its
    // own problems and nothing else.
    const broken = validateMessage(readFileSync(join(workspace, 'broken.eml'))).filter((p) => p.severity !== 'hint');
    await wb.openFile('broken.eml');
    await waitForProblemRows(wb, 'broken.eml', broken.map((p) => `${p.range.start.line + 1}:${p.code}`));
    const listed = new Set((await wb.problemRows()).map((r) => r.file));
    assert.ok(![...mine].some((file) => listed.has(file)), `only broken.eml of these files is listed: ${[...listed].join(', ')}`);
    await wb.screenshot('problems view with broken.eml only');
    await wb.closeAllEditorsDiscarding();
  });

  it('"Add a From field" from Ctrl+. leaves the cursor on the address; typing it clears the problem', async () => {
    const wb = workbench();
    writeFileSync(join(wb.env.workspace, NO_FROM), 'To: Bob <bob@example.org>\r\nSubject: Lunch\r\n\r\nHello.\r\n');
    await wb.openFile(NO_FROM);
    await waitForProblemRows(wb, NO_FROM, ['1:missing-from']);
    await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await goToLine(wb, 1);
    const fixes = await openQuickFixMenu(wb);
    assert.ok(fixes.some((f) => f.includes('Add a From field')), fixes.join(' | '));
    await wb.screenshot('quick fix menu with Add a From field');
    await chooseQuickFix(wb, 'Add a From field');
    // The snippet's placeholder is selected: the first key typed replaces it.
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'From: Your Name <you@example.com>' }).waitFor();
    await wb.screenshot('From inserted with the placeholder selected');
    await wb.page.keyboard.type('Ann <ann@example.com>');
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'From: Ann <ann@example.com>' }).waitFor();
    assert.ok((await editorLines(wb)).includes('From: Ann <ann@example.com>'), (await editorLines(wb)).join('\n'));
    await waitForProblemRows(wb, NO_FROM, []);
    await wb.screenshot('From typed, no problems left');
    await wb.runCommand('File: Revert File');
    await wb.closeAllEditorsDiscarding();
  });

  it('Fix all from the quick-fix menu mends every typo of broken.eml and leaves what needs the author', async () => {
    const wb = workbench();
    writeFileSync(join(wb.env.workspace, FIX_ALL), readFileSync(join(wb.env.workspace, 'broken.eml')));
    await wb.openFile(FIX_ALL);
    const before = (await wb.problems({ atLeast: 6, file: FIX_ALL })).map((r) => `${r.line}:${r.code}`);
    assert.ok(before.includes('1:address-semicolon'), before.join(' '));
    await wb.screenshot('broken.eml with its problems');
    await wb.runCommand('View: Toggle Maximized Panel');
    await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    // On the ";" of "To: bob@example.org; carol@@example.org".
    await goToLine(wb, 1, 20);
    const fixes = await openQuickFixMenu(wb);
    assert.ok(fixes.some((f) => f.includes('Separate the addresses with ","')), fixes.join(' | '));
    assert.ok(fixes.some((f) => f.includes('Fix all auto-fixable Mailsmith problems')), fixes.join(' | '));
    await wb.screenshot('quick fix menu with Fix all');
    await chooseQuickFix(wb, 'Fix all auto-fixable Mailsmith problems');
    await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'To: bob@example.org, carol@example.org' }).waitFor();
    const lines = await editorLines(wb);
    assert.ok(lines.includes('Cc: Dave Manager <dave@example.org>'), lines.join('\n'));
    assert.ok(lines.includes('X-Note: whitespace before the colon'), lines.join('\n'));
    // Left for the author: who sends it, which Subject to keep, where the body starts.
    await waitForProblemRows(wb, FIX_ALL, ['1:missing-from', '3:duplicate-field', '6:header-no-colon', '7:header-no-colon']);
    await wb.problems({ atLeast: 4, file: FIX_ALL });
    await wb.screenshot('after Fix all only what needs the author');
    await wb.runCommand('View: Toggle Maximized Panel');
    await wb.runCommand('File: Revert File');
    await wb.closeAllEditorsDiscarding();
  });
});
