// Profiles: the model, validation, provider presets and `${env:NAME}` expansion. Importers live in ./import.
export * from './profile';
export { validateProfile, type ProfileIssue } from './validate';
export { PRESETS, LOCAL_INBOX_PROFILE_NAME, LOCAL_INBOX_DEFAULT_PORT, findPreset, type ProviderPreset } from './presets';
export { expandEnv, expandProfileEnv, type ExpandResult } from './envExpand';
export { profileFromObject, type ProfileParse } from './fromObject';
