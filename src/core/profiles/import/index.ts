// Importers for SMTP settings written for other tools, and export of a profile as a YAML profile file.
export { importCurl } from './curl';
export { importDaprComponent, importDaprText } from './dapr';
export { IMPORT_FORMATS, detectImportFormat, importProfile } from './detect';
export { exportProfileYaml, profileToFileObject } from './exportYaml';
export { importGitConfig, importGitText, parseGitConfigFile } from './git';
export { importSesamConfig, importSesamText } from './sesam';
export type { ImportFormat, ImportOptions, ImportResult, ImportedSecret } from './types';
