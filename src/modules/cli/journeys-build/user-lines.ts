import { buildJourneysFromExtracted, toUserJourneysRecord } from '../../journeys/domain/build-journeys';
import { Embedder } from '../../journeys/domain/embedder';
import { Journey } from '../../journeys/domain/journey';
import { JourneyParams } from '../../journeys/domain/journey-params';
import { ExtractedEvent } from '../../journeys/domain/keywords';
import { rankJourneys, RankingModel } from '../../ranking/domain';

export interface LineContext {
  now: Date;
  embedder: Embedder;
  params: JourneyParams;
  ranker?: RankingModel;
  top?: number;
}

export interface UserLines {
  lines: string[];
  journeys: number;
}

/** One user's journeys, built and ranked as the service does: what `journeys build` writes for them. */
export function buildRankedJourneys(
  userId: string,
  events: readonly ExtractedEvent[],
  context: Omit<LineContext, 'top'>,
): Journey[] {
  const { now, embedder, params, ranker } = context;
  return rankJourneys(buildJourneysFromExtracted(userId, events, { now, embedder, params }), { now, model: ranker });
}

/** Builds and ranks each user's journeys, as the service does, and renders the output contract's lines. */
export function buildUserLines(
  users: ReadonlyArray<readonly [string, readonly ExtractedEvent[]]>,
  context: LineContext,
): UserLines {
  const { now, top } = context;
  let journeys = 0;
  const lines = users.map(([userId, events]) => {
    const ranked = buildRankedJourneys(userId, events, context);
    journeys += Math.min(ranked.length, top ?? ranked.length);
    return JSON.stringify(toUserJourneysRecord(userId, ranked, now, top));
  });
  return { lines, journeys };
}
