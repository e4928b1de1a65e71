import { AudienceFactsRepository } from '../../src/modules/audience/audience-facts.repository';
import { RecipientGuardRegistry } from '../../src/modules/campaigns/recipient-guards';
import { ExperimentAssignments } from '../../src/modules/experiments/experiment-ports';
import { UserProfile } from '../../src/modules/ingest/domain/user-profile';
import { UsersService } from '../../src/modules/ingest/users.service';
import { RecipientPreferencesService } from '../../src/modules/tracking/recipient-preferences.service';
import { TrackingEventRepository } from '../../src/modules/tracking/tracking-event.repository';
import { TrackingTokens } from '../../src/modules/tracking/tracking-tokens.service';
import { buildCampaign } from '../factories/campaign.factory';
import { countCommands } from '../setup/command-tally';
import { rawRequest } from './support/raw-http';
import { useTestApp } from './support/test-app';
import { beforeNextCall, LINKS_BASE, pathOf, sendTracked, tampered, tokenOf } from './support/tracking';

const SENT = new Date(Date.now() - 3_600_000);

/** A profile that passes every other rule, so only preferences can skip it. */
function profile(userId: string): UserProfile {
  return {
    userId,
    email: `${userId}@example.com`,
    pushTokens: [],
    attributes: {},
    consent: { email: true, push: true },
    createdAt: SENT,
    updatedAt: SENT,
  };
}

describe('unsubscribe links: the page, its form and the RFC 8058 one-click POST', () => {
  const app = useTestApp({ database: 'tracking_unsubscribe', env: { PUBLIC_BASE_URL: LINKS_BASE } });
  const http = () => app.t.http();
  const digest = buildCampaign({ id: 'digest', channel: 'email', template: 'email/weekly-digest' }, null);
  const tips = buildCampaign({ id: 'tips', channel: 'email', template: 'email/weekly-digest' }, null);
  /** What the next compose of `campaign` says about the user: the guard's skip reason, or undefined. */
  const nextCompose = (campaign: typeof digest, userId: string) =>
    app.t.app
      .get(RecipientGuardRegistry)
      .firstFailure({ campaign, user: profile(userId), now: new Date(), dryRun: false });
  const unsubscribes = (userId: string) => app.t.db().collection('unsubscribes').find({ userId }).toArray();
  /** Posts a multipart form that gives the field `name` twice. */
  const postFieldTwice = (path: string, name: string, value: string) => {
    const boundary = 'x-boundary-43';
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    return rawRequest(app.t.app, {
      method: 'POST',
      path,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: `${part}${part}--${boundary}--\r\n`,
    });
  };

  it('shows a confirm form on GET and changes nothing (mail scanners follow links)', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'page-1', userId: 'ana' }, SENT);
    const res = await http().get(pathOf(issued.unsubscribeUrl)).set('Accept-Language', 'fr-CA,fr;q=0.9').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('name="scope" value="category"');
    expect(res.text).toContain('name="scope" value="all"');
    expect(res.text).not.toContain('<script');
    expect(await unsubscribes('ana')).toHaveLength(0);
    expect(await nextCompose(digest, 'ana')).toBeUndefined();
  });

  describe('the page speaks the language of the message its link came in', () => {
    /** A notification composed from the weekly digest (English, with a French variant) in `variant`. */
    const sentIn = (notificationId: string, variant: string) =>
      sendTracked(app.t.app, { notificationId, userId: `reader-${notificationId}` }, SENT, 'in-notification', {
        variant: { id: 'default', copy: 'journey-template' },
        subject: { kind: 'journey', id: 'j1', name: 'Bread Baking' },
        subjects: [{ kind: 'journey', id: 'j1', name: 'Bread Baking' }],
        copy: { source: 'template' },
        template: { ref: 'email/weekly-digest', locale: variant, hash: 'h' },
      });

    it("shows a French message's page in French in an English browser; ?lang= still decides", async () => {
      const { issued } = await sentIn('lang-fr-1', 'fr');
      const path = pathOf(issued.unsubscribeUrl);
      const page = await http().get(path).set('Accept-Language', 'en-US,en;q=0.9').expect(200);
      expect(page.text).toContain('<html lang="fr">');
      expect(page.text).toContain('name="lang" value="fr"');
      const asked = await http().get(`${path}?lang=en`).set('Accept-Language', 'fr').expect(200);
      expect(asked.text).toContain('<html lang="en">');
      const done = await http().post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(done.text).toContain('<html lang="fr">');
    });

    it("shows the page in the template's own language when the message used its default files", async () => {
      const { issued } = await sentIn('lang-default-1', 'default');
      const page = await http().get(pathOf(issued.unsubscribeUrl)).set('Accept-Language', 'fr').expect(200);
      expect(page.text).toContain('<html lang="en">');
    });

    it('reads the message once to show its page', async () => {
      const { issued } = await sentIn('lang-reads-1', 'fr');
      const counting = countCommands();
      try {
        const page = await http().get(pathOf(issued.unsubscribeUrl)).set('Accept-Language', 'en').expect(200);
        expect(page.text).toContain('<html lang="fr">');
        // Only the reads: the boot's index builds may still be running.
        const reads = [...counting.take()].filter(([key]) => key.trim() === 'find notifications');
        expect(reads.map(([, work]) => work.calls)).toEqual([1]);
      } finally {
        counting.stop();
      }
      const older = await sendTracked(app.t.app, { notificationId: 'own-1', userId: 'olga' }, SENT, 'own-record');
      const page = await http().get(pathOf(older.issued.unsubscribeUrl)).expect(200);
      expect(page.text).toContain('name="scope" value="category"');
    });

    it("follows the browser when the page is not in the message's language", async () => {
      const { issued } = await sentIn('lang-de-1', 'de');
      const page = await http().get(pathOf(issued.unsubscribeUrl)).set('Accept-Language', 'fr').expect(200);
      expect(page.text).toContain('<html lang="fr">');
    });
  });

  it('unsubscribes from the category with the form; the very next compose skips the user, other categories do not', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'form-1', userId: 'ben' }, SENT);
    const res = await http()
      .post(pathOf(issued.unsubscribeUrl))
      .type('form')
      .send('scope=category&lang=en')
      .expect(200);
    expect(res.text).toContain('You are unsubscribed from “digest”');
    expect(await nextCompose(digest, 'ben')).toMatchObject({ guard: 'unsubscribed', value: 'digest' });
    expect(await nextCompose(tips, 'ben')).toBeUndefined();
    expect(await unsubscribes('ben')).toMatchObject([{ category: 'digest', source: 'page', notificationId: 'form-1' }]);

    await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('scope=all').expect(200);
    expect(await nextCompose(tips, 'ben')).toMatchObject({ guard: 'unsubscribed', value: 'tips' });
    const page = await http().get(pathOf(issued.unsubscribeUrl)).expect(200);
    expect(page.text).toContain('You are unsubscribed from all messages.');
  });

  it('counts the unsubscribe in the experiment when logging it failed and the form was sent again', async () => {
    const campaign = buildCampaign(
      { id: 'leaving', channel: 'email', template: 'email/weekly-digest' },
      { holdout: 0 },
    );
    const decision = await app.t.app
      .get(ExperimentAssignments)
      .assign({ campaign, runId: 'r1', userId: 'uma', now: new Date(SENT.getTime() - 60_000) });
    const experiment = { experimentId: decision.experimentId!, armId: decision.armId! };
    const { issued } = await sendTracked(
      app.t.app,
      { notificationId: 'leaving-1', userId: 'uma', campaignId: 'leaving', experiment },
      SENT,
    );
    const lost = jest
      .spyOn(app.t.app.get(TrackingEventRepository), 'append')
      .mockRejectedValueOnce(new Error('connection lost'));
    await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('scope=category');
    lost.mockRestore();
    await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('scope=category').expect(200);
    const outcomes = app.t.db().collection('experiment_outcomes');
    expect(await outcomes.countDocuments({ userId: 'uma', kind: 'unsubscribe' })).toBe(1);
  });

  it('accepts the one-click POST a mailbox provider sends, urlencoded or multipart', async () => {
    const one = await sendTracked(app.t.app, { notificationId: 'oneclick-1', userId: 'cleo' }, SENT);
    await http().post(pathOf(one.issued.unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await nextCompose(digest, 'cleo')).toMatchObject({ guard: 'unsubscribed' });
    expect(await unsubscribes('cleo')).toMatchObject([{ category: 'digest', source: 'one-click' }]);

    const two = await sendTracked(app.t.app, { notificationId: 'oneclick-2', userId: 'dan' }, SENT);
    const boundary = 'x-boundary-42';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const res = await rawRequest(app.t.app, {
      method: 'POST',
      path: pathOf(two.issued.unsubscribeUrl),
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(200);
    expect(await nextCompose(digest, 'dan')).toMatchObject({ guard: 'unsubscribed' });
    const logged = await app.t.db().collection('tracking_events').find({ kind: 'unsubscribe' }).toArray();
    expect(logged.filter((e) => e.userId === 'dan')).toMatchObject([{ source: 'one-click', repeat: false }]);
  });

  it('leaves no unsubscribe event of a one-click POST handled while its user is erased', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'erased-1', userId: 'ida' }, SENT);
    const events = app.t.app.get(TrackingEventRepository);
    const append = events.append.bind(events);
    // The unsubscribe was counted against a notification that existed; the whole erasure runs before it is logged.
    const spy = jest.spyOn(events, 'append').mockImplementationOnce(async (event) => {
      await http().delete('/v1/users/ida').set('Authorization', `Bearer ${app.admin}`).expect(200);
      return append(event);
    });
    try {
      await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    } finally {
      spy.mockRestore();
    }
    expect(await app.t.db().collection('tracking_events').countDocuments({ userId: 'ida' })).toBe(0);
  });

  describe('the link of a message to a user erased since', () => {
    const erase = (userId: string) =>
      http().delete(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`).expect(200);
    const stored = async (userId: string) => ({
      unsubscribes: await unsubscribes(userId),
      events: await app.t.db().collection('tracking_events').countDocuments({ userId }),
      audienceFacts: await app.t.db().collection('audience_facts').countDocuments({ userId }),
    });

    it('no longer applies: the page and its form say so, and nothing about the user is stored', async () => {
      const { issued } = await sendTracked(app.t.app, { notificationId: 'gone-1', userId: 'gus' }, SENT);
      await erase('gus');
      const page = await http().get(pathOf(issued.unsubscribeUrl)).expect(404);
      expect(page.text).toContain('the message it came from is no longer available');
      expect(page.text).not.toContain('name="scope"');
      for (const form of ['List-Unsubscribe=One-Click', 'scope=category', 'scope=all']) {
        const res = await http().post(pathOf(issued.unsubscribeUrl)).type('form').send(form).expect(404);
        expect(res.text).toContain('the message it came from is no longer available');
      }
      expect(await stored('gus')).toEqual({ unsubscribes: [], events: 0, audienceFacts: 0 });
    });

    it('leaves no preference of a one-click POST that found the message just before the erasure', async () => {
      const { issued } = await sendTracked(app.t.app, { notificationId: 'gone-2', userId: 'hal' }, SENT);
      beforeNextCall(app.t.app.get(RecipientPreferencesService), 'unsubscribe', () => erase('hal'));
      await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(await stored('hal')).toEqual({ unsubscribes: [], events: 0, audienceFacts: 0 });
    });

    it('leaves no audience facts of an older link naming no message, its user erased while it is recorded', async () => {
      await app.t.app
        .get(UsersService)
        .putUser('jon', { email: 'jon@example.com', consent: { email: true, push: false } });
      const token = app.t.app.get(TrackingTokens).sign({ kind: 'unsubscribe', userId: 'jon', category: 'digest' });
      // The whole erasure lands between the record and the facts.
      beforeNextCall(app.t.app.get(AudienceFactsRepository), 'recordUnsubscribe', () => erase('jon'));
      const res = await http().post(`/t/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(404);
      expect(res.text).toContain('the message it came from is no longer available');
      expect(await stored('jon')).toEqual({ unsubscribes: [], events: 0, audienceFacts: 0 });
    });

    it('leaves no audience facts of a repeated unsubscribe whose user is erased while it is recorded', async () => {
      const { issued } = await sendTracked(app.t.app, { notificationId: 'gone-3', userId: 'ivo' }, SENT);
      await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click').expect(200);
      // The user had left the category already; the erasure lands between the record and the facts.
      beforeNextCall(app.t.app.get(AudienceFactsRepository), 'recordUnsubscribe', () => erase('ivo'));
      await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(await stored('ivo')).toEqual({ unsubscribes: [], events: 0, audienceFacts: 0 });
    });
  });

  it('answers a repeated lang with the 400 page naming it, whatever the token, and changes nothing', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'lang-1', userId: 'fay' }, SENT);
    for (const path of [pathOf(issued.unsubscribeUrl), '/t/u/not-a-token']) {
      const res = await http().get(`${path}?lang=fr&lang=en`).set('Accept-Language', 'fr').expect(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('Le champ « lang » manque');
    }
    expect(await unsubscribes('fay')).toHaveLength(0);
  });

  it('refuses a form that gives a field twice with the 400 page naming it, and unsubscribes no one', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'twice-1', userId: 'gus' }, SENT);
    const path = pathOf(issued.unsubscribeUrl);
    for (const body of ['scope=all&scope=category', 'scope=category&scope=all', 'scope=all&lang=fr&scope=all']) {
      const res = await http().post(path).type('form').send(body).expect(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('“scope”');
    }
    const multipart = await postFieldTwice(path, 'List-Unsubscribe', 'One-Click');
    expect(multipart.status).toBe(400);
    expect(multipart.text).toContain('“List-Unsubscribe”');
    expect(await unsubscribes('gus')).toHaveLength(0);
    expect(await nextCompose(digest, 'gus')).toBeUndefined();
  });

  it('never writes back a field name another site posts twice, whatever the token, and unsubscribes no one', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'echo-1', userId: 'hal' }, SENT);
    // Any page can post this form to the tracking host: the answer must not carry the poster's words.
    const words = 'Your account was locked. Call 555-0100 to restore it';
    for (const path of [pathOf(issued.unsubscribeUrl), '/t/u/not-a-token']) {
      const urlencoded = await http()
        .post(path)
        .type('form')
        .send(`${encodeURIComponent(words)}=1&${encodeURIComponent(words)}=2`)
        .expect(400);
      const multipart = await postFieldTwice(path, words, '1');
      expect(multipart.status).toBe(400);
      for (const res of [urlencoded, multipart]) {
        expect(res.text).not.toContain('555-0100');
        expect(res.text).toContain('“body”');
      }
    }
    expect(await unsubscribes('hal')).toHaveLength(0);
  });

  it('changes nothing for forged, tampered or other-kind tokens, or a body it cannot read', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'forged-1', userId: 'eve' }, SENT);
    const token = tokenOf(issued.unsubscribeUrl);
    for (const bad of [tampered(token), 'v1.test.e30.AAAA', tokenOf(issued.openPixelUrl!)]) {
      await http().get(`/t/u/${bad}`).expect(404);
      const res = await http().post(`/t/u/${bad}`).type('form').send('List-Unsubscribe=One-Click').expect(404);
      expect(res.text).toContain('This link is not valid');
    }
    const missing = await http().post(pathOf(issued.unsubscribeUrl)).type('form').send('lang=en').expect(400);
    expect(missing.text).toContain('“scope”');
    await http().post(pathOf(issued.unsubscribeUrl)).send({ scope: 'all' }).expect(415);
    await http()
      .post(pathOf(issued.unsubscribeUrl))
      .type('form')
      .send(`scope=all&pad=${'x'.repeat(2000)}`)
      .expect(413);
    expect(await unsubscribes('eve')).toHaveLength(0);
    expect(await nextCompose(digest, 'eve')).toBeUndefined();
  });
  describe('a form body it cannot read', () => {
    const BROWSER = {
      Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'Accept-Language': 'fr-FR,fr;q=0.9',
      'Sec-Fetch-Dest': 'document',
    };
    /** Each way to send a body the page cannot read, the status it gets and what the page says of it. */
    const UNREADABLE = [
      [415, 'text/plain', 'scope=all', 'Il a été envoyé dans un format que cette page n’accepte pas.'],
      [413, 'application/x-www-form-urlencoded', `scope=all&pad=${'x'.repeat(2000)}`, 'Il dépasse la taille'],
      [400, 'multipart/form-data; boundary=x-boundary-7', 'scope=all', 'Il est arrivé incomplet ou endommagé.'],
    ] as const;
    const post = (path: string, type: string, body: string, headers: Record<string, string>) =>
      http().post(path).set(headers).set('Content-Type', type).send(body);

    it.each(UNREADABLE)(
      'answers a browser with a %i page in its language, and changes nothing',
      async (status, type, body, text) => {
        const { issued } = await sendTracked(app.t.app, { notificationId: `unread-${status}`, userId: 'ivy' }, SENT);
        const res = await post(pathOf(issued.unsubscribeUrl), type, body, BROWSER).expect(status);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.headers['content-security-policy']).toContain("default-src 'none'");
        expect(res.headers['cache-control']).toContain('no-store');
        expect(res.text).toContain('<h1>Ce formulaire n’a pas pu être lu</h1>');
        expect(res.text).toContain(text);
        expect(res.text).not.toContain('x'.repeat(100));
        expect(await unsubscribes('ivy')).toHaveLength(0);
        expect(await nextCompose(digest, 'ivy')).toBeUndefined();
      },
    );

    it.each(UNREADABLE)(
      'keeps the JSON %i for a one-click POST and a client asking for JSON, and changes nothing',
      async (status, type, body) => {
        const { issued } = await sendTracked(app.t.app, { notificationId: `json-${status}`, userId: 'jo' }, SENT);
        const oneClick = body.replace('scope=all', 'List-Unsubscribe=One-Click');
        for (const [sent, headers] of [
          [oneClick, {}],
          [oneClick, { Accept: '*/*' }],
          [body, { Accept: 'application/json', 'Sec-Fetch-Dest': 'document' }],
        ] as const) {
          const res = await post(pathOf(issued.unsubscribeUrl), type, sent, headers).expect(status);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
        }
        expect(await unsubscribes('jo')).toHaveLength(0);
      },
    );
  });
});
