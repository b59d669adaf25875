// Profile commands through quick picks and input boxes: add, remove, set password, test connection.
// (The settings webview offers the same as a form.)
import * as vscode from 'vscode';
import { LOCAL_INBOX_PROFILE_NAME, PRESETS } from '../../core/profiles/presets';
import { USUAL_PORTS, type SecurityMode, type SmtpProfile } from '../../core/profiles/profile';
import { validateProfile } from '../../core/profiles/validate';
import type { Services } from '../services';

export function registerProfileCommands(services: Services): vscode.Disposable[] {
  const { profiles } = services;
  return [
    vscode.commands.registerCommand('mailsmith.addProfile', async () => {
      const preset = await vscode.window.showQuickPick(
        [{ label: 'Custom server', id: '' }, ...PRESETS.filter((p) => p.id !== 'local-inbox').map((p) => ({ label: p.label, description: `${p.host}:${p.port}`, detail: p.note, id: p.id }))],
        { title: 'Add SMTP profile (1/5): provider', placeHolder: 'A preset fills host, port and security' },
      );
      if (!preset) return undefined;
      const base = PRESETS.find((p) => p.id === preset.id);
      const name = await vscode.window.showInputBox({
        title: 'Add SMTP profile (2/5): name',
        value: base?.label ?? '',
        validateInput: (v) => (!v.trim() ? 'Give the profile a name' : profiles.get(v.trim()) ? 'A profile with this name exists' : undefined),
      });
      if (!name) return undefined;
      const host = base?.host ?? (await vscode.window.showInputBox({ title: 'Add SMTP profile (3/5): host', placeHolder: 'smtp.example.com', validateInput: (v) => fieldError({ host: v }, 'host') }));
      if (!host) return undefined;
      const security =
        base?.security ??
        ((
          await vscode.window.showQuickPick(
            (['starttls', 'tls', 'starttls-optional', 'none'] as SecurityMode[]).map((s) => ({ label: s, description: `usually port ${USUAL_PORTS[s]}` })),
            { title: 'Add SMTP profile (4/5): security' },
          )
        )?.label as SecurityMode | undefined);
      if (!security) return undefined;
      const portText = base ? String(base.port) : await vscode.window.showInputBox({ title: 'Add SMTP profile: port', value: String(USUAL_PORTS[security]), validateInput: (v) => fieldError({ port: Number(v) }, 'port') });
      if (!portText) return undefined;
      const user = await vscode.window.showInputBox({ title: 'Add SMTP profile (5/5): user (empty for no AUTH)', value: base?.user ?? '' });
      if (user === undefined) return undefined;
      const profile: SmtpProfile = { name: name.trim(), host: host.trim(), port: Number(portText), security, ...(user ? { user } : {}) };
      const errors = validateProfile(profile).filter((i) => i.severity === 'error');
      if (errors.length) {
        void vscode.window.showErrorMessage(`Profile not saved: ${errors.map((e) => e.message).join(' ')}`);
        return undefined;
      }
      await profiles.save(profile);
      if (user) await askPassword(services, profile.name);
      await profiles.setActive(profile.name);
      return profile.name;
    }),
    vscode.commands.registerCommand('mailsmith.removeProfile', async (name?: string) => {
      const target = name ?? (await pickUserProfile(services, 'Remove which profile?'));
      if (!target || target === LOCAL_INBOX_PROFILE_NAME) return false;
      if (!name) {
        const ok = await vscode.window.showWarningMessage(`Remove profile "${target}" and its stored password?`, { modal: true }, 'Remove');
        if (ok !== 'Remove') return false;
      }
      await profiles.remove(target);
      return true;
    }),
    vscode.commands.registerCommand('mailsmith.setPassword', async (name?: string, password?: string) => {
      const target = name ?? (await pickUserProfile(services, 'Set the password of which profile?'));
      if (!target) return false;
      if (typeof password === 'string') await profiles.setPassword(target, password || undefined);
      else await askPassword(services, target);
      return profiles.hasPassword(target);
    }),
    vscode.commands.registerCommand('mailsmith.testConnection', async (name?: string) => {
      const chosen = (typeof name === 'string' && profiles.get(name)) || profiles.active();
      const profile = chosen.name === LOCAL_INBOX_PROFILE_NAME ? (await services.inbox.ensure()).profile : chosen;
      const secret = chosen.name === LOCAL_INBOX_PROFILE_NAME ? {} : await profiles.getSecret(chosen.name);
      const { runDoctor } = await import('../../core/send/doctor.js');
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${chosen.name}"` }, (progress) =>
        runDoctor(profile, secret, { logger: services.log, onStep: (s) => progress.report({ message: `${s.title}: ${s.status}` }) }),
      );
      const failed = report.steps.find((s) => s.status === 'fail');
      const text = failed ? `"${chosen.name}": ${failed.title} failed. ${failed.diagnosis ?? ''}` : `"${chosen.name}": every step passed (${report.steps.filter((s) => s.status === 'pass').length} steps).`;
      void (failed ? vscode.window.showErrorMessage : vscode.window.showInformationMessage)(text, 'Show Log').then((c) => c && services.log.show());
      return report;
    }),
  ];
}

function fieldError(profile: Partial<SmtpProfile>, field: string): string | undefined {
  return validateProfile({ name: 'x', host: 'example.com', port: 587, security: 'starttls', ...profile }).find((i) => i.field === field && i.severity === 'error')?.message;
}

async function askPassword(services: Services, name: string): Promise<void> {
  const password = await vscode.window.showInputBox({ title: `Password for "${name}"`, prompt: 'Stored in the secret store, never in settings', password: true, ignoreFocusOut: true });
  if (password) await services.profiles.setPassword(name, password);
}

async function pickUserProfile(services: Services, title: string): Promise<string | undefined> {
  const items = services.profiles.list().filter((p) => p.name !== LOCAL_INBOX_PROFILE_NAME).map((p) => ({ label: p.name, description: `${p.host}:${p.port}` }));
  if (!items.length) {
    void vscode.window.showInformationMessage('There are no profiles of your own yet: add one first.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.label;
}
