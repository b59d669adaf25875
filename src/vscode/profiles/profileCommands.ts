// Profile commands: add and edit (a multi-step quick input with Back: ./profileWizard.ts), remove, set password,
// test connection, and OAuth 2.0 sign-in (./signInCommands.ts). (The settings webview offers the same as a form.)
import * as vscode from 'vscode';
import { isCaptureInbox, type SmtpProfile } from '../../core/profiles/profile';
import { validateProfile } from '../../core/profiles/validate';
import { doctorSummary } from '../../core/report/doctor';
import type { Services } from '../services';
import { SecretUnavailable } from '../../core/secrets/provider';
import { profileWizard, type WizardResult } from './profileWizard';
import { registerSignInCommands } from './signInCommands';

export function registerProfileCommands(services: Services): vscode.Disposable[] {
  const { profiles } = services;
  return [
    vscode.commands.registerCommand('mailsmith.addProfile', async () => {
      const result = await profileWizard(undefined, (name) => Boolean(profiles.get(name)));
      return result ? finishWizard(services, result, undefined) : undefined;
    }),
    // `changes` skips the wizard, for the extension's own tests only: a command link must not be able to point a
    // profile (and its password) at another server.
    vscode.commands.registerCommand('mailsmith.editProfile', async (name?: string, given?: Partial<SmtpProfile>) => {
      const changes = services.testMode ? given : undefined;
      const target = typeof name === 'string' ? name : await pickUserProfile(services, 'Edit which profile?');
      const existing = target ? profiles.get(target) : undefined;
      if (!existing || isCaptureInbox(existing)) return undefined;
      if (changes) {
        const profile = checked({ ...existing, ...changes });
        if (!profile) return undefined;
        if (profile.name !== existing.name && profiles.get(profile.name)) {
          void vscode.window.showErrorMessage(`Profile not saved: a profile named "${profile.name}" exists.`);
          return undefined;
        }
        await profiles.save(profile, existing.name);
        return profile.name;
      }
      const result = await profileWizard(existing, (other) => other !== existing.name && Boolean(profiles.get(other)));
      return result ? finishWizard(services, result, existing.name) : undefined;
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
    ...registerSignInCommands(services),
    vscode.commands.registerCommand('mailsmith.testConnection', async (name?: string) => {
      const chosen = (typeof name === 'string' && profiles.get(name)) || profiles.active();
      const profile = isCaptureInbox(chosen) ? (await services.inbox.ensure()).profile : chosen;
      let secret;
      try {
        // The same credentials a send would use: a command's output, or an OAuth token renewed if due.
        secret = await profiles.secretsFor(chosen).get();
      } catch (err) {
        if (!(err instanceof SecretUnavailable)) throw err;
        const actions = chosen.oauth ? ['Sign In'] : [];
        void vscode.window.showErrorMessage(`"${chosen.name}" was not tested: ${err.message}`, ...actions).then((c) => c && vscode.commands.executeCommand('mailsmith.signIn', chosen.name));
        return undefined;
      }
      const { runDoctor } = await import('../../core/send/doctor.js');
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing "${chosen.name}"`, cancellable: true }, (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return runDoctor(profile, secret, { logger: services.log, signal: controller.signal, onStep: (s) => progress.report({ message: `${s.title}: ${s.status}` }) });
      });
      if (report.cancelled) return report;
      const text = `"${chosen.name}": ${doctorSummary(report)}`;
      void (report.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage)(text, 'Show Log').then((c) => c && services.log.show());
      return report;
    }),
  ];
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

/** Saves what the wizard gave, stores its password, makes the profile active and goes where the user chose. */
async function finishWizard(services: Services, result: WizardResult, previousName: string | undefined): Promise<string | undefined> {
  const profile = checked(result.profile);
  if (!profile) return undefined;
  await services.profiles.save(profile, previousName);
  if (result.password) await services.profiles.setPassword(profile.name, result.password);
  await services.profiles.setActive(profile.name);
  void vscode.window.showInformationMessage(`Saved the profile "${profile.name}"${result.password ? ' (password in the secret store)' : ''}; Mailsmith now sends with it.`);
  if (result.finish === 'save-and-test') await vscode.commands.executeCommand('mailsmith.testConnection', profile.name);
  if (result.finish === 'form') await vscode.commands.executeCommand('mailsmith.openProfileSettings', profile.name);
  return profile.name;
}
