// Helpers for suites that run inside the extension host (test/integration/**/*.test.ts).
export { waitFor, type WaitOptions } from './waitFor';
export { EXTENSION_ID, activateMailsmith, closeAllEditors, mailsmithApi, openWorkspaceFile, workspaceDir, workspaceUri } from './workspace';
export { diagnosticCodes, waitForDiagnostics } from './diagnostics';
export { startTestSmtpServer, type ReceivedMessage, type TestSmtpServer, type TestSmtpServerOptions } from './smtpServer';
