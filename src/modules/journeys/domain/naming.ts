import { titleCase } from '../../../lib/text/normalize';
import { KeywordSource } from './journey';

/** A keyword of a cluster as the namer sees it. */
export interface NamingCandidate {
  key: string;
  text: string;
  /** Relative weight in the cluster, top keyword = 1. */
  weight: number;
  /** Cosine to the cluster's embedding centroid. */
  centrality: number;
  sources: readonly KeywordSource[];
}

/** Names a journey from its keywords; an LLM namer implements the same port and falls back to the keyword namer. */
export interface JourneyNamer {
  name(candidates: readonly NamingCandidate[]): string;
}

// Categories are broad shelves shared by many journeys ("home improvement"); queries, annotations and
// board names are the user's own words for the goal.
const SOURCE_PRIOR: Record<KeywordSource, number> = {
  search: 1.1,
  annotation: 1.1,
  board: 1,
  title: 0.9,
  category: 0.6,
};

/** How much a candidate that represents none of the other keywords keeps of its score. */
const COVERAGE_FLOOR = 0.1;

/** Score of a candidate as a name: well supported, central, specific (phrases of two or three words win). */
export function nameScore(c: NamingCandidate): number {
  const words = c.key.split(' ').length;
  const specificity = words === 1 ? 0.7 : words <= 3 ? 1.2 : 0.9;
  const prior = Math.max(...c.sources.map((s) => SOURCE_PRIOR[s]), 0.5);
  return Math.pow(c.weight, 0.6) * (0.4 + 0.6 * Math.max(0, c.centrality)) * specificity * prior;
}

/**
 * Share of the cluster's keyword weight that shares a word with a candidate: "kitchen remodel" speaks for
 * "kitchen", "kitchen island" and "kitchen cabinets", while "farmhouse sink" speaks only for itself.
 */
export function coverageOf(candidate: NamingCandidate, candidates: readonly NamingCandidate[]): number {
  const words = new Set(candidate.key.split(' '));
  let covered = 0;
  let total = 0;
  for (const other of candidates) {
    total += other.weight;
    if (other.key.split(' ').some((w) => words.has(w))) covered += other.weight;
  }
  return total > 0 ? covered / total : 0;
}

/** The production namer: the best keyword of the cluster, title-cased ("kitchen remodel" -> "Kitchen Remodel"). */
export class KeywordNamer implements JourneyNamer {
  name(candidates: readonly NamingCandidate[]): string {
    let best: NamingCandidate | undefined;
    let bestScore = -Infinity;
    for (const c of candidates) {
      const s = nameScore(c) * (COVERAGE_FLOOR + coverageOf(c, candidates));
      if (s > bestScore || (s === bestScore && best && c.key < best.key)) [best, bestScore] = [c, s];
    }
    return best ? titleCase(best.text) : '';
  }
}
