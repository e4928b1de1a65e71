import { DynamicModule } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { NAMESPACES, Settings } from './settings';

/**
 * The global ConfigModule over already-validated settings: one registerAs namespace per entry of
 * NAMESPACES, read with `ConfigService<Settings, true>.get('mongo', { infer: true })`. It never reads
 * process.env or .env files, so two apps in one process can run with different settings.
 */
export function settingsModule(settings: Settings): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    skipProcessEnv: true,
    load: NAMESPACES.map((namespace) => registerAs(namespace.name, () => settings[namespace.name as keyof Settings])),
  });
}
