import { normalizeInPlace } from './domain/embedder';
import { DEFAULT_SAFETY_POLICY } from './domain/journey-safety';
import { handLexicon } from './domain/testing/keywords.fixture';
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

  it('with the platform lexicon, suggests only phrases written whole, never a variant, as most users write them', () => {
    const vectors = {
      'tile backsplash': [0.9, 0.1, 0.1],
      'backsplash tile': [0.88, 0.12, 0.1],
      'cabinet tile': [0.85, 0.1, 0.2],
      'pantry shelvng': [0.62, 0, 0.78],
      'open shelving': [0.6, 0.1, 0.8],
    };
    const lexicon = handLexicon(
      [
        ['tile backsplash', 400, 90, 380, 'tile back-splash'],
        // The same words in a rarer order: a reordering, not a relative.
        ['backsplash tile', 20, 5, 15],
        // Only ever the end of one text and the start of the next ("kitchen cabinet" + "tile ..."): a straddling pair.
        ['cabinet tile', 60, 30, 0],
        ['pantry shelvng', 8, 3, 8],
        ['pantry shelving', 300, 70, 280],
        ['open shelving', 200, 60, 150],
      ],
      1000,
    );
    const withLexicon = { ...embedderOf(vectors), lexicon };
    const options = { maxRelated: 10, minSimilarity: 0.25, duplicateSimilarity: 2 };
    const related = neighbourhoodExpansions(journey, withLexicon, DEFAULT_SAFETY_POLICY, options);
    expect(related).toEqual(['Tile Back-splash', 'Open Shelving']);
    // Without the lexicon nothing tells the straddling pair or the reordering apart.
    const blind = neighbourhoodExpansions(journey, embedderOf(vectors), DEFAULT_SAFETY_POLICY, options);
    expect(blind).toEqual(expect.arrayContaining(['Cabinet Tile', 'Backsplash Tile']));
  });
});
