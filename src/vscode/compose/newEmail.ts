// New Email: an untitled `email` document from a template (the templates folder, or the built-in one),
// with the active profile's From filled in, `${name}` placeholders asked for, and the cursor on To.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openUntitled } from '../documents';
import type { Services } from '../services';
import { cursorOffset, DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME, fillTemplate, placeholdersOf } from './templateText';

export interface NewEmailArgs {
  /** A template's file name in the templates folder, or a path; the built-in one when "default". */
  template?: string;
  /** Placeholder values (tests, other commands); anything missing is asked for. */
  values?: Record<string, string>;
}

interface Template {
  label: string;
  text: string;
  /** For `.email.md` templates: the document stays front matter + Markdown. */
  markdown: boolean;
}

const TEMPLATE_FILE = /\.(eml|email|email\.md)$/i;

export function registerNewEmail(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('mailsmith.newEmail', async (args: NewEmailArgs = {}) => {
    const template = await chooseTemplate(args.template);
    if (!template) return undefined;
    const values: Record<string, string> = { ...args.values };
    const from = services.profiles.active().defaults?.from;
    if (values.from === undefined && from) values.from = from;
    for (const name of placeholdersOf(template.text)) {
      if (values[name] !== undefined) continue;
      const value = await vscode.window.showInputBox({
        title: `New email from ${template.label}`,
        prompt: `What should "${name}" be?`,
        placeHolder: name === 'from' ? 'Your Name <you@example.com>' : undefined,
        ignoreFocusOut: true,
      });
      if (value === undefined) return undefined; // Escape cancels the whole command
      values[name] = value;
    }
    const text = fillTemplate(template.text, values);
    const document = await openUntitled(template.markdown ? 'New message.email.md' : 'New message.eml', text, 'email');
    // The selection is part of showing the editor, so keys typed at once already land on To.
    const cursor = document.positionAt(cursorOffset(text));
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(cursor, cursor) });
    return document.uri;
  });
}

/** The folder from `mailsmith.templatesFolder` (relative to the first workspace folder), if there is one. */
export function templatesFolder(): vscode.Uri | undefined {
  const setting = vscode.workspace.getConfiguration('mailsmith').get<string>('templatesFolder', '.mailsmith/templates').trim();
  if (!setting) return undefined;
  if (path.isAbsolute(setting)) return vscode.Uri.file(setting);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, setting) : undefined;
}

async function listTemplates(): Promise<Template[]> {
  const builtIn: Template = { label: DEFAULT_TEMPLATE_NAME, text: DEFAULT_TEMPLATE, markdown: false };
  const folder = templatesFolder();
  if (!folder) return [builtIn];
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [builtIn]; // no templates folder yet
  }
  const found: Template[] = [];
  for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (type !== vscode.FileType.File || !TEMPLATE_FILE.test(name)) continue;
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name));
    found.push({ label: name, text: Buffer.from(bytes).toString('utf8'), markdown: name.toLowerCase().endsWith('.email.md') });
  }
  return [...found, builtIn];
}

async function chooseTemplate(wanted: string | undefined): Promise<Template | undefined> {
  if (wanted === 'default') return { label: DEFAULT_TEMPLATE_NAME, text: DEFAULT_TEMPLATE, markdown: false };
  const templates = await listTemplates();
  if (wanted !== undefined) {
    const match = templates.find((t) => t.label === wanted || t.label === path.basename(wanted));
    if (match) return match;
    void vscode.window.showErrorMessage(`No template "${wanted}" in ${templatesFolder()?.fsPath ?? 'the templates folder'}.`);
    return undefined;
  }
  if (templates.length === 1) return templates[0];
  const picked = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.label, description: placeholdersOf(t.text).map((p) => `\${${p}}`).join(' '), template: t })),
    { title: 'New email from a template', placeHolder: 'Templates come from the mailsmith.templatesFolder setting' },
  );
  return picked?.template;
}
