// The doctor is run on drafts and hand-written profile files: an unusable profile is its first finding,
// never an exception (net.connect throws on a port out of range).
import * as assert from 'node:assert/strict';
import type { SmtpProfile } from '../../../src/core/profiles';
import { runDoctor, type DoctorStep } from '../../../src/core/send';

describe('connection doctor: unusable profiles', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a port out of range', { name: 'p', host: '127.0.0.1', port: 70000, security: 'none' }, /port/i],
    ['a port that is not a number', { name: 'p', host: '127.0.0.1', port: 'x', security: 'none' }, /port/i],
    ['an unset ${env:NAME}', { name: 'p', host: '${env:MAILSMITH_TEST_UNSET_HOST}', port: 25, security: 'none' }, /MAILSMITH_TEST_UNSET_HOST/],
    ['no profile at all', null, /no usable profile/i],
  ];
  for (const [what, profile, diagnosis] of cases) {
    it(`${what}: the first step fails with the reason, the rest are skipped, nothing is contacted`, async () => {
      const live: DoctorStep[] = [];
      const report = await runDoctor(profile as SmtpProfile, {}, { env: {}, onStep: (s) => live.push(s) });
      assert.equal(report.ok, false);
      assert.deepEqual(report.steps.map((s) => s.id), ['dns', 'tcp', 'banner', 'ehlo', 'tls', 'auth', 'noop', 'quit']);
      assert.equal(report.steps[0].status, 'fail');
      assert.match(report.steps[0].diagnosis ?? '', diagnosis);
      assert.ok(report.steps.slice(1).every((s) => s.status === 'skip'));
      assert.equal(live.length, 8, 'every step is reported live too');
    });
  }
});
