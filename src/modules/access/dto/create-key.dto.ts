import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsNotBlank, IsOptionalNotNull } from '../../../common/http/field-rules.decorator';
import { SCOPES, Scope } from '../domain/api-key';

export class CreateKeyDto {
  @ApiProperty({ example: 'backend ingest' })
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name!: string;

  @ApiProperty({ enum: SCOPES })
  @IsIn(SCOPES)
  scope!: Scope;

  @ApiPropertyOptional({ description: 'Requests per window for this key; defaults to RATE_LIMIT_REQUESTS' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  rateLimit?: number;

  @ApiPropertyOptional({ example: '30d', description: 'Lifetime: a number and s, m, h, d or w. Not with expiresAt.' })
  @IsOptionalNotNull()
  @IsString()
  expiresIn?: string;

  @ApiPropertyOptional({
    example: '2027-01-01T00:00:00Z',
    description: 'Expiry instant (ISO-8601). Not with expiresIn.',
  })
  @IsOptionalNotNull()
  @IsString()
  expiresAt?: string;
}
