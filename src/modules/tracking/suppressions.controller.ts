import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StatusResponse } from '../../common/http/status-response';
import { FieldValidationException } from '../../common/http/field-errors';
import { Auth } from '../access/auth.decorator';
import { FieldError } from '../../lib/validation/field-error';
import {
  checkAddress,
  MAX_IMPORTED_ADDRESSES,
  OPERATOR_SUPPRESSION_REASONS,
  parseSuppressionBody,
  parseSuppressionImport,
} from './domain/suppression-request';
import { RecipientPreferencesService } from './recipient-preferences.service';

/** What the list says of one address. */
export interface SuppressionResponse {
  address: string;
  listed: true;
  reason: string;
  since: string;
}

/**
 * The suppression list for operators (admin keys): list an address (or import a provider's list before the
 * first send), look one up, lift one. Delivery reads the list right before every email, so a change holds
 * for the very next send. Addresses match whatever their case and the form of their
 * domain (Unicode or `xn--`), see addressKey; the list keeps a hash of each, not the address.
 */
@ApiTags('suppressions')
@Auth('admin')
@Controller('v1')
export class SuppressionsController {
  constructor(private readonly preferences: RecipientPreferencesService) {}

  @Put('suppressions/:address')
  @ApiBody({
    description: 'A JSON object; `{}` lists the address as manual',
    schema: { type: 'object', properties: { reason: { type: 'string', enum: [...OPERATOR_SUPPRESSION_REASONS] } } },
  })
  @ApiOkResponse({ description: '201 when listed now, 200 when it was listed already (its first reason stays)' })
  async put(
    @Param('address') raw: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<SuppressionResponse> {
    const errors: FieldError[] = [];
    const address = checkAddress(errors, 'address', raw);
    const parsed = parseSuppressionBody(body);
    if (!parsed.ok) errors.push(...parsed.errors);
    if (!address || !parsed.ok) throw new FieldValidationException(errors);
    const added = await this.preferences.suppress(address, parsed.value, new Date());
    res.status(added ? 201 : 200);
    return this.listed(address);
  }

  @Post('suppressions\\:import')
  @HttpCode(200)
  @ApiBody({
    description: `At most ${MAX_IMPORTED_ADDRESSES} addresses; every item is checked before anything is stored`,
    schema: {
      type: 'object',
      properties: {
        addresses: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              address: { type: 'string' },
              reason: { type: 'string', enum: [...OPERATOR_SUPPRESSION_REASONS] },
            },
            required: ['address'],
          },
        },
      },
      required: ['addresses'],
    },
  })
  @ApiOkResponse({ description: '{ received, added, alreadyListed }' })
  async import(@Body() body: unknown): Promise<{ received: number; added: number; alreadyListed: number }> {
    const parsed = parseSuppressionImport(body);
    if (!parsed.ok) throw new FieldValidationException(parsed.errors);
    const added = await this.preferences.suppressMany(parsed.value, new Date());
    return { received: parsed.value.length, added, alreadyListed: parsed.value.length - added };
  }

  @Get('suppressions/:address')
  @ApiOkResponse({ description: 'The address is listed: why and since when' })
  @ApiNotFoundResponse({ description: 'The address is not listed' })
  get(@Param('address') raw: string): Promise<SuppressionResponse> {
    return this.listed(this.addressOf(raw));
  }

  @Delete('suppressions/:address')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Lifted: the address gets email again from the next send' })
  @ApiNotFoundResponse({ description: 'The address is not listed' })
  async lift(@Param('address') raw: string): Promise<void> {
    const address = this.addressOf(raw);
    if (!(await this.preferences.lift(address))) throw notListed(address);
  }

  private addressOf(raw: string): string {
    const errors: FieldError[] = [];
    const address = checkAddress(errors, 'address', raw);
    if (!address) throw new FieldValidationException(errors);
    return address;
  }

  private async listed(address: string): Promise<SuppressionResponse> {
    const listing = await this.preferences.listing(address);
    if (!listing) throw notListed(address);
    return { address, listed: true, reason: listing.reason, since: listing.since.toISOString() };
  }
}

function notListed(address: string): NotFoundException {
  return new NotFoundException(`address ${address} is not on the suppression list`);
}
