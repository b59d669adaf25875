// The composer's public face: which documents need composing, reading them, their file checks and the MIME
// build. Analysis and final bytes of any document: ../document/analyze.ts.
export { needsComposition, isEmailMarkdownFile, hasFrontMatter, EMAIL_MARKDOWN_SUFFIX, ATTACH_FIELD } from './detect';
export { composeMessage, type ComposeInput } from './compose';
export { readComposeSource, isFrontMatterDocument } from './source';
export { renderMarkdown, parseMarkdown, isLocalReference } from './markdown';
export { composeRules, DEFAULT_MAX_ATTACHMENT_BYTES, base64Size, formatBytes } from './rules';
export type { ComposeRule, ComposeRuleContext } from './rules';
export * as composeCodes from './codes';
export * from './codes';
export type * from './types';
