/** What confidence is made of: how tight the cluster is and how much independent evidence supports it. */
export interface ConfidenceInputs {
  /** Mean cosine of the keywords to their centroid, in [-1, 1]. */
  cohesion: number;
  events: number;
  distinctDays: number;
  /** Distinct keyword sources (search, title, annotation, category, board). */
  sources: number;
}

const saturate = (x: number, scale: number) => 1 - Math.exp(-x / scale);

/** Confidence in [0, 1]: cohesion, support in events and distinct days, and diversity of sources. */
export function journeyConfidence(inputs: ConfidenceInputs): number {
  const value =
    0.35 * Math.max(0, Math.min(1, inputs.cohesion)) +
    0.25 * saturate(inputs.events, 8) +
    0.25 * saturate(inputs.distinctDays, 3) +
    0.15 * Math.min(1, inputs.sources / 4);
  return Math.round(Math.max(0, Math.min(1, value)) * 1000) / 1000;
}

/** Interim score until the ranking model lands: confidence discounted by time since the last engagement. */
export function interimScore(confidence: number, daysSinceLast: number, halfLifeDays: number): number {
  const recency = Math.pow(0.5, Math.max(0, daysSinceLast) / halfLifeDays);
  return Math.round(confidence * (0.2 + 0.8 * recency) * 1e6) / 1e6;
}
