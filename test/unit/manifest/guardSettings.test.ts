// The settings that guard what leaves the machine must be ones a repository cannot set. Two guards hold this:
// the manifest's scope (VS Code ignores a workspace value of an application- or machine-scoped setting) and
// the extension reading only the user's value (src/vscode/settings.ts, profileStore). A workspace that sets
// them is tested in the real VS Code (test/ui/untrusted.ui.ts); this pins the first guard, so neither can be
// dropped silently (the mutation script for the Send command, scripts/mutation/vscode-send.mjs, shows that
// with one guard gone the other still holds, so only this test notices a changed scope).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } | { properties: Record<string, { scope?: string }> }[] };
};
const configurations = [manifest.contributes.configuration].flat();
const scopeOf = (key: string) => configurations.find((c) => key in c.properties)?.properties[key]?.scope;

describe('settings a repository must not set', () => {
  for (const key of ['mailsmith.confirmBeforeSend', 'mailsmith.attachments.allowOutside', 'mailsmith.profiles']) {
    it(`${key} is application- or machine-scoped`, () => {
      assert.ok(['application', 'machine'].includes(scopeOf(key) ?? ''), `${key} has scope ${scopeOf(key)}`);
    });
  }
});
