import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDeliverySettings } from './delivery.config';
import { ConfigError } from './parsers';
import { NAMESPACES, Settings } from './settings';
import { checkTrackingProduction } from './tracking.config';

export type Environment = Record<string, string | undefined>;

/** config/ at the project root, from both src/config (ts) and dist/config (js). */
export const CONFIG_DIR = join(__dirname, '..', '..', 'config');

type FileValues = Record<string, Record<string, unknown> | undefined>;

function readConfigFile(path: string): FileValues {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as FileValues;
  } catch (error) {
    throw new ConfigError(`Invalid configuration file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Builds the typed settings from config/default.json, then config/<NODE_ENV>.json, then the given
 * environment (highest precedence). Throws a ConfigError naming the first bad variable.
 */
export function loadConfig(env: Environment, configDir = CONFIG_DIR): Settings {
  const nodeEnv = env.NODE_ENV || 'development';
  const files = [readConfigFile(join(configDir, 'default.json')), readConfigFile(join(configDir, `${nodeEnv}.json`))];
  const settings: Record<string, Record<string, unknown>> = {};
  for (const namespace of NAMESPACES) {
    const values: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(namespace.specs)) {
      let raw: unknown = env[spec.env];
      let source = spec.env;
      if (raw === undefined) {
        for (const file of files) {
          const fromFile = file[namespace.name]?.[key];
          if (fromFile !== undefined) raw = fromFile;
        }
        source = `${spec.env} (config ${namespace.name}.${key})`;
      }
      values[key] = spec.parse(raw, source);
    }
    settings[namespace.name] = values;
  }
  checkDeliverySettings((settings as unknown as Settings).delivery);
  return checkProduction(settings as unknown as Settings);
}

/** Embedded fallbacks are development conveniences; production must name its servers. */
function checkProduction(settings: Settings): Settings {
  if (settings.app.env !== 'production') return settings;
  if (!settings.mongo.uri) {
    throw new ConfigError('Invalid configuration: MONGODB_URI is required when NODE_ENV=production');
  }
  if (!settings.redis.url) {
    throw new ConfigError('Invalid configuration: REDIS_URL is required when NODE_ENV=production');
  }
  checkTrackingProduction(settings.tracking);
  return settings;
}
