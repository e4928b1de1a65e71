import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { StatusResponse } from '../../common/http/status-response';
import { FieldValidationException } from '../../common/http/field-errors';
import { checkKnownFields, isPlainObject } from '../../lib/validation/field-checks';
import { FieldError } from '../../lib/validation/field-error';
import { Auth } from '../access/auth.decorator';
import { StoredUserIdParams } from '../ingest/dto/put-user.dto';
import { RecipientPreferencesService } from './recipient-preferences.service';
import { UnsubscribesService } from './unsubscribes.service';

export class UserCategoryParams extends StoredUserIdParams {
  @IsString()
  @Length(1, 128)
  @Matches(/^\S+$/, { message: 'category must be one word (`*` for everything)' })
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'category must not contain control characters' })
  category!: string;
}

/** One category a user left (`*`: everything), when, and how (`page`, `one-click` or `api`). */
export interface UnsubscribeView {
  category: string;
  at: string;
  source: string;
  campaignId?: string;
}

/**
 * A user's unsubscribes for the product's backend (ingest keys): read them, and reflect its own preference
 * center: the user left a category there, or came back to one. Every compose and send reads them without a
 * cache, so a change holds for the very next message.
 */
@ApiTags('users')
@Auth('ingest')
@Controller('v1/users/:userId/unsubscribes')
export class UserUnsubscribesController {
  constructor(
    private readonly preferences: RecipientPreferencesService,
    private readonly unsubscribes: UnsubscribesService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The categories the user left, oldest first (none: an empty list)' })
  async list(@Param() { userId }: StoredUserIdParams): Promise<{ userId: string; unsubscribes: UnsubscribeView[] }> {
    const records = await this.preferences.unsubscribesOf(userId);
    return {
      userId,
      unsubscribes: records.map((r) => ({
        category: r.category,
        at: r.at.toISOString(),
        source: r.source,
        ...(r.campaignId !== undefined && { campaignId: r.campaignId }),
      })),
    };
  }

  @Put(':category')
  @ApiOkResponse({
    description:
      '201 when the user leaves the category now, 200 when they had left it already, or with `erased` when their profile was being erased (nothing is kept)',
  })
  async leave(
    @Param() { userId, category }: UserCategoryParams,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<{ userId: string; category: string; unsubscribed: true; erased?: true }> {
    const errors: FieldError[] = [];
    if (!isPlainObject(body)) errors.push({ field: 'body', message: 'body must be a JSON object ({} will do)' });
    else checkKnownFields(errors, body, new Set(), 'unsubscribe');
    if (errors.length > 0) throw new FieldValidationException(errors);
    const outcome = await this.unsubscribes.leave(userId, category);
    res.status(outcome === 'added' ? 201 : 200);
    return { userId, category, unsubscribed: true, ...(outcome === 'erased' && { erased: true as const }) };
  }

  @Delete(':category')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The user is back in the category from the next message on' })
  @ApiNotFoundResponse({ description: 'The user had not left the category' })
  async rejoin(@Param() { userId, category }: UserCategoryParams): Promise<void> {
    if (!(await this.preferences.resubscribe(userId, category))) {
      throw new NotFoundException(`user ${userId} has not left category ${category}`);
    }
  }
}
