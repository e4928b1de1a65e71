import { bcubed, LabelledItem } from '../../../src/lib/synthetic/cluster-metrics';
import { buildJourneysWithMembership } from '../../../src/modules/journeys/domain/build-journeys';
import { JourneyParams } from '../../../src/modules/journeys/domain/journey-params';
import { chooseEmbedder } from '../../../src/modules/journeys/domain/embedder-choice';
import {
  DEFAULT_TRAINING_OPTIONS,
  PlatformTrainingOptions,
  trainPlatformEmbedder,
} from '../../../src/modules/journeys/domain/platform-training';
import { TaskLabel } from './aol';
import { EvalEvent, EvalUser } from './users';

export interface GroupingScore {
  method: string;
  precision: number;
  recall: number;
  f1: number;
  /** Distinct groups the method formed over the labelled queries. */
  groups: number;
}

/** Connected components of items that share a token: the "same words, same task" baseline. */
export function groupBySharedWords(items: ReadonlyArray<{ tokens: readonly string[] }>): number[] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const firstWith = new Map<string, number>();
  items.forEach((item, i) => {
    for (const t of item.tokens) {
      const j = firstWith.get(t);
      if (j === undefined) firstWith.set(t, i);
      else parent[find(i)] = find(j);
    }
  });
  return items.map((_, i) => find(i));
}

/**
 * B-cubed agreement of groupings of the labelled queries with the hand-labelled tasks. Tasks were labelled
 * only inside time-gap sessions, so every method is compared within sessions: its groups are cut by session
 * (journeys span sessions by design). Journeys are built from each user's events up to their last labelled
 * query, with an embedder trained on those same windows of every user (what an install had then); queries no
 * group claims are groups of one. That build keeps a user's ongoing journeys and fills the room left within
 * `maxJourneys` with ended ones: a session long before lies mostly in journeys no longer kept. So the journeys
 * are also built as the user had them right after each labelled session (events up to its last labelled
 * query), which scores every session by the journeys a notification could have used then.
 */
export function evaluateTasks(
  users: readonly EvalUser[],
  labels: ReadonlyMap<string, TaskLabel>,
  params: JourneyParams,
  training: Partial<PlatformTrainingOptions> = {},
): GroupingScore[] {
  const methods = [
    'one group per session',
    'groups by shared words',
    'journeys',
    'journey clusters',
    'journeys after the session',
  ];
  const items: LabelledItem[][] = methods.map(() => []);
  const windows = users.flatMap((user) => {
    const lastLabelled = user.events.reduce((m, e, i) => (labels.has(e.id) ? i : m), -1);
    if (lastLabelled < 0) return [];
    const until = user.events[lastLabelled].at;
    return [{ user, until, window: user.events.filter((e) => e.at <= until) }];
  });
  const model = trainPlatformEmbedder(() => windows.map((w) => w.window.map((e) => e.extracted)), training);
  const { embedder } = chooseEmbedder(model, { ...DEFAULT_TRAINING_OPTIONS, ...training });
  for (const { user, until, window } of windows) {
    const built = buildJourneysWithMembership(
      user.userId,
      window.map((e) => e.extracted),
      { now: new Date(until), embedder, params },
    );
    const labelled: Array<{ event: EvalEvent; label: TaskLabel; index: number }> = [];
    window.forEach((event, index) => {
      const label = labels.get(event.id);
      if (label) labelled.push({ event, label, index });
    });
    const sessions = new Map<string, Array<(typeof labelled)[number]>>();
    for (const l of labelled) sessions.set(l.label.session, [...(sessions.get(l.label.session) ?? []), l]);
    for (const [session, members] of sessions) {
      const prefix = `${user.userId}/${session}`;
      const last = members[members.length - 1].index;
      const then = buildJourneysWithMembership(
        user.userId,
        window.slice(0, last + 1).map((e) => e.extracted),
        { now: new Date(window[last].at), embedder, params },
      );
      const words = groupBySharedWords(members.map((m) => m.event));
      members.forEach((m, i) => {
        const truth = `${prefix}/${m.label.task}`;
        const own = `${prefix}/single:${m.event.id}`;
        const j = built.journeyOf[m.index];
        const c = built.clusterOf[m.index];
        const t = then.journeyOf[m.index];
        const predicted = [
          prefix,
          `${prefix}/w${words[i]}`,
          j >= 0 ? `${prefix}/j${j}` : own,
          c >= 0 ? `${prefix}/c${c}` : own,
          t >= 0 ? `${prefix}/t${t}` : own,
        ];
        predicted.forEach((p, k) => items[k].push({ predicted: p, truth }));
      });
    }
  }
  return methods.map((method, k) => ({
    method,
    ...bcubed(items[k]),
    groups: new Set(items[k].map((i) => i.predicted)).size,
  }));
}
