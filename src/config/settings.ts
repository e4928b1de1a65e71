import { accessNamespace } from './access.config';
import { appNamespace } from './app.config';
import { mongoNamespace } from './mongo.config';
import { redisNamespace } from './redis.config';
import { NamespaceValues } from './setting';

/** Every configuration namespace; a new one is one import and one entry here. */
export const NAMESPACES = [appNamespace, mongoNamespace, redisNamespace, accessNamespace] as const;

/** The validated, typed configuration of one process. */
export interface Settings {
  app: NamespaceValues<typeof appNamespace.specs>;
  mongo: NamespaceValues<typeof mongoNamespace.specs>;
  redis: NamespaceValues<typeof redisNamespace.specs>;
  access: NamespaceValues<typeof accessNamespace.specs>;
}
