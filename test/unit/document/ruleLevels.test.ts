// Rule levels from the places a user sets them: a `.mailsmith.yaml` found upward, `--rule CODE=LEVEL`.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownProblemCodes } from '../../../src/core/document/catalog';
import { findProjectConfig } from '../../../src/core/document/projectConfig';
import { applyRuleLevels, mergeRuleLevels, parseRuleArgument } from '../../../src/core/document/ruleLevels';
import type { Problem } from '../../../src/core/types';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const problem = (code: string, severity: Problem['severity']): Problem => ({ code, severity, message: code, range: at });

describe('rule levels', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-rules-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('knows every code the rules report, and only those', () => {
    const codes = knownProblemCodes();
    for (const code of ['missing-from', 'address-syntax', 'line-over-78', 'attachment-outside', 'attachment-not-regular', 'front-matter-invalid', 'envelope-bad-address']) assert.ok(codes.has(code), code);
    assert.ok(!codes.has('no-such-code'));
  });

  it('applies levels to the problems and never lowers an error', () => {
    const problems = [problem('missing-subject', 'warning'), problem('bare-lf', 'info'), problem('missing-from', 'error')];
    const out = applyRuleLevels(problems, { 'missing-subject': 'error', 'bare-lf': 'off', 'missing-from': 'off' });
    assert.deepEqual(out.map((p) => [p.code, p.severity]), [['missing-subject', 'error'], ['missing-from', 'error']]);
    assert.deepEqual(problems.map((p) => p.severity), ['warning', 'info', 'error'], 'the input is not changed');
  });

  it('reads --rule CODE=LEVEL and says what is wrong with a bad one', () => {
    assert.deepEqual(parseRuleArgument('line-over-78=off', knownProblemCodes()), { code: 'line-over-78', level: 'off' });
    assert.match(String(parseRuleArgument('line-over-78', knownProblemCodes())), /CODE=LEVEL/);
    assert.match(String(parseRuleArgument('nope=off', knownProblemCodes())), /unknown problem code "nope"/);
    assert.match(String(parseRuleArgument('line-over-78=loud', knownProblemCodes())), /not one of off, hint, info, warning, error/);
  });

  it('finds .mailsmith.yaml upward from the message, stops at the given root, and reports what it cannot use', async () => {
    mkdirSync(join(dir, 'repo', 'mail', 'drafts'), { recursive: true });
    writeFileSync(join(dir, '.mailsmith.yaml'), 'rules:\n  missing-subject: error\n');
    writeFileSync(join(dir, 'repo', '.mailsmith.yaml'), 'rules:\n  line-over-78: off\n  no-such-code: off\n  bare-lf: loud\nsend: { skipConfirm: true }\n');
    const found = await findProjectConfig(join(dir, 'repo', 'mail', 'drafts'), join(dir, 'repo'));
    assert.equal(found.file, join(dir, 'repo', '.mailsmith.yaml'));
    assert.deepEqual(found.rules, { 'line-over-78': 'off' });
    assert.equal(found.problems.length, 3, found.problems.join('\n'));
    assert.match(found.problems.join('\n'), /unknown key "send"/);
    const none = await findProjectConfig(join(dir, 'repo', 'mail'), join(dir, 'repo', 'mail'));
    assert.deepEqual(none, { rules: {}, problems: [] }, 'nothing above the root is read');
    assert.deepEqual(mergeRuleLevels({ a: 'off' }, { a: 'error', b: 'hint' }), { a: 'error', b: 'hint' });
  });
});
