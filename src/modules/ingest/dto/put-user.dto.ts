import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsLocale,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  Length,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IsUserId } from '../../../common/http/field-rules.decorator';
import { FreeForm } from '../../../common/http/free-form.decorator';
import { isPlainObject } from '../../../lib/validation/field-checks';
import { canonicalLocale } from '../../templates/domain/locale-chain';
import { pushTokenProblem } from '../domain/push-token-format';
import { ATTRIBUTE_RULES, AttributeValue, PUSH_PLATFORMS, PushPlatform, USER_LIMITS } from '../domain/user-profile';

/** The token's problem on its platform; none to report while the platform itself is invalid. */
function tokenProblem(token: unknown, dto: object): string | undefined {
  const { platform } = dto as Partial<PushTokenDto>;
  if (typeof token !== 'string' || !PUSH_PLATFORMS.includes(platform as PushPlatform)) return undefined;
  return pushTokenProblem(platform as PushPlatform, token);
}

export class PushTokenDto {
  @ApiProperty({ enum: PUSH_PLATFORMS })
  @IsIn(PUSH_PLATFORMS)
  platform!: PushPlatform;

  @ApiProperty()
  @IsString()
  @Length(1, 4096)
  @ValidateBy({
    name: 'isPushToken',
    validator: {
      validate: (token, args) => tokenProblem(token, args!.object) === undefined,
      defaultMessage: (args) =>
        `token is not a valid ${String((args!.object as PushTokenDto).platform)} token: ${tokenProblem(args!.value, args!.object)}`,
    },
  })
  token!: string;
}

export class ConsentDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  push?: boolean;
}

/** The full profile; PUT replaces it, so an omitted field is cleared. */
export class PutUserDto {
  @ApiPropertyOptional({ example: 'ana@example.com' })
  @IsOptional()
  @IsString()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ type: [PushTokenDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(USER_LIMITS.pushTokens)
  // Each entry an object: a nested array would otherwise pass as an entry with no platform and no token.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PushTokenDto)
  pushTokens?: PushTokenDto[];

  @ApiPropertyOptional({ example: 'en-GB' })
  @IsOptional()
  @IsString()
  @IsLocale()
  // A tag messages cannot be formatted in (`x-private`, `i-klingon`) would fail every render for this user.
  @ValidateBy({
    name: 'isFormattableLocale',
    validator: {
      validate: (locale) => typeof locale !== 'string' || canonicalLocale(locale) !== undefined,
      defaultMessage: () => 'locale must be a BCP 47 tag that messages can be formatted in, such as en-GB',
    },
  })
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: { plan: 'pro', signupYear: 2024 } })
  @IsOptional()
  @FreeForm(ATTRIBUTE_RULES)
  attributes?: Record<string, AttributeValue>;

  @ApiPropertyOptional({ type: ConsentDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  // Only an object becomes a ConsentDto: class-transformer's @Type would turn an array into an empty consent
  // (no consent at all) or fail on its entries, where `consent must be an object` is the answer.
  @Transform(({ value }: { value: unknown }) => (isPlainObject(value) ? plainToInstance(ConsentDto, value) : value))
  consent?: ConsentDto;
}

/** The user of a profile write: the rule of events and conversions, so no profile has an id they are refused with. */
export class UserIdParams {
  @IsUserId()
  userId!: string;
}

/** A user whose stored data is read, erased or changed: also one stored under an id earlier versions took. */
export class StoredUserIdParams {
  @IsUserId({ stored: true })
  userId!: string;
}
