import { addNameFit, emptyNameFit } from './names';
import { writtenTexts } from './tokens';

describe('name fit', () => {
  const texts = [
    ...writtenTexts({ board: { name: 'Garden on a Budget' } }),
    ...writtenTexts({ query: 'olive wood cutting board ideas' }),
    ...writtenTexts({
      query: 'the painted porch swings',
      item: { id: 'i', title: 'A Porch of Our Own', categories: ['Outdoor'] },
    }),
  ];

  it('holds each name against the texts the user wrote', () => {
    const fit = emptyNameFit();
    addNameFit(
      fit,
      ['Garden on a Budget', 'Garden Budget', 'Olive', 'Painted Porch Swing', 'Outdoor', 'Cutting Board'],
      texts,
    );
    expect(fit).toEqual({
      journeys: 6,
      // Written in order with nothing left out: all but "Garden Budget" and the singular "Painted Porch Swing".
      asWritten: 4,
      // A whole text, plurals and stopwords aside: "Garden on a Budget", "Garden Budget", "Painted Porch Swing", "Outdoor".
      wholeText: 4,
      // "Olive" only occurs inside a longer text; "Cutting Board" is a phrase, not a single word.
      fragmentWord: 1,
    });
  });

  it('counts nothing for a user without journeys', () => {
    const fit = emptyNameFit();
    addNameFit(fit, [], texts);
    expect(fit).toEqual(emptyNameFit());
  });
});
