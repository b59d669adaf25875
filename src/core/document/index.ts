// Documents: one analysis per version (scan, rules, composition, file checks), the final bytes from it, which
// files may travel, and the per-code severities a user sets.
export { analyzeDocument, prepareDocument, type AnalyzeOptions, type DocumentAnalysis, type PrepareDocumentResult } from './analyze';
export { inspectFile, readInspectedFile, type FileScope, type FileState } from './fileScope';
export { applyRuleLevels, mergeRuleLevels, parseRuleArgument, ruleLevelsFromObject, isRuleLevel, RULE_LEVELS, type RuleLevel, type RuleLevels } from './ruleLevels';
export { knownProblemCodes } from './catalog';
export { findProjectConfig, parseProjectConfig, PROJECT_CONFIG_NAMES, type ProjectConfig } from './projectConfig';
export { enclosingRepository, scopeRootFor } from './scopeRoot';
