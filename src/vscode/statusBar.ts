// The active profile in the status bar; clicking it picks another (per workspace), adds one or tests it.
import * as vscode from 'vscode';
import type { SmtpProfile } from '../core/profiles/profile';
import type { Services } from './services';

/** Short labels for the status bar (the profile table's long ones would crowd it). */
const SECURITY_LABEL: Record<SmtpProfile['security'], string> = {
  none: 'no TLS',
  'starttls-optional': 'STARTTLS if offered',
  starttls: 'STARTTLS',
  tls: 'TLS',
};

export function registerStatusBar(services: Services): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('mailsmith.profile', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Mailsmith profile';
  item.command = 'mailsmith.selectProfile';
  const update = () => {
    const p = services.profiles.active();
    item.text = `$(${p.security === 'none' ? 'unlock' : 'lock'}) ${p.name} · ${SECURITY_LABEL[p.security]}`;
    item.tooltip = `Mailsmith sends with "${p.name}" (${p.host}:${p.port}, ${SECURITY_LABEL[p.security]}). Click to choose another profile.`;
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'email') item.show();
    else item.hide();
  };
  update();
  const select = vscode.commands.registerCommand('mailsmith.selectProfile', async (name?: string) => {
    if (typeof name === 'string') {
      if (!services.profiles.get(name)) throw new Error(`No profile named "${name}"`);
      await services.profiles.setActive(name);
      return name;
    }
    return pickProfile(services);
  });
  return [item, select, services.profiles.onDidChange(update), vscode.window.onDidChangeActiveTextEditor(update)];
}

type Item = vscode.QuickPickItem & { action: 'use' | 'add' | 'settings' | 'test'; name?: string };

function pickProfile(services: Services): Promise<string | undefined> {
  const active = services.profiles.active().name;
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Mailsmith: choose the profile to send with';
  pick.placeholder = 'Profiles are kept in settings; passwords in the secret store';
  pick.items = [
    ...services.profiles.list().map(
      (p): Item => ({ label: `${p.name === active ? '$(check) ' : ''}${p.name}`, description: `${p.host}:${p.port} · ${SECURITY_LABEL[p.security]}`, action: 'use', name: p.name }),
    ),
    { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'use' },
    { label: '$(add) Add profile...', action: 'add' },
    { label: '$(settings-gear) Open Profile Settings', action: 'settings' },
    { label: '$(plug) Test connection', description: active, action: 'test' },
  ];
  return new Promise((resolve) => {
    let chosen: string | undefined;
    pick.onDidAccept(async () => {
      const item = pick.selectedItems[0];
      // Chosen and stored before hiding: hiding resolves the promise, which must hold the choice.
      if (item?.action === 'use' && item.name) {
        await services.profiles.setActive(item.name);
        chosen = item.name;
      }
      pick.hide();
      if (!item || item.action === 'use') return;
      if (item.action === 'add') void vscode.commands.executeCommand('mailsmith.addProfile');
      else if (item.action === 'settings') void vscode.commands.executeCommand('mailsmith.openProfileSettings');
      else if (item.action === 'test') void vscode.commands.executeCommand('mailsmith.testConnection');
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}
