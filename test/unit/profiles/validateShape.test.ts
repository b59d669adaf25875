// Profiles arrive from settings JSON, profile files and webview messages, so the core must turn any
// value into issues or a failed outcome, never an exception.
import * as assert from 'node:assert/strict';
import type { SmtpProfile } from '../../../src/core/profiles';
import { validateProfile } from '../../../src/core/profiles';
import { sendMessage } from '../../../src/core/send';
import { prepareFixture } from '../send/helpers';

const NOT_PROFILES: unknown[] = [null, undefined, 'smtp.example.com', 587, [], [{ name: 'x' }], true];

describe('profiles: values that are not profiles', () => {
  it('validateProfile gives one error instead of throwing', () => {
    for (const value of NOT_PROFILES) {
      const issues = validateProfile(value as Partial<SmtpProfile>);
      assert.equal(issues.length, 1, JSON.stringify(value));
      assert.equal(issues[0].severity, 'error');
    }
  });

  it('sendMessage reports a config failure instead of rejecting', async () => {
    const { message } = prepareFixture();
    for (const value of NOT_PROFILES) {
      const outcome = await sendMessage(message, value as SmtpProfile, {}, {});
      assert.equal(outcome.status, 'failed', JSON.stringify(value));
      if (outcome.status === 'failed') assert.equal(outcome.stage, 'config');
    }
  });

  it('nested fields of the wrong shape are issues too', () => {
    const good = { name: 'a', host: 'smtp.example.com', port: 587, security: 'starttls' };
    for (const extra of [{ defaults: null }, { timeouts: null }, { timeouts: 'fast' }, { auth: 7 }, { maxPerHour: '10' }]) {
      assert.doesNotThrow(() => validateProfile({ ...good, ...extra } as never), JSON.stringify(extra));
    }
  });
});
