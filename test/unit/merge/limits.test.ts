// Limits a merge keeps: the presets providers document, rates as people write them, and the counts in the
// shared state folder that a cap is held to across runs and processes.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { effectiveLimits, parseRate, providerLimitsFor } from '../../../src/core/merge';
import { SendLimiter } from '../../../src/core/merge/limits';
import { mergeDir, type MergeDir } from './helpers';

describe('merge: limits', () => {
  let d: MergeDir;
  beforeEach(() => (d = mergeDir()));
  afterEach(() => d.remove());

  it('knows the documented limits of Exchange Online and Gmail, and lets the user override the rate', () => {
    const exchange = effectiveLimits({ name: 'work', host: 'smtp.office365.com', port: 587, security: 'starttls' }, {});
    assert.equal(exchange.perMinute, 30);
    assert.equal(exchange.recipientsPerDay, 10_000);
    assert.equal(exchange.perHour, 1000, 'the profile\u2019s default hourly limit');
    assert.equal(providerLimitsFor({ host: 'SMTP.GMAIL.COM' })?.messagesPerDay, 500);
    assert.equal(effectiveLimits({ name: 'g', host: 'smtp.gmail.com', port: 587, security: 'starttls', maxPerHour: 50 }, { perMinute: 10, messagesPerDay: 2000 }).messagesPerDay, 2000);
    assert.equal(effectiveLimits({ name: 'relay', host: 'relay.example.com', port: 25, security: 'none' }, {}).perMinute, undefined);
  });

  it('reads rates as people write them', () => {
    assert.equal(parseRate('30/min'), 30);
    assert.equal(parseRate('2/s'), 120);
    assert.equal(parseRate('600 / h'), 10);
    assert.equal(parseRate('1440/day'), 1);
    assert.equal(parseRate('fast'), undefined);
    assert.equal(parseRate('0/min'), undefined);
  });

  it('holds a recipients-a-day cap across limiters (runs) through the state folder, counting only what may have left', () => {
    let now = Date.UTC(2026, 10, 23, 12);
    const limits = { perHour: 1000, recipientsPerDay: 5 };
    const first = new SendLimiter(limits, join(d.dir, 'state'), 'work', () => now);
    assert.equal(first.permit(2).ok, true);
    first.settle(2, true);
    assert.equal(first.permit(2).ok, true);
    first.settle(2, false); // failed: nothing left
    assert.equal(first.permit(3).ok, true);
    first.settle(3, true);
    const second = new SendLimiter(limits, join(d.dir, 'state'), 'work', () => now);
    const refused = second.permit(1);
    assert.ok(!refused.ok && 'stop' in refused && /daily cap of 5 recipients/.test(refused.stop));
    now += 24 * 60 * 60 * 1000;
    assert.equal(new SendLimiter(limits, join(d.dir, 'state'), 'work', () => now).permit(5).ok, true, 'a day later the window is empty');
  });

  it('spaces messages at the rate, and asks to wait at the hourly limit', () => {
    let now = 1_000_000;
    const limiter = new SendLimiter({ perMinute: 60, perHour: 2 }, join(d.dir, 'state'), 'p', () => now);
    assert.equal(limiter.permit(1).ok, true);
    const soon = limiter.permit(1);
    assert.ok(!soon.ok && 'wait' in soon && soon.wait === 1000 && /rate of 60 a minute/.test(soon.why));
    now += 1000;
    limiter.settle(1, true);
    assert.equal(limiter.permit(1).ok, true);
    limiter.settle(1, true);
    now += 1000;
    const hourly = limiter.permit(1);
    assert.ok(!hourly.ok && 'wait' in hourly && /hourly limit of 2/.test(hourly.why) && hourly.wait > 59 * 60 * 1000);
  });
});
