import { ComposedMessage } from '../../campaigns/domain/compose-result';
import { RenderedMessage, TrackedLink } from '../../templates/template.types';
import { formatMessage } from './campaigns-output';

const links: TrackedLink[] = [
  { id: 'c1', kind: 'click', url: 'https://app.example.com/ideas', placeholder: '__jc_0123456789abcdef_c1__' },
  { id: 'u2', kind: 'unsubscribe', url: 'all', placeholder: '__jc_0123456789abcdef_u2__' },
];

function message(rendered: Partial<RenderedMessage>): ComposedMessage {
  const template = { ref: 'push/nudge', locale: 'default', hash: 'abc' };
  return {
    campaignId: 'nudge',
    userId: 'u1',
    channel: rendered.channel ?? 'push',
    variant: { id: 'default', copy: 'journey-template' },
    subject: { kind: 'journey', id: 'j1', name: 'Kitchen Remodel' },
    subjects: [{ kind: 'journey', id: 'j1', name: 'Kitchen Remodel' }],
    copy: { source: 'template' },
    template,
    rendered: { links, template, ...rendered } as RenderedMessage,
  } as unknown as ComposedMessage;
}

describe('formatMessage', () => {
  it("shows a push's tracked links as their destinations, not as placeholders", () => {
    const text = formatMessage(
      message({
        channel: 'push',
        title: 'Still on it?',
        body: 'Pick up where you left off.',
        deepLink: links[0].placeholder,
        data: { next: links[0].placeholder },
        truncated: [],
      }),
    );
    expect(text).toContain('link     https://app.example.com/ideas');
    expect(text).toContain('data     {"next":"https://app.example.com/ideas"}');
    expect(text).not.toMatch(/__jc_/);
  });

  it("shows an email's click and unsubscribe links in its text part", () => {
    const text = formatMessage(
      message({
        channel: 'email',
        subject: 'Your week',
        preheader: '3 ideas',
        html: '',
        text: `See all your ideas (${links[0].placeholder})\nUnsubscribe (${links[1].placeholder})`,
      }),
    );
    expect(text).toContain('See all your ideas (https://app.example.com/ideas)\nUnsubscribe ([unsubscribe link])');
    expect(text).not.toMatch(/__jc_/);
  });
});
