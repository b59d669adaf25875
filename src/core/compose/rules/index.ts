// The composer's rules, in the order they run. validateDocument runs them after the message core's rules.
import { attachmentMissing } from './attachmentMissing';
import { attachmentSize } from './attachmentSize';
import type { ComposeRule } from './rule';

export const composeRules: readonly ComposeRule[] = [attachmentMissing, attachmentSize];

export { attachmentMissing, attachmentSize };
export { DEFAULT_MAX_ATTACHMENT_BYTES, base64Size, formatBytes } from './attachmentSize';
export type { ComposeRule, ComposeRuleContext } from './rule';
