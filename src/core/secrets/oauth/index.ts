// OAuth 2.0 for SMTP: sign-in (browser with PKCE and a loopback redirect, or a device code), token renewal,
// provider presets, and the SecretProvider the send pipeline asks.
export { resolveOAuth, grantKey, type OAuthResolution, type ResolvedOAuth } from './config';
export { OAUTH_PRESETS, type OAuthProviderPreset } from './presets';
export { createPkce, pkceChallenge, randomState, type Pkce } from './pkce';
export { listenForRedirect, type LoopbackOptions, type LoopbackRedirect } from './loopback';
export { authorizationUrl, signInWithBrowser, type BrowserSignInOptions } from './browserFlow';
export { signInWithDeviceCode, type DeviceCodePrompt, type DeviceSignInOptions } from './deviceFlow';
export { accountFromIdToken, exchangeCode, OAuthError, refreshAccessToken, tokenRequest, type HttpOptions, type TokenSet } from './tokenEndpoint';
export { AccessTokenCache, oauthSecrets, renewalMargin, storeSignIn, type CachedToken, type OAuthSecretOptions } from './oauthSecrets';
