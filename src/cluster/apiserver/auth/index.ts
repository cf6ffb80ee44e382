export { Authenticator, type AuthenticatorOptions } from './authenticator.js';
export { AllowAuthenticated, type Authorizer, type AuthorizationAttributes, type Decision, type ResourceRule, type NonResourceRule } from './authorizer.js';
export { ServiceAccountTokens, DEFAULT_ISSUER, type TokenClaims } from './service-account-tokens.js';
export { loadTokenFile, parseTokenFile } from './token-file.js';
