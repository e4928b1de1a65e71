import { addNameFit, emptyNameFit } from './names';
import { writtenTexts } from './tokens';

describe('name fit', () => {
  const texts = [
    ...writtenTexts({ board: { name: 'Based on a Book' } }),
    ...writtenTexts({ query: 'philip seymour hoffman films' }),
    ...writtenTexts({
      query: 'the salem witch trials',
      item: { id: 'i', title: 'The Crucible', categories: ['Drama'] },
    }),
  ];

  it('holds each name against the texts the user wrote', () => {
    const fit = emptyNameFit();
    addNameFit(fit, ['Based on a Book', 'Based Book', 'Philip', 'Salem Witch Trial', 'Drama', 'Hoffman Films'], texts);
    expect(fit).toEqual({
      journeys: 6,
      // Written in order with nothing left out: all but "Based Book" and the singular "Salem Witch Trial".
      asWritten: 4,
      // A whole text, plurals and stopwords aside: "Based on a Book", "Based Book", "Salem Witch Trial", "Drama".
      wholeText: 4,
      // "Philip" only occurs inside a longer text; "Hoffman Films" is a phrase, not a single word.
      fragmentWord: 1,
    });
  });

  it('counts nothing for a user without journeys', () => {
    const fit = emptyNameFit();
    addNameFit(fit, [], texts);
    expect(fit).toEqual(emptyNameFit());
  });
});
