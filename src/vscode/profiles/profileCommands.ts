// Profile commands through quick picks and input boxes: add, edit, remove, set password, test connection.
// (The settings webview offers the same as a form.)
import * as vscode from 'vscode';
import { PRESETS } from '../../core/profiles/presets';
import { isCaptureInbox, USUAL_PORTS, type SecurityMode, type SmtpProfile } from '../../core/profiles/profile';
import { SECURITY_CHOICES } from '../../core/profiles/schema';
import { validateProfile } from '../../core/profiles/validate';
import { doctorSummary } from '../../core/report/doctor';
import type { Services } from '../services';

export function registerProfileCommands(services: Services): vscode.Disposable[] {
  const { profiles } = services;
  return [
    vscode.commands.registerCommand('mailsmith.addProfile', async () => {
      const preset = await vscode.window.showQuickPick(
        [{ label: 'Custom server', id: '' }, ...PRESETS.filter((p) => p.id !== 'local-inbox').map((p) => ({ label: p.label, description: `${p.host}:${p.port}`, detail: p.note, id: p.id }))],
        { title: 'Add SMTP profile (1/6): provider', placeHolder: 'A preset fills host, port and security' },
      );
      if (!preset) return undefined;
      const base = PRESETS.find((p) => p.id === preset.id);
      const seed: Partial<SmtpProfile> = base ? { name: base.label, host: base.host, port: base.port, security: base.security, user: base.user } : {};
      const profile = await askProfile(services, 'Add SMTP profile', seed);
      if (!profile) return undefined;
      await profiles.save(profile);
      if (profile.user) await askPassword(services, profile.name);
      await profiles.setActive(profile.name);
      return profile.name;
    }),
    // `changes` skips the input boxes, for the extension's own tests only: a command link must not be able to
    // point a profile (and its password) at another server.
    vscode.commands.registerCommand('mailsmith.editProfile', async (name?: string, given?: Partial<SmtpProfile>) => {
      const changes = services.testMode ? given : undefined;
      const target = typeof name === 'string' ? name : await pickUserProfile(services, 'Edit which profile?');
      const existing = target ? profiles.get(target) : undefined;
      if (!existing || isCaptureInbox(existing)) return undefined;
      const profile = changes ? checked({ ...existing, ...changes }) : await askProfile(services, `Edit "${existing.name}"`, existing);
      if (!profile) return undefined;
      if (profile.name !== existing.name && profiles.get(profile.name)) {
        void vscode.window.showErrorMessage(`Profile not saved: a profile named "${profile.name}" exists.`);
        return undefined;
      }
      // Fields the steps do not ask about (defaults, CA file, limits...) are kept; a rename moves the password.
      await profiles.save({ ...existing, ...profile, ...(profile.user ? {} : { user: undefined }) }, existing.name);
      if (!changes && profile.user && !(await profiles.hasPassword(profile.name))) await askPassword(services, profile.name);
      return profile.name;
    }),
    vscode.commands.registerCommand('mailsmith.removeProfile', async (name?: string) => {
      const target = name ?? (await pickUserProfile(services, 'Remove which profile?'));
      if (!target || isCaptureInbox(profiles.get(target))) return false;
      // Asked every time, except in the extension's own tests.
      if (!services.testMode) {
        const ok = await vscode.window.showWarningMessage(`Remove profile "${target}" and its stored password?`, { modal: true }, 'Remove');
        if (ok !== 'Remove') return false;
      }
      await profiles.remove(target);
      return true;
    }),
    vscode.commands.registerCommand('mailsmith.setPassword', async (name?: string, password?: string) => {
      const target = name ?? (await pickUserProfile(services, 'Set the password of which profile?'));
      if (!target) return false;
      // A password as an argument: the extension's own tests only (a person types it in the hidden box).
      if (typeof password === 'string' && services.testMode) await profiles.setPassword(target, password || undefined);
      else await askPassword(services, target);
      return profiles.hasPassword(target);
    }),
    vscode.commands.registerCommand('mailsmith.testConnection', async (name?: string) => {
      const chosen = (typeof name === 'string' && profiles.get(name)) || profiles.active();
      const profile = isCaptureInbox(chosen) ? (await services.inbox.ensure()).profile : chosen;
      const secret = await profiles.secretsFor(chosen).get();
      const { runDoctor } = await import('../../core/send/doctor.js');
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${chosen.name}"` }, (progress) =>
        runDoctor(profile, secret, { logger: services.log, onStep: (s) => progress.report({ message: `${s.title}: ${s.status}` }) }),
      );
      const text = `"${chosen.name}": ${doctorSummary(report)}`;
      void (report.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage)(text, 'Show Log').then((c) => c && services.log.show());
      return report;
    }),
  ];
}

/** Asks name, host, security, port and user in turn, each pre-filled from `seed`; undefined if cancelled or invalid. */
async function askProfile(services: Services, title: string, seed: Partial<SmtpProfile>): Promise<SmtpProfile | undefined> {
  const { profiles } = services;
  const name = await vscode.window.showInputBox({
    title: `${title} (2/6): name`,
    value: seed.name ?? '',
    validateInput: (v) =>
      !v.trim() ? 'Give the profile a name' : v.trim() !== seed.name && profiles.get(v.trim()) ? 'A profile with this name exists' : undefined,
  });
  if (!name) return undefined;
  const host = await vscode.window.showInputBox({ title: `${title} (3/6): host`, value: seed.host ?? '', placeHolder: 'smtp.example.com', validateInput: (v) => fieldError({ host: v.trim() }, 'host') });
  if (!host) return undefined;
  const security = (
    await vscode.window.showQuickPick(
      SECURITY_CHOICES.map((s) => ({ label: s.label, description: `usually port ${s.port}`, id: s.id, picked: s.id === seed.security })).sort((a, b) => Number(b.picked) - Number(a.picked)),
      { title: `${title} (4/6): security` },
    )
  )?.id as SecurityMode | undefined;
  if (!security) return undefined;
  const portText = await vscode.window.showInputBox({
    title: `${title} (5/6): port`,
    value: String(seed.security === security && seed.port ? seed.port : USUAL_PORTS[security]),
    validateInput: (v) => fieldError({ port: Number(v) }, 'port'),
  });
  if (!portText) return undefined;
  const user = await vscode.window.showInputBox({ title: `${title} (6/6): user (empty for no AUTH)`, value: seed.user ?? '' });
  if (user === undefined) return undefined;
  return checked({ name: name.trim(), host: host.trim(), port: Number(portText), security, ...(user ? { user } : {}) });
}

/** The profile if the core finds no error in it; otherwise says why and returns undefined. */
function checked(profile: SmtpProfile): SmtpProfile | undefined {
  const errors = validateProfile(profile).filter((i) => i.severity === 'error');
  if (errors.length) {
    void vscode.window.showErrorMessage(`Profile not saved: ${errors.map((e) => e.message).join(' ')}`);
    return undefined;
  }
  return profile;
}

function fieldError(profile: Partial<SmtpProfile>, field: string): string | undefined {
  return validateProfile({ name: 'x', host: 'example.com', port: 587, security: 'starttls', ...profile }).find((i) => i.field === field && i.severity === 'error')?.message;
}

async function askPassword(services: Services, name: string): Promise<void> {
  const password = await vscode.window.showInputBox({ title: `Password for "${name}"`, prompt: 'Stored in the secret store, never in settings', password: true, ignoreFocusOut: true });
  if (password) await services.profiles.setPassword(name, password);
}

async function pickUserProfile(services: Services, title: string): Promise<string | undefined> {
  const items = services.profiles.list().filter((p) => !isCaptureInbox(p)).map((p) => ({ label: p.name, description: `${p.host}:${p.port}` }));
  if (!items.length) {
    void vscode.window.showInformationMessage('There are no profiles of your own yet: add one first.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.label;
}
