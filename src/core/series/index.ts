// Patch series: git format-patch output sent as one thread, the way git send-email does, with review first.
export { SERIES_CODES } from './codes';
export { formatPatch, rangeFolderName, type FormatPatchResult } from './formatPatch';
export { planSeries, previewSeries, type SeriesOptions, type SeriesPlan, type SendVariant } from './plan';
export { carriedOver, seriesShortfall, type CarriedOver, type GoneOutcome } from './resume';
export { buildSeriesReview, seriesReviewLines, type SeriesReview, type SeriesReviewRow } from './review';
export { sendSeries, type SendSeriesContext, type SendSeriesResult, type SeriesMessageResult } from './sendSeries';
export { SeriesState, type SeriesStateEntry } from './state';
export { SUPPRESS_CATEGORIES } from './recipients';
export type { ThreadMode } from './threading';
