import { accessNamespace } from './access.config';
import { appNamespace } from './app.config';
import { campaignsNamespace } from './campaigns.config';
import { consoleNamespace } from './console.config';
import { deliveryNamespace } from './delivery.config';
import { experimentsNamespace } from './experiments.config';
import { journeysNamespace } from './journeys.config';
import { judgeNamespace } from './judge.config';
import { llmNamespace } from './llm.config';
import { mongoNamespace } from './mongo.config';
import { personalizationNamespace } from './personalization.config';
import { rankingNamespace } from './ranking.config';
import { redisNamespace } from './redis.config';
import { templatesNamespace } from './templates.config';
import { trackingNamespace } from './tracking.config';
import { NamespaceValues } from './setting';

/** Every configuration namespace; a new one is one import and one entry here. */
export const NAMESPACES = [
  appNamespace,
  mongoNamespace,
  redisNamespace,
  accessNamespace,
  llmNamespace,
  journeysNamespace,
  rankingNamespace,
  judgeNamespace,
  templatesNamespace,
  personalizationNamespace,
  campaignsNamespace,
  deliveryNamespace,
  trackingNamespace,
  experimentsNamespace,
  consoleNamespace,
] as const;

/** The validated, typed configuration of one process. */
export interface Settings {
  app: NamespaceValues<typeof appNamespace.specs>;
  mongo: NamespaceValues<typeof mongoNamespace.specs>;
  redis: NamespaceValues<typeof redisNamespace.specs>;
  access: NamespaceValues<typeof accessNamespace.specs>;
  llm: NamespaceValues<typeof llmNamespace.specs>;
  journeys: NamespaceValues<typeof journeysNamespace.specs>;
  ranking: NamespaceValues<typeof rankingNamespace.specs>;
  judge: NamespaceValues<typeof judgeNamespace.specs>;
  templates: NamespaceValues<typeof templatesNamespace.specs>;
  personalization: NamespaceValues<typeof personalizationNamespace.specs>;
  campaigns: NamespaceValues<typeof campaignsNamespace.specs>;
  delivery: NamespaceValues<typeof deliveryNamespace.specs>;
  tracking: NamespaceValues<typeof trackingNamespace.specs>;
  experiments: NamespaceValues<typeof experimentsNamespace.specs>;
  console: NamespaceValues<typeof consoleNamespace.specs>;
}
