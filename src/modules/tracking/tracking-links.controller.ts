import { Body, Controller, Get, Logger, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FormBody } from '../../common/http/form-body';
import { QueryText } from '../../common/http/query-text.decorator';
import { Settings } from '../../config/settings';
import { pickLocale } from './domain/page-text';
import { renderUnsubscribePage } from './domain/unsubscribe-page';
import { parseUnsubscribeRequest } from './domain/unsubscribe-request';
import { EngagementService } from './engagement.service';
import { requestFacts, sendPage, sendPixel, sendRedirect } from './tracking-responses';
import { UnsubscribePageErrorFilter } from './unsubscribe-page-error.filter';
import { UnsubscribeAnswer, UnsubscribesService } from './unsubscribes.service';

/**
 * The links inside sent messages (`/t/o`, `/t/c`, `/t/u`; see domain/tracking-urls.ts). No API key:
 * the signed token is the authority, and a token that does not verify changes nothing.
 */
@ApiExcludeController()
@Controller('t')
export class TrackingLinksController {
  private readonly logger = new Logger(TrackingLinksController.name);
  private readonly proxyHops: number;

  constructor(
    private readonly engagement: EngagementService,
    private readonly unsubscribes: UnsubscribesService,
    config: ConfigService<Settings, true>,
  ) {
    this.proxyHops = config.get('tracking', { infer: true }).proxyHops;
  }

  /** The open pixel: the same GIF whatever happened, so the answer tells nothing about the token. */
  @Get('o/:token')
  async open(@Param('token') token: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    try {
      await this.engagement.recordOpen(token, requestFacts(req, this.proxyHops));
    } catch (error) {
      this.logger.error(`open not recorded: ${(error as Error).message}`);
    }
    sendPixel(res);
  }

  /** A click: 302 to the target stored with the message, or a 404 page, never a redirect elsewhere. */
  @Get('c/:token')
  async click(@Param('token') token: string, @Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    const target = await this.engagement.recordClick(token, requestFacts(req, this.proxyHops));
    if (target) return sendRedirect(res, target);
    sendPage(res, renderUnsubscribePage({ state: 'dead-link' }, pickLocale(undefined, req.headers['accept-language'])));
  }

  /** The unsubscribe page: shows the confirm form (a GET changes nothing: mail scanners follow links). */
  @Get('u/:token')
  @UseFilters(UnsubscribePageErrorFilter)
  async page(
    @Param('token') token: string,
    @QueryText('lang') lang: string | undefined,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): Promise<void> {
    this.answer(req, res, await this.unsubscribes.pageFor(token), lang);
  }

  /** The page's form (`scope=category|all`) and the RFC 8058 one-click POST (`List-Unsubscribe=One-Click`). */
  @Post('u/:token')
  @FormBody()
  @UseFilters(UnsubscribePageErrorFilter)
  async unsubscribe(
    @Param('token') token: string,
    @Body() fields: Record<string, string>,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const request = parseUnsubscribeRequest(fields);
    const page = request.ok
      ? await this.unsubscribes.unsubscribe(token, request.scope, request.source)
      : { state: 'bad-request' as const, field: request.field };
    this.answer(req, res, page, fields.lang);
  }

  private answer(req: IncomingMessage, res: ServerResponse, page: UnsubscribeAnswer, lang: string | undefined): void {
    const locale = pickLocale(lang, req.headers['accept-language'], page.messageLocale);
    sendPage(res, renderUnsubscribePage(page, locale));
  }
}
