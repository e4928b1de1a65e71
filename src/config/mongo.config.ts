import { boolean, integer, optional, text, url } from './parsers';
import { defineNamespace, setting } from './setting';

export const mongoNamespace = defineNamespace('mongo', {
  uri: setting(
    'MONGODB_URI',
    optional(url(['mongodb:', 'mongodb+srv:'])),
    'MongoDB connection string. Unset: the embedded MongoDB-compatible server (development only).',
  ),
  dataDir: setting('MONGO_DATA_DIR', text(), 'Where the embedded server keeps its data when MONGODB_URI is unset.'),
  embeddedPort: setting(
    'MONGO_EMBEDDED_PORT',
    integer(0, 65535),
    "Port of the embedded server (0 = random). A process that finds MONGO_DATA_DIR held by a running app uses that app's server.",
  ),
  autoIndex: setting('MONGO_AUTO_INDEX', boolean(), 'Create indexes at boot; turn off when indexes are managed.'),
});
