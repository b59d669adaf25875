// Mail merge: one template and a table of recipients, checked whole before anything leaves, sent exactly
// once (a journal next to the data file), resumable, within the provider's limits, on the core's delivery
// path. The faces (CLI `mailsmith merge`, VS Code "Mail Merge...") add only how they ask and show progress.
export * as mergeCodes from './codes';
export { checkMerge, type CheckOptions, type MergeCheck } from './check';
export { journalPathFor, JournalBusy, MergeJournal, type RowState } from './journal';
export { describeLimits, effectiveLimits, parseRate, PROVIDER_LIMITS, providerLimitsFor, type MergeLimits, type ProviderLimits } from './limits';
export { openMerge, type MergeSetup, type OpenedMerge } from './open';
export { previewRow, type RowPreview } from './preview';
export { csvCell, reportLine, type ReportRow, type ReportStatus } from './report';
export { plannedSends, runMerge, type MergeProgress, type MergeRunContext, type MergeRunOptions, type MergeRunResult } from './run';
export type { DataRow, MergeProblem } from './types';
export { mergeConfirmation, mergeDestination, mergeNeedsAttention, mergeProgressText, mergeSummary, rowPreviewLines, type MergeConfirmation } from './wording';
