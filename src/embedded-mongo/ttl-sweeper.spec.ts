import { Store } from './storage/store';
import { TtlSweeper } from './ttl-sweeper';

describe(TtlSweeper.name, () => {
  afterEach(() => jest.useRealTimers());

  it('logs a failing sweep once, not every second it keeps failing, and says when sweeps succeed again', () => {
    jest.useFakeTimers();
    const store = new Store();
    const sessions = store.ensureCollection('db', 'sessions');
    store.createIndex(sessions, { name: 'at_1', key: { at: 1 }, expireAfterSeconds: 1 });
    let refusing = true;
    const commit = () => {
      if (refusing) throw new Error('writes are refused');
    };
    const logged: string[] = [];
    const sweeper = new TtlSweeper(store, commit, (message) => logged.push(message));
    sweeper.start();
    try {
      // Each second a new document expires, and each sweep's write is refused.
      for (let i = 0; i < 30; i++) {
        store.insert(sessions, { _id: i, at: new Date(Date.now() - 60_000) });
        jest.advanceTimersByTime(1000);
      }
      expect(logged).toEqual(['TTL sweep failed: writes are refused']);
      refusing = false;
      store.insert(sessions, { _id: 'last', at: new Date(Date.now() - 60_000) });
      jest.advanceTimersByTime(1000);
      expect(logged).toEqual([
        'TTL sweep failed: writes are refused',
        'TTL sweeps succeed again, after 30 that failed',
      ]);
      expect(sessions.docs.size).toBe(0);
    } finally {
      sweeper.stop();
    }
  });
});
