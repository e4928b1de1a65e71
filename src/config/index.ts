export type { AppRole } from './app.config';
export { APP_ROLES } from './app.config';
export { ConfigError } from './parsers';
export type { Environment } from './load-config';
export { loadConfig } from './load-config';
export type { Settings } from './settings';
export { NAMESPACES } from './settings';
export { processEnvironment } from './process-env';
