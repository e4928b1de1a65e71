import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { buildTrackedLink } from '../factories/tracked-notification.factory';
import { campaignsDir, pushCampaign, seedUser, templatesDirWith } from '../integration/campaigns/campaigns-harness';
import { useTestApp } from './support/test-app';
import { LINKS_BASE, pathOf, sendTracked } from './support/tracking';

const HOUR = 3_600_000;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)';

describe('tracked links limited to TRACKING_LINK_HOSTS', () => {
  const app = useTestApp({
    database: 'tracking_link_hosts',
    env: {
      PUBLIC_BASE_URL: LINKS_BASE,
      TRACKING_LINK_HOSTS: 'shop.example.com, *.example.org',
      // A push whose deep link tracks a URL the user's own profile holds.
      CAMPAIGNS_DIR: campaignsDir([pushCampaign('profile-link', 'push/profile-link')]),
      TEMPLATES_DIR: templatesDirWith({
        'push/profile-link': {
          'template.json': '{ "description": "A link from the profile", "locale": "en" }',
          'title.hbs': 'More on {{subject.name}}',
          'body.hbs': 'Pick up where you left off.',
          'deep-link.hbs': '{{track user.attributes.url}}',
        },
      }),
    },
  });
  const http = () => app.t.http();
  const events = (notificationId: string) =>
    app.t.db().collection('tracking_events').find({ notificationId }).toArray();
  const click = async (notificationId: string, url: string) => {
    const sentAt = new Date(Date.now() - 2 * HOUR);
    const { issued, notification } = await sendTracked(
      app.t.app,
      { notificationId, links: [buildTrackedLink('c1', url)] },
      sentAt,
    );
    return http()
      .get(pathOf(issued.resolveLink(notification.links[0])))
      .set('User-Agent', BROWSER);
  };

  it.each([
    ['an allowed host', 'https://shop.example.com/kitchen', 'https://shop.example.com/kitchen'],
    ['an allowed host in upper case', 'https://SHOP.example.com/a', 'https://shop.example.com/a'],
    ['a subdomain of a wildcard', 'https://deals.example.org/x', 'https://deals.example.org/x'],
    ['a deeper subdomain of a wildcard', 'https://a.b.example.org/', 'https://a.b.example.org/'],
  ])('redirects a click on a link to %s', async (what, url, location) => {
    const res = await click(`ok-${what.replace(/\W+/g, '-')}`, url);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(location);
  });

  it.each([
    ['another host', 'https://evil.example.net/login'],
    ['the bare domain of a wildcard', 'https://example.org/'],
    ['a host that only ends like an allowed one', 'https://evilshop.example.com/'],
    ['an allowed name inside another host', 'https://shop.example.com.evil.test/'],
    ['credentials before another host', 'https://shop.example.com@evil.test/'],
    ['no slashes after the scheme', 'https:evil.test/x'],
    ['a scheme with no host', 'mailto:a@evil.test'],
  ])(
    'answers a click on a stored link to %s with the 404 page, never a redirect, and records nothing',
    async (what, url) => {
      const notificationId = `refused-${what.replace(/\W+/g, '-')}`;
      const res = await click(notificationId, url);
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toContain('text/html');
      expect(await events(notificationId)).toEqual([]);
    },
  );

  it('fails the render of a recipient whose profile links elsewhere, naming the host, so nothing is sent to them', async () => {
    const now = new Date();
    const kitchen = { name: 'Kitchen Remodel', keywords: ['kitchen remodel'] };
    await seedUser(app.t.app, 'fair', {
      now,
      profile: { attributes: { url: 'https://shop.example.com/kitchen' } },
      journeys: [kitchen],
    });
    await seedUser(app.t.app, 'phisher', {
      now,
      profile: { attributes: { url: 'https://evil.example.net/login' } },
      journeys: [kitchen],
    });
    await app.t.app.get(CampaignsService).sync('test');
    const preview = (userId: string) =>
      http()
        .post('/v1/campaigns/profile-link/preview')
        .set({ Authorization: `Bearer ${app.admin}` })
        .send({ userId })
        .expect(200);
    expect((await preview('fair')).body).toMatchObject({ status: 'message' });
    expect((await preview('phisher')).body).toMatchObject({
      status: 'skip',
      skip: {
        code: 'render-failed',
        rule: 'url',
        message: 'track: evil.example.net is not one of the hosts of TRACKING_LINK_HOSTS',
      },
    });
  });
});
