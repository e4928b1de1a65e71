import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { KEY_ID_PATTERN } from '../domain/api-key';

/** Most keys one page of GET /v1/keys holds. */
export const MAX_KEYS_LISTED = 1000;

export class ListKeysQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_KEYS_LISTED, description: 'Keys in this page; all when left out' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_KEYS_LISTED)
  limit?: number;

  @ApiPropertyOptional({ description: 'The keyId a page starts after: the last key of the page before' })
  @IsOptional()
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: 'after must be a key id, the last of the page before' })
  after?: string;
}
