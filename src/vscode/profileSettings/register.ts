// Wires the profile settings panel to the extension: the command, the panel serializer (so a panel open
// across a window reload comes back with its unsaved changes), and the real core behind the panel.
import * as vscode from 'vscode';
import { BUILT_IN_INBOX_PROFILE } from '../../core/profiles/builtIn';
import { PRESETS } from '../../core/profiles/presets';
import { OAUTH_PRESETS } from '../../core/secrets/oauth/presets';
import type { SmtpProfile } from '../../core/profiles/profile';
import { doctorSummary } from '../../core/report/doctor';
import type { Logger } from '../../core/types';
import type { DoctorStepView, PresetView } from '../../webview/profiles/protocol';
import type { ProfileSettingsDeps } from './panel';

/** The panel, its importers and the YAML export load when the panel is first opened, not at activation. */
const loadPanel = async () => (await import('./panel.js')).ProfileSettingsPanel;
const VIEW_TYPE = 'mailsmith.profileSettings';

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
    vscode.commands.registerCommand(OPEN_PROFILE_SETTINGS_COMMAND, async (name?: unknown) =>
      (await loadPanel()).show(context.extensionUri, deps, typeof name === 'string' ? name : undefined),
    ),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        (await loadPanel()).revive(panel, context.extensionUri, deps);
      },
    }),
    { dispose: () => void loadPanel().then((panel) => panel.open?.dispose()) },
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
    oauthNotes: Object.fromEntries(Object.values(OAUTH_PRESETS).map((p) => [p.id, p.clientNote])),
    runCommand: async <T>(command: string, ...args: unknown[]) => (await vscode.commands.executeCommand(command, ...args)) as T,
    builtInName: BUILT_IN_INBOX_PROFILE.name,
    runDoctor: async (profile, secret, onStep) => {
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
          onStep(view);
        },
      });
      return { ok: report.ok, summary: doctorSummary(report) };
    },
    log: log.logger,
    showLog: () => log.show(),
  };
}
