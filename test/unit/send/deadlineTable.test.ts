// Which profile deadline bounds each state of the SMTP dialogue, and which stage an outcome names for it
// (issue #16: every state next to its neighbours). The session's StageClock reads `deadlineCategory` to
// decide when a deadline starts afresh: a new stage, or every command of the per-command kind.
// The real effects (a server trickling bytes in each stage) are in deadlines.test.ts.
import * as assert from 'node:assert/strict';
import { deadlineCategory, stageOfState, type DialogueState } from '../../../src/core/send/deadlines';
import { DEADLINE_KEYS, type DeadlineKey } from '../../../src/core/profiles/profile';

const TABLE: [DialogueState, DeadlineKey, boolean, string][] = [
  // state, its deadline, one per command?, the stage an outcome names
  ['connect', 'greetingDeadlineMs', false, 'connect'],
  ['greeting', 'greetingDeadlineMs', false, 'greeting'],
  ['ehlo', 'setupDeadlineMs', false, 'greeting'],
  ['starttls', 'setupDeadlineMs', false, 'tls'],
  ['auth', 'authDeadlineMs', false, 'auth'],
  ['mail', 'commandDeadlineMs', true, 'mail'],
  ['rcpt', 'commandDeadlineMs', true, 'rcpt'],
  ['data', 'commandDeadlineMs', true, 'data'],
  ['transfer', 'dataDeadlineMs', false, 'data'],
  ['final-reply', 'finalReplyDeadlineMs', false, 'data'],
  ['rset', 'commandDeadlineMs', true, 'mail'],
  ['quit', 'commandDeadlineMs', true, 'mail'],
];

describe('stage deadlines: the table', () => {
  for (const [state, key, perCommand, stage] of TABLE) {
    it(`${state}: ${key}${perCommand ? ', each command its own' : ', one for the stage'}; outcome stage ${stage}`, () => {
      assert.deepEqual(deadlineCategory(state), { key, perCommand });
      assert.equal(stageOfState(state), stage);
    });
  }

  it('every deadline a profile can set bounds some state', () => {
    assert.deepEqual([...new Set(TABLE.map(([state]) => deadlineCategory(state).key))].sort(), [...DEADLINE_KEYS].sort());
  });

  it('connecting and the greeting share one deadline; EHLO and STARTTLS share the next (RFC 3207: EHLO again after TLS)', () => {
    // The clock starts a deadline afresh only when the category changes (or per command): neighbours in one
    // category must be equal, and those across a boundary different.
    assert.deepEqual(deadlineCategory('connect'), deadlineCategory('greeting'));
    assert.deepEqual(deadlineCategory('ehlo'), deadlineCategory('starttls'));
    assert.notDeepEqual(deadlineCategory('greeting'), deadlineCategory('ehlo'));
    assert.notDeepEqual(deadlineCategory('data'), deadlineCategory('transfer'));
    assert.notDeepEqual(deadlineCategory('transfer'), deadlineCategory('final-reply'));
  });
});
