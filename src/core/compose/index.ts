// The composer's public face: which documents need composing, composing them, their diagnostics and
// their final bytes.
export { needsComposition, isEmailMarkdownFile, hasFrontMatter, EMAIL_MARKDOWN_SUFFIX, ATTACH_FIELD } from './detect';
export { composeMessage } from './compose';
export { validateDocument, type ValidateDocumentOptions } from './validateDocument';
export { prepareDocument, type PrepareDocumentResult } from './prepareDocument';
export { readComposeSource, isFrontMatterDocument } from './source';
export { renderMarkdown, parseMarkdown, isLocalReference } from './markdown';
export { composeRules, DEFAULT_MAX_ATTACHMENT_BYTES, base64Size, formatBytes } from './rules';
export type { ComposeRule, ComposeRuleContext } from './rules';
export * as composeCodes from './codes';
export * from './codes';
export type * from './types';
