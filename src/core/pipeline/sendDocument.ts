// The send use case, once for every face: a document's analysis (with the profile's defaults) is refused while
// it has errors, otherwise its exact bytes are built, everything that will leave is shown to the person through
// the face's `confirm`, and only then is it delivered and recorded. A face adds its confirmation, its progress
// and where its secrets come from; nothing else.
import type { DocumentAnalysis } from '../document/analyze';
import type { JournalEntry } from '../journal/sentJournal';
import { mergeTemplateProblem } from '../merge/detect';
import type { PreparedMessage } from '../message/types';
import type { SmtpProfile } from '../profiles/profile';
import { buildReview, type SendReview } from '../report/review';
import type { SendOutcome } from '../send/types';
import { countWork } from '../probe';
import type { Problem } from '../types';
import { deliver, type DeliveryContext } from './deliver';

export interface SendDocumentContext extends DeliveryContext {
  /** Shows the review and asks; false cancels (nothing is sent). */
  confirm(review: SendReview): Promise<boolean>;
  /** The Date to add when the document has none (default: now). */
  now?: Date;
}

export type SendDocumentResult =
  /** The document has errors (or its bytes could not be built): nothing was sent. */
  | { status: 'refused'; problems: Problem[] }
  /** The person declined (or the send was cancelled before anything left). */
  | { status: 'cancelled'; review?: SendReview }
  /** No outcome could be reached: credentials missing, the capture inbox did not start. Nothing was sent. */
  | { status: 'error'; reason: string; review: SendReview }
  | { status: SendOutcome['status']; outcome: SendOutcome; message: PreparedMessage; review: SendReview; entry: JournalEntry; captured?: string };

/**
 * @param analysis the document's analysis made with `profile.defaults` (the same one the editor shows)
 * @param source the document's path or URI, for the journal
 */
export async function sendDocument(analysis: DocumentAnalysis, profile: SmtpProfile, source: string, context: SendDocumentContext): Promise<SendDocumentResult> {
  countWork('sendDocument');
  const template = mergeTemplateProblem(analysis.scanned.text);
  if (template) return { status: 'refused', problems: [template] };
  if (!analysis.sendable) return { status: 'refused', problems: analysis.problems.filter((p) => p.severity === 'error') };
  const prepared = await analysis.prepare(context.now);
  if (!prepared.ok) return { status: 'refused', problems: prepared.problems.filter((p) => p.severity === 'error') };
  const review = buildReview(prepared.message, analysis.files, profile);
  if (context.signal?.aborted || !(await context.confirm(review)) || context.signal?.aborted) return { status: 'cancelled', review };
  const result = await deliver([{ message: prepared.message, source }], profile, context);
  if (!result.ok) return { status: 'error', reason: result.reason, review };
  const done = result.delivered[0];
  if (!done) return { status: 'cancelled', review };
  return {
    status: done.outcome.status,
    outcome: done.outcome,
    message: prepared.message,
    review,
    entry: done.entry,
    ...(done.captured ? { captured: done.captured } : {}),
  };
}
