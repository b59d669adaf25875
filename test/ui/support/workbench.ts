// Drives the real VS Code workbench (code-server, started by scripts/real-vscode/run-ui.mjs) in headless
// Chromium as a person would: keyboard, clicks, what is visible. The harness passes the workbench URL and
// the workspace folder in MAILSMITH_UI_* variables.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export interface UiEnvironment {
  /** The workbench URL, with the folder and the extension under development. */
  url: string;
  /** The workspace folder on disk (a temporary copy of samples/). */
  workspace: string;
  /** Where screenshots go (test-results/ui). */
  screenshots: string;
  /** The user settings.json of this VS Code (application-scoped settings live only there). */
  userSettings: string;
  /** code-server's log folder: each window's extension host logs to <session>/exthost<N>/remoteexthost.log. */
  logs: string;
  chromium: string;
  chromiumArgs: string[];
}

export function uiEnvironment(): UiEnvironment {
  const missing = ['MAILSMITH_UI_URL', 'MAILSMITH_UI_WORKSPACE', 'MAILSMITH_UI_SCREENSHOTS', 'MAILSMITH_UI_LOGS'].filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`${missing.join(', ')} not set: run the UI tests with node scripts/real-vscode/run-ui.mjs`);
  return {
    url: process.env.MAILSMITH_UI_URL as string,
    workspace: process.env.MAILSMITH_UI_WORKSPACE as string,
    screenshots: process.env.MAILSMITH_UI_SCREENSHOTS as string,
    userSettings: process.env.MAILSMITH_UI_USER_SETTINGS ?? '',
    logs: process.env.MAILSMITH_UI_LOGS as string,
    chromium: process.env.MAILSMITH_UI_CHROMIUM ?? '/usr/bin/chromium',
    chromiumArgs: JSON.parse(process.env.MAILSMITH_UI_CHROMIUM_ARGS ?? '["--no-sandbox","--disable-gpu"]') as string[],
  };
}

/**
 * Merges `settings` into the user settings.json (as a person editing it would; VS Code picks the change up
 * live). Needed for application-scoped settings such as `mailsmith.profiles`, which a workspace cannot set.
 */
export function updateUserSettings(settings: Record<string, unknown>): void {
  const file = uiEnvironment().userSettings;
  if (!file) throw new Error('MAILSMITH_UI_USER_SETTINGS not set: run the UI tests with node scripts/real-vscode/run-ui.mjs');
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
}

const QUICK_INPUT = '.quick-input-widget';

/** The extension host logs files whose names end so; a window's host has its own file. */
const EXTENSION_HOST_LOG = 'exthost.log';
/**
 * The extension host's line once it runs with every installed extension and has activated the start-up
 * ones. VS Code registers the extensions' contributions (the commands in the palette among them) before it
 * starts the host, so from this line on "Mailsmith: ..." commands are listed.
 */
const EXTENSION_HOST_READY = 'Eager extensions activated';

function extensionHostLogs(logs: string): string[] {
  if (!existsSync(logs)) return [];
  return readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith(EXTENSION_HOST_LOG));
}

/**
 * Waits for the extension host of a window opened after `before` (the host log files then) to be ready.
 * The workbench is drawn, status bar included, seconds before that on a loaded machine (19 s seen); a
 * command run earlier finds "No matching commands", and Quick Open no file (the host runs the file search).
 */
async function waitForNewExtensionHost(logs: string, before: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = extensionHostLogs(logs).filter((file) => !before.includes(file));
    if (fresh.some((file) => readFileSync(join(logs, file), 'utf8').includes(EXTENSION_HOST_READY))) return;
    if (Date.now() > deadline) {
      const shown = fresh.map((file) => `--- ${file}\n${readFileSync(join(logs, file), 'utf8')}`).join('\n') || '(no extension host log yet)';
      throw new Error(`the window's extension host did not log "${EXTENSION_HOST_READY}" within ${timeoutMs / 1000} s:\n${shown}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export class Workbench {
  private shots = 0;

  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly env: UiEnvironment,
    private readonly name: string,
  ) {}

  /** Opens the workbench in a fresh headless Chromium; `name` prefixes the screenshots. */
  static async open(name: string): Promise<Workbench> {
    const env = uiEnvironment();
    const browser = await chromium.launch({ executablePath: env.chromium, headless: true, args: env.chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const hostsBefore = extensionHostLogs(env.logs);
      // The workbench's first load compiles megabytes of script: on a busy machine that takes longer than
      // Playwright's default 30 s.
      await page.goto(env.url, { timeout: 90_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // Usable once this window's extension host is ready: the extensions' commands are registered then.
      await waitForNewExtensionHost(env.logs, hostsBefore, 90_000);
      return new Workbench(browser, page, env, name);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Saves test-results/ui/<name>-<nn>-<step>.png and returns its path. */
  async screenshot(step: string): Promise<string> {
    mkdirSync(this.env.screenshots, { recursive: true });
    const slug = step.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const file = join(this.env.screenshots, `${this.name}-${String(++this.shots).padStart(2, '0')}-${slug}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command by its title through the command palette (F1), as a person would. */
  async runCommand(title: string): Promise<void> {
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    const input = this.page.locator(`${QUICK_INPUT} input`);
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.pickQuickPickItem(title, { exact: true });
  }

  /**
   * Closes every editor, discarding unsaved changes: earlier suites leave drafts open (New Email's untitled
   * message), and their "Do you want to save" dialog would block everything after it.
   */
  async closeAllEditorsDiscarding(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: /save the changes/i });
    for (let i = 0; i < 10; i++) {
      const shown = await dialog
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => true)
        .catch(() => false);
      if (!shown) return;
      await dialog.locator('.dialog-buttons .monaco-button', { hasText: /Don.t Save/ }).first().click();
      await dialog.waitFor({ state: 'hidden' });
    }
  }

  /** Chooses `name` in Quick Open (Ctrl+P), in the editor group that has the focus. */
  async quickOpen(name: string): Promise<void> {
    // A file the test has just written may not be in Quick Open's file list yet: ask again until it is.
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: name }).first();
    const deadline = Date.now() + 60_000;
    for (;;) {
      await this.focusWorkbench();
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator(`${QUICK_INPUT} input`);
      await input.waitFor({ state: 'visible' });
      await input.fill(name);
      const listed = await row
        .waitFor({ state: 'visible', timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (listed) break;
      if (Date.now() > deadline) throw new Error(`Quick Open does not list ${name}`);
      await this.page.keyboard.press('Escape');
    }
    await row.click();
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab to be active. */
  async openFile(name: string): Promise<void> {
    await this.quickOpen(name);
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    await this.page.locator('.editor-instance .monaco-editor').first().waitFor();
  }

  /** The visible quick pick rows (labels with descriptions). */
  quickPickRows(): Locator {
    return this.page.locator(`${QUICK_INPUT} .monaco-list-row`);
  }

  async quickPickLabels(): Promise<string[]> {
    await this.quickPickRows().first().waitFor();
    return (await this.page.locator(`${QUICK_INPUT} .monaco-list-row .label-name`).allInnerTexts()).map((t) => t.trim());
  }

  /** Chooses the quick pick row whose label matches `label` (its first match) by clicking it. */
  async pickQuickPickItem(label: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
    const rows = this.page.locator(`${QUICK_INPUT} .monaco-list-row`);
    const row =
      typeof label === 'string' && options.exact
        ? rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
        : rows.filter({ hasText: label });
    await row.first().waitFor({ state: 'visible' });
    await row.first().click();
  }

  /** The status bar item whose text contains `text`. */
  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: text });
  }

  /** Status bar items contributed by an extension (their element ids start with the extension's id). */
  extensionStatusBarItems(extensionId: string): Locator {
    return this.page.locator(`#workbench\\.parts\\.statusbar .statusbar-item[id^="${extensionId}."]`);
  }

  async clickStatusBarItem(text: string | RegExp): Promise<void> {
    const item = this.statusBarItem(text).first();
    await item.waitFor({ state: 'visible' });
    await item.locator('a, .statusbar-item-label').first().click();
  }

  /** Texts of the notification toasts now on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification toast whose message matches and returns the toast. */
  async waitForNotification(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', {
      has: this.page.locator('.notification-list-item-message', { hasText: text }),
    });
    await toast.first().waitFor({ state: 'visible', timeout: timeoutMs });
    await settle(toast.first()); // toasts slide in: let a screenshot show them in place
    return toast.first();
  }

  /** Clicks a button (e.g. "Show log") on a notification toast. */
  async clickNotificationButton(toast: Locator, label: string): Promise<void> {
    await toast.hover(); // buttons of a toast are shown on hover/focus
    await toast.locator('.monaco-button', { hasText: label }).first().click();
  }

  /** Waits for a modal dialog (e.g. a confirmation), presses `button` and returns the dialog's message. */
  async answerDialog(button: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
    const message = (await dialog.locator('.dialog-message').innerText()).trim();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden' });
    return message;
  }

  /**
   * Opens the Problems view (maximised, so that no row is scrolled out of the DOM) and returns its marker
   * rows once at least `atLeast` are shown.
   */
  async problems(options: { atLeast?: number; timeoutMs?: number; file?: string } = {}): Promise<ProblemRow[]> {
    await this.runCommand('Problems: Focus on Problems View');
    await this.maximizePanel();
    const atLeast = options.atLeast ?? 1;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const rows = (await this.problemRows()).filter((r) => options.file === undefined || r.file === options.file);
      if (rows.length >= atLeast) return rows;
      if (Date.now() > deadline) {
        const shown = rows.map((r) => `  ${r.line}:${r.column} ${r.code} ${r.message}`).join('\n') || '  (none)';
        throw new Error(`the Problems view shows ${rows.length} problem(s), expected at least ${atLeast}:\n${shown}`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * The marker rows of the Problems view now in the DOM, each with the file it is listed under (the file rows
   * above them carry only a name and a count). Rows are taken in list order (`data-index`), not DOM order.
   */
  async problemRows(): Promise<ProblemRow[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return rows.evaluateAll((elements) => {
      const ordered = [...elements].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
      const out: ProblemRow[] = [];
      let file = '';
      for (const row of ordered) {
        const text = (selector: string) => row.querySelector(selector)?.textContent?.trim() ?? '';
        if (!row.querySelector('.marker-message-details-container')) {
          file = text('.label-name');
          continue;
        }
        const position = /Ln (\d+), Col (\d+)/.exec(text('.marker-line'));
        out.push({
          file,
          message: text('.marker-message'),
          source: text('.marker-source'),
          code: text('.marker-code'),
          line: position ? Number(position[1]) : 0,
          column: position ? Number(position[2]) : 0,
        });
      }
      return out;
    });
  }

  /**
   * Moves the mouse into the middle of the editor area and waits until no workbench hover is shown: a hover
   * left by the pointer resting on a tab or a status bar item covers what the next click aims at.
   */
  async dismissHovers(): Promise<void> {
    const editor = await this.page.locator('#workbench\\.parts\\.editor').boundingBox();
    if (editor) await this.page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
    await this.page.locator('.workbench-hover').waitFor({ state: 'hidden' });
  }

  /** Maximises the panel (Problems, Output) unless it already fills most of the window. */
  async maximizePanel(): Promise<void> {
    const panel = await this.page.locator('#workbench\\.parts\\.panel').boundingBox();
    const viewport = this.page.viewportSize();
    if (panel && viewport && panel.height < viewport.height * 0.6) await this.runCommand('View: Toggle Maximized Panel');
  }

  /**
   * Right-clicks on the text of the active editor (its first visible non-empty line, clear of CodeLens
   * and other widgets drawn between the lines) and chooses `item` from the context menu.
   */
  async editorContextMenu(item: string | RegExp): Promise<void> {
    const line = this.page.locator('.editor-instance .monaco-editor .view-lines .view-line').filter({ hasText: /\S/ }).first();
    await line.waitFor({ state: 'visible' });
    await line.locator('span span').first().click({ button: 'right' });
    await this.chooseContextMenuItem(item);
  }

  /**
   * Chooses an entry of the open context menu (VS Code draws menus in a shadow root; Playwright pierces it).
   * The pointer moves onto the entry and Enter runs it: a click right after the menu opens is ignored.
   */
  async chooseContextMenuItem(item: string | RegExp): Promise<void> {
    const entry = this.page.locator('.monaco-menu .action-item', { has: this.page.locator('.action-label', { hasText: item }) });
    await entry.first().waitFor({ state: 'visible' });
    await entry.first().hover();
    await this.page.locator('.monaco-menu .action-item.focused', { hasText: item }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await entry.first().waitFor({ state: 'hidden' });
  }

  /** Closes any quick input, menu or notification focus so that the next key goes to the workbench. */
  async focusWorkbench(): Promise<void> {
    if (await this.page.locator(`${QUICK_INPUT}`).isVisible()) await this.page.keyboard.press('Escape');
    if (await this.page.locator('.context-view .monaco-menu').isVisible().catch(() => false)) await this.page.keyboard.press('Escape');
  }
}

/** One row of the Problems view, as shown: message, source, code and position (1-based). */
export interface ProblemRow {
  /** The name of the file the row is listed under. */
  file: string;
  message: string;
  source: string;
  code: string;
  line: number;
  column: number;
}

/** Waits for the element's CSS transitions and animations (and its children's) to finish. */
async function settle(locator: Locator): Promise<void> {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished.catch(() => undefined))));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Opens one workbench for a describe block (before), screenshots a failing test's last state (afterEach)
 * and closes the browser (after). Returns an accessor for the tests.
 */
export function useWorkbench(name: string): () => Workbench {
  let workbench: Workbench | undefined;
  before(async function () {
    this.timeout(120_000);
    workbench = await Workbench.open(name);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (workbench && test?.state === 'failed') await workbench.screenshot(`failed ${test.title}`).catch(() => undefined);
  });
  after(async () => {
    await workbench?.close();
  });
  return () => {
    if (!workbench) throw new Error('the workbench did not open (see the before hook)');
    return workbench;
  };
}
