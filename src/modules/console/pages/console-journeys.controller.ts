import { Get } from '@nestjs/common';
import { Session } from '../session/console-auth.guard';
import { ConsoleSession } from '../session/console-sessions.service';
import { ConsoleViews } from '../views/console-views';
import { ConsoleJourneysService, POPULATION_SAMPLE } from './console-journeys.service';
import { ConsolePages } from './console-routes';
import { QueryText } from '../../../common/http/query-text.decorator';

/** Journeys: look up a user; the population's common journeys; the embedder and ranker versions; the latest judge results. */
@ConsolePages('console/journeys')
export class ConsoleJourneysController {
  constructor(
    private readonly journeys: ConsoleJourneysService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async page(@Session() session: ConsoleSession, @QueryText('user') user?: string): Promise<string> {
    const userId = user?.trim().slice(0, 256) || undefined;
    const [lookup, population, versions, judgement] = await Promise.all([
      userId ? this.journeys.lookup(userId) : Promise.resolve(undefined),
      this.journeys.population(),
      this.journeys.versions(),
      this.journeys.judgement(),
    ]);
    return this.views.render(
      'journeys',
      { title: 'Journeys', section: 'journeys', session },
      { lookup, population, versions, judgement, sampleSize: POPULATION_SAMPLE },
    );
  }
}
