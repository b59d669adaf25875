// Wires the profile settings panel to the extension: the command, the panel serializer (so a panel open
// across a window reload comes back with its unsaved changes), and the real core behind the panel.
import * as vscode from 'vscode';
import { LOCAL_INBOX_PROFILE_NAME, PRESETS } from '../../core/profiles/presets';
import type { SmtpProfile } from '../../core/profiles/profile';
import type { Logger } from '../../core/types';
import type { DoctorStepView, PresetView } from '../../webview/profiles/protocol';
import { ProfileSettingsPanel, type ProfileSettingsDeps } from './panel';

/** What the panel needs of the extension's ProfileStore (src/vscode/profiles/profileStore.ts), by shape. */
export type ProfileStoreApi = ProfileSettingsDeps['store'];

export const OPEN_PROFILE_SETTINGS_COMMAND = 'mailsmith.openProfileSettings';

export interface ProfileSettingsLog {
  /** Where the connection test writes the redacted SMTP dialogue. */
  logger: Logger;
  /** Reveals the log channel. */
  show(): void;
}

/**
 * @param builtInProfile starts the local capture inbox if needed and gives its live profile (its port may
 *   differ from the preferred one).
 */
export function registerProfileSettings(
  context: vscode.ExtensionContext,
  store: ProfileStoreApi,
  log: ProfileSettingsLog,
  builtInProfile: () => Promise<SmtpProfile>,
): void {
  const deps = profileSettingsDeps(store, log, builtInProfile);
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_PROFILE_SETTINGS_COMMAND, (name?: unknown) =>
      ProfileSettingsPanel.show(context.extensionUri, deps, typeof name === 'string' ? name : undefined),
    ),
    vscode.window.registerWebviewPanelSerializer(ProfileSettingsPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        ProfileSettingsPanel.revive(panel, context.extensionUri, deps);
      },
    }),
    { dispose: () => ProfileSettingsPanel.open?.dispose() },
  );
}

export function profileSettingsDeps(store: ProfileStoreApi, log: ProfileSettingsLog, builtInProfile: () => Promise<SmtpProfile>): ProfileSettingsDeps {
  return {
    store,
    builtInProfile,
    presets: PRESETS.map(
      (p): PresetView => ({
        id: p.id,
        label: p.label,
        host: p.host,
        port: p.port,
        security: p.security,
        ...(p.user ? { user: p.user } : {}),
        ...(p.note ? { note: p.note } : {}),
      }),
    ),
    builtInName: LOCAL_INBOX_PROFILE_NAME,
    runDoctor: async (profile, secret, onStep) => {
      const steps: DoctorStepView[] = [];
      // Loaded on first use, like every sending part: not needed to activate.
      const { runDoctor } = await import('../../core/send/doctor.js');
      const report = await runDoctor(profile, secret, {
        logger: log.logger,
        onStep: (step) => {
          const view: DoctorStepView = {
            id: step.id,
            status: step.status,
            title: step.title,
            ...(step.detail ? { detail: step.detail } : {}),
            ...(step.diagnosis ? { diagnosis: step.diagnosis } : {}),
          };
          steps.push(view);
          onStep(view);
        },
      });
      const failed = steps.find((s) => s.status === 'fail');
      if (!report.ok || failed) return { ok: false, summary: failed ? `Failed at ${failed.title}${failed.diagnosis ? `: ${failed.diagnosis}` : '.'}` : 'Failed.' };
      const warnings = steps.filter((s) => s.status === 'warn').length;
      const passed = steps.filter((s) => s.status === 'pass').length;
      return { ok: true, summary: `Connection OK: ${passed} steps passed${warnings ? `, ${warnings} with a warning` : ''}. Nothing was sent.` };
    },
    log: log.logger,
    showLog: () => log.show(),
  };
}
