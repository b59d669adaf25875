// The send use case (pipeline/sendDocument.ts), each guard next to its neighbour, against a real smtp-server on
// 127.0.0.1: a merge template and a document with errors are refused with their errors only (not the
// warnings beside them), bytes that cannot be built are refused the same way, a cancel before, during or
// after the confirmation sends nothing and asks for no credentials, the Date added is the context's `now`,
// and what comes back is the outcome, the bytes, the review and the journal entry of that one send.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../../src/core/document/analyze';
import { SentJournal } from '../../../src/core/journal/sentJournal';
import { MERGE_TEMPLATE } from '../../../src/core/merge/codes';
import { sendDocument, type SendDocumentContext } from '../../../src/core/pipeline/sendDocument';
import type { SmtpProfile } from '../../../src/core/profiles/profile';
import type { SendReview } from '../../../src/core/report/review';
import type { SecretProvider } from '../../../src/core/secrets/provider';
import { countWorkOf } from '../../../src/core/probe';
import { startSmtpServer, type RunningServer } from '../../support/smtpServers';
import { collectingLogger } from '../send/helpers';

const PLAIN = ['From: Ann <ann@example.com>', 'To: bob@example.org', 'Subject: Neighbours', '', 'Hello.', ''].join('\n');

describe('sendDocument: each guard next to its neighbour', function () {
  this.timeout(20_000);
  let dir: string;
  let server: RunningServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailsmith-senddoc-'));
    server = await startSmtpServer({ starttls: false });
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const profile = (): SmtpProfile => ({ name: 'neighbours', host: '127.0.0.1', port: server.port, security: 'none', timeouts: { connectMs: 3000, greetingMs: 3000, socketMs: 5000 } });
  /** A context that counts every question it is asked: the confirmation and the credentials. */
  const context = (over: Partial<SendDocumentContext> = {}) => {
    const asked = { confirm: 0, secrets: 0, reviews: [] as SendReview[] };
    const secrets: SecretProvider = { get: async () => (asked.secrets++, {}) };
    const ctx: SendDocumentContext = {
      logger: collectingLogger(),
      stateDir: join(dir, 'state'),
      face: 'test',
      secrets,
      confirm: async (review) => (asked.confirm++, asked.reviews.push(review), true),
      ...over,
    };
    return { ctx, asked };
  };
  const analyse = (text: string) => analyzeDocument(text, { baseDir: dir, scope: { root: dir, allowOutside: false } });
  const journal = () => new SentJournal(join(dir, 'state')).entries();
  const nothingHappened = () => {
    assert.equal(server.received.length, 0, 'nothing reached the server');
    assert.deepEqual(journal(), [], 'nothing recorded');
  };

  describe('refused: errors only, nothing asked, nothing contacted', () => {
    it('a merge template (Merge-Data in the header) is refused and pointed at the merge', async () => {
      const { ctx, asked } = context();
      const result = await sendDocument(await analyse(PLAIN.replace('Subject:', 'Merge-Data: people.csv\nSubject:')), profile(), 'x', ctx);
      assert.equal(result.status, 'refused');
      assert.deepEqual(result.status === 'refused' && result.problems.map((p) => p.code), [MERGE_TEMPLATE]);
      assert.deepEqual(asked, { confirm: 0, secrets: 0, reviews: [] });
      nothingHappened();
    });

    it('a document with errors: the errors, not the warnings beside them', async () => {
      const text = PLAIN.replace('bob@example.org', 'bob@@example.org').replace('Subject: Neighbours\n', '');
      const analysis = await analyse(text);
      assert.ok(analysis.problems.some((p) => p.severity === 'warning'), 'the document also has a warning');
      const { ctx, asked } = context();
      const result = await sendDocument(analysis, profile(), 'x', ctx);
      assert.equal(result.status, 'refused');
      const problems = result.status === 'refused' ? result.problems : [];
      assert.ok(problems.some((p) => p.code === 'address-syntax'));
      assert.deepEqual(problems.filter((p) => p.severity !== 'error'), []);
      assert.deepEqual(asked, { confirm: 0, secrets: 0, reviews: [] });
      nothingHappened();
    });

    it('bytes that cannot be built (an attachment gone since the check): refused with the errors only', async () => {
      writeFileSync(join(dir, 'report.txt'), 'Figures.\n');
      const analysis = await analyse(PLAIN.replace('Subject: Neighbours\n', 'Attach: report.txt\n'));
      assert.equal(analysis.sendable, true, JSON.stringify(analysis.problems));
      assert.ok(analysis.problems.some((p) => p.severity === 'warning'), 'no Subject: a warning');
      rmSync(join(dir, 'report.txt'));
      const { ctx, asked } = context();
      const result = await sendDocument(analysis, profile(), 'x', ctx);
      assert.equal(result.status, 'refused', JSON.stringify(result));
      const problems = result.status === 'refused' ? result.problems : [];
      assert.ok(problems.length > 0);
      assert.deepEqual(problems.filter((p) => p.severity !== 'error'), []);
      assert.deepEqual(asked, { confirm: 0, secrets: 0, reviews: [] });
      nothingHappened();
    });
  });

  describe('cancelled: before, during and after the confirmation', () => {
    it('cancelled before it is shown: not even asked', async () => {
      const controller = new AbortController();
      controller.abort();
      const { ctx, asked } = context({ signal: controller.signal });
      const result = await sendDocument(await analyse(PLAIN), profile(), 'x', ctx);
      assert.equal(result.status, 'cancelled');
      assert.equal(asked.confirm, 0, 'no confirmation shown');
      assert.equal(asked.secrets, 0, 'no credentials asked');
      nothingHappened();
    });

    it('cancelled while the confirmation is open, then confirmed: no credentials asked, nothing sent', async () => {
      const controller = new AbortController();
      const { ctx, asked } = context({ signal: controller.signal, confirm: async () => (asked.confirm++, controller.abort(), true) });
      const result = await sendDocument(await analyse(PLAIN), profile(), 'x', ctx);
      assert.equal(result.status, 'cancelled');
      assert.equal(result.status === 'cancelled' && result.review?.recipients.join(), 'bob@example.org');
      assert.equal(asked.confirm, 1);
      assert.equal(asked.secrets, 0, 'no credentials asked after the cancel');
      nothingHappened();
    });

    it('cancelled while the credentials are fetched: cancelled with its review, nothing sent or recorded', async () => {
      const controller = new AbortController();
      const { ctx } = context({ signal: controller.signal, secrets: { get: async () => (controller.abort(), {}) } });
      const result = await sendDocument(await analyse(PLAIN), profile(), 'x', ctx);
      assert.equal(result.status, 'cancelled');
      assert.equal(result.status === 'cancelled' && result.review?.recipients.join(), 'bob@example.org');
      nothingHappened();
    });

    it('declined: cancelled with the review that was shown, no credentials asked', async () => {
      const { ctx, asked } = context({ confirm: async (review) => (asked.confirm++, asked.reviews.push(review), false) });
      const result = await sendDocument(await analyse(PLAIN), profile(), 'x', ctx);
      assert.equal(result.status, 'cancelled');
      assert.equal(result.status === 'cancelled' && result.review, asked.reviews[0]);
      assert.equal(asked.secrets, 0);
      nothingHappened();
    });
  });

  describe('sent', () => {
    it('the Date added is the context\u2019s now; the result is that send\u2019s outcome, bytes, review and journal entry', async () => {
      const now = new Date('2026-01-02T03:04:05Z');
      const { ctx, asked } = context({ now });
      const { result, counts } = await countWorkOf(async () => sendDocument(await analyse(PLAIN), profile(), '/docs/n.eml', ctx));
      assert.equal(counts.sendDocument, 1, 'counted as one run of the send use case');
      assert.equal(result.status, 'sent', JSON.stringify(result));
      if (result.status !== 'sent') return;
      const date = /^Date: (.*)$/m.exec(server.received[0].raw.toString('latin1'))?.[1];
      assert.equal(new Date(date ?? '').getTime(), now.getTime(), `Date: ${date}`);
      assert.ok(server.received[0].raw.equals(result.message.raw));
      assert.equal(result.outcome.status, 'sent');
      assert.equal(result.outcome.messageId, result.message.messageId);
      assert.equal(result.review, asked.reviews[0]);
      assert.equal(asked.secrets, 1);
      const [entry] = journal();
      assert.deepEqual(result.entry, entry);
      assert.equal(entry.source, '/docs/n.eml');
      assert.ok(!('captured' in result), 'no capture file for a real server');
    });

    it('a failed send comes back as failed, with its outcome and its journal entry', async () => {
      await server.close();
      server = await startSmtpServer({ starttls: false, rcpt: () => ({ code: 550, message: '5.1.1 no such user' }) });
      const { ctx } = context();
      const result = await sendDocument(await analyse(PLAIN), profile(), 'x', ctx);
      assert.equal(result.status, 'failed');
      if (result.status !== 'failed') return;
      assert.equal(result.outcome.status === 'failed' && result.outcome.stage, 'rcpt');
      assert.deepEqual(journal().map((e) => [e.id, e.status]), [[result.entry.id, 'failed']]);
      assert.equal(server.received.length, 0);
    });
  });
});
