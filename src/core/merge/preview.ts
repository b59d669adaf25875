// One row's message as it would leave: its envelope, the files it carries and its exact bytes (the Date
// is the time of the preview; everything else is what a send of that row transmits).
import { buildReview, type SendReview } from '../report/review';
import type { SmtpProfile } from '../profiles/profile';
import type { OpenedMerge } from './open';
import { checkRow, type CheckedRow } from './rowCheck';

export interface RowPreview extends CheckedRow {
  review?: SendReview;
}

/** The row numbered `number` (1-based), or undefined when the data has fewer rows. */
export async function previewRow(merge: OpenedMerge, number: number, profile: SmtpProfile, now?: Date): Promise<RowPreview | undefined> {
  if (!merge.data) return undefined;
  for await (const item of merge.data.rows()) {
    if (item.row.number !== number) continue;
    const checked = await checkRow(merge.template, item.row, { analyze: merge.setup.analyze, defaultFrom: merge.setup.defaultFrom, now });
    const problems = [...item.problems, ...checked.problems];
    return { ...checked, problems, ...(checked.message ? { review: buildReview(checked.message, checked.files ?? [], profile) } : {}) };
  }
  return undefined;
}
