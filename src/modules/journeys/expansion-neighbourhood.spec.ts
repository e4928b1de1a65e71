import { normalizeInPlace } from './domain/embedder';
import { DEFAULT_SAFETY_POLICY } from './domain/journey-safety';
import { neighbourhoodExpansions, VocabularyEmbedder } from './expansion-neighbourhood';

/** A tiny vocabulary with hand-placed vectors: kitchen phrases near [1,0,0], running near [0,1,0]. */
function embedderOf(vectors: Record<string, number[]>): VocabularyEmbedder {
  const unit = Object.fromEntries(
    Object.entries(vectors).map(([k, v]) => {
      const f = Float32Array.from(v);
      normalizeInPlace(f);
      return [k, f];
    }),
  );
  return { vocab: Object.keys(unit), embed: (key) => unit[key] ?? new Float32Array(3) };
}

const embedder = embedderOf({
  'kitchen remodel': [1, 0, 0],
  'kitchen cabinet': [0.95, 0.05, 0],
  'tile backsplash': [0.9, 0.1, 0.1],
  'subway tile backsplash': [0.89, 0.1, 0.11],
  'pantry shelving': [0.6, 0, 0.8],
  'pantry shelvng': [0.62, 0, 0.78],
  'kitchen remodel budget': [0.99, 0.01, 0],
  'kitchen island seating': [0.5, 0.3, -0.6],
  'diabetes meal plan': [0.85, 0, 0.2],
  'half marathon': [0, 1, 0],
  kitchen: [1, 0, 0],
});

describe('neighbourhoodExpansions', () => {
  const journey = { embedding: [1, 0, 0], keywords: [{ text: 'Kitchen Remodel' }, { text: 'kitchen cabinets' }] };

  it("suggests near phrases, never the journey's own keywords or single words", () => {
    const related = neighbourhoodExpansions(journey, embedder, DEFAULT_SAFETY_POLICY);
    expect(related[0]).toBe('Tile Backsplash');
    expect(related).toContain('Pantry Shelving');
    expect(related).not.toContain('Kitchen Remodel');
    expect(related).not.toContain('Kitchen Cabinet');
    expect(related).not.toContain('Kitchen');
    // Mostly the journey's own words: a variant of it. One own word in three: a related journey.
    expect(related).not.toContain('Kitchen Remodel Budget');
    expect(related).toContain('Kitchen Island Seating');
  });

  it('drops near-duplicates of a better suggestion, unrelated phrases and sensitive topics', () => {
    const related = neighbourhoodExpansions(journey, embedder, DEFAULT_SAFETY_POLICY);
    expect(related).not.toContain('Subway Tile Backsplash');
    expect(related).not.toContain('Half Marathon');
    expect(related).not.toContain('Diabetes Meal Plan');
  });

  it('respects the requested maximum', () => {
    const options = { maxRelated: 1, minSimilarity: 0, duplicateSimilarity: 0.99 };
    expect(neighbourhoodExpansions(journey, embedder, DEFAULT_SAFETY_POLICY, options)).toEqual(['Tile Backsplash']);
  });

  it('leaves out a rarer misspelling of a suggested phrase', () => {
    const related = neighbourhoodExpansions(journey, embedder, DEFAULT_SAFETY_POLICY, {
      maxRelated: 10,
      minSimilarity: 0.25,
      duplicateSimilarity: 2,
    });
    expect(related).toContain('Pantry Shelving');
    expect(related).not.toContain('Pantry Shelvng');
  });
});
