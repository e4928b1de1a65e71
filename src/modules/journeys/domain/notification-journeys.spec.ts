import { JourneyStage } from './journey';
import { journeysToNotify } from './notification-journeys';

const journey = (name: string, stage: JourneyStage) => ({ name, stage });
const names = (journeys: Array<{ name: string }>) => journeys.map((j) => j.name);

describe('journeysToNotify', () => {
  it('keeps the ongoing journeys in rank order and leaves out ended ones ranked among them', () => {
    const ranked = [
      journey('kitchen renovation', 'ongoing'),
      journey('wedding planning', 'ended'),
      journey('trail running', 'ongoing'),
      journey('halloween costume', 'ended'),
    ];
    expect(names(journeysToNotify(ranked))).toEqual(['kitchen renovation', 'trail running']);
  });

  it('keeps an ongoing journey ranked below an ended one', () => {
    const ranked = [journey('wedding planning', 'ended'), journey('trail running', 'ongoing')];
    expect(names(journeysToNotify(ranked))).toEqual(['trail running']);
  });

  it('keeps every ended journey, in rank order, for a user with no ongoing journey', () => {
    const ranked = [journey('wedding planning', 'ended'), journey('halloween costume', 'ended')];
    expect(names(journeysToNotify(ranked))).toEqual(['wedding planning', 'halloween costume']);
  });

  it('keeps ended journeys alongside ongoing ones, in rank order, when asked to', () => {
    const ranked = [journey('wedding planning', 'ended'), journey('trail running', 'ongoing')];
    expect(names(journeysToNotify(ranked, 'alongside'))).toEqual(['wedding planning', 'trail running']);
  });

  it('gives nothing for no journeys and never changes its input', () => {
    expect(journeysToNotify([])).toEqual([]);
    const ranked = [journey('wedding planning', 'ended'), journey('trail running', 'ongoing')];
    const copy = [...ranked];
    journeysToNotify(ranked);
    expect(ranked).toEqual(copy);
  });
});
