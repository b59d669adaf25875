export { environmentSecrets, noSecrets, secretFor, SecretUnavailable, staticSecrets, type EnvironmentSecretOptions, type SecretProvider } from './provider';
