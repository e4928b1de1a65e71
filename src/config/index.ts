export { AppRole, APP_ROLES } from './app.config';
export { ConfigError } from './parsers';
export { Environment, loadConfig } from './load-config';
export { NAMESPACES, Settings } from './settings';
export { processEnvironment } from './process-env';
