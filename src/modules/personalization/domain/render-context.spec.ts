import { buildRenderContext } from './render-context';

const contextWith = (intro?: string) =>
  buildRenderContext({
    user: { id: 'u1', locale: 'en', timeZone: 'UTC', attributes: {} },
    campaign: { id: 'c', name: 'C', category: 'c' },
    variant: { id: 'default', copy: 'journey-llm' },
    subjects: [
      {
        kind: 'journey',
        id: 'j',
        name: 'Tiles',
        keywords: [],
        stage: 'ongoing',
        type: 'situational',
        confidence: 1,
        rank: 1,
        lastSeen: '',
        related: [],
      },
    ],
    copy: intro === undefined ? undefined : { subject: 'Tiles', preheader: 'Tiles', intro },
    now: new Date('2026-03-02T18:00:00Z'),
  });

describe('buildRenderContext', () => {
  it('gives the intro as HTML with its emphasis kept and everything else escaped, and as plain text', () => {
    const { copy } = contextWith('Your <STRONG>tiles</STRONG> & grout:<br />2 < 3 "ideas"');
    expect(copy.introHtml).toBe('Your <strong>tiles</strong> &amp; grout:<br>2 &lt; 3 &quot;ideas&quot;');
    expect(copy.intro).toBe('Your tiles & grout: 2 < 3 "ideas"');
  });

  it('leaves the intro empty in both forms for template copy', () => {
    expect(contextWith().copy).toMatchObject({ intro: '', introHtml: '', source: 'template' });
  });
});
