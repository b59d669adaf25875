export { environmentSecrets, noSecrets, secretFor, SecretUnavailable, staticSecrets, type EnvironmentSecretOptions, type SecretProvider } from './provider';
export { commandSecrets, runSecretCommand, type CommandField, type CommandOptions } from './command';
export { credentialSource, secretsForProfile, type CredentialSource, type SecretSources } from './select';
export { FileTokenStore, oauthStoreDir, type StoredGrant, type TokenStore } from './tokenStore';
