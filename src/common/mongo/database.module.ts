import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { Settings } from '../../config/settings';

export const DEFAULT_DATABASE = 'journeycast';

/** A URI without a database path (the embedded server's `mongodb://host:port/`) uses `journeycast`. */
function databaseName(uri: string): { dbName?: string } {
  const path = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '').split('?')[0];
  return path === '' || path === '/' ? { dbName: DEFAULT_DATABASE } : {};
}

/** The one MongoDB connection of the process; the URI is resolved (embedded or real) before boot. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => {
        const mongo = config.get('mongo', { infer: true });
        if (!mongo.uri) throw new Error('MONGODB_URI must be resolved before the app module is built');
        return { uri: mongo.uri, autoIndex: mongo.autoIndex, autoCreate: mongo.autoIndex, ...databaseName(mongo.uri) };
      },
    }),
  ],
  exports: [MongooseModule],
})
export class DatabaseModule {}
