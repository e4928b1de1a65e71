import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { FieldValidationException } from '../../../common/http/field-errors';
import { IsOptionalNotNull } from '../../../common/http/field-rules.decorator';
import { FieldError } from '../../../lib/validation/field-error';
import { checkInstant } from '../../../lib/validation/field-checks';

export class PushOpenDto {
  @ApiProperty({ description: 'The `jc_open_token` the push carried in its data' })
  @IsString()
  @Length(1, 2048)
  token!: string;

  @ApiPropertyOptional({
    example: '2026-03-02T18:04:00Z',
    description: 'When the user opened it, if the app reports later (offline); now when absent',
  })
  @IsOptionalNotNull()
  openedAt?: unknown;
}

/**
 * `openedAt` as an instant (ISO-8601 with a time zone, at most 5 minutes ahead), or the 400 naming it; left
 * out, undefined (now). `null` is no instant, as with other optional fields of the API.
 */
export function openedAtOf(dto: PushOpenDto, now: Date): Date | undefined {
  const errors: FieldError[] = [];
  const at = checkInstant(errors, 'openedAt', dto.openedAt, now, 5 * 60_000, { optional: true });
  if (errors.length > 0) throw new FieldValidationException(errors);
  return at;
}
