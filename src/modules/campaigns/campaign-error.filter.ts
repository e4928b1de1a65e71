import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { sendCodedError } from '../../common/http/coded-error-response';
import { CampaignError, CampaignErrorCode } from './domain/campaign.errors';

const STATUS: Record<CampaignErrorCode, HttpStatus> = {
  'campaign.not-found': HttpStatus.NOT_FOUND,
  'campaign.invalid': HttpStatus.CONFLICT,
  'campaign.archived': HttpStatus.CONFLICT,
  'campaign.conflict': HttpStatus.CONFLICT,
  'campaign.schedule-passed': HttpStatus.CONFLICT,
  'campaign.bad-request': HttpStatus.BAD_REQUEST,
  'campaign.run-not-found': HttpStatus.NOT_FOUND,
  'campaign.run-conflict': HttpStatus.CONFLICT,
};

/** Maps coded campaign errors to the API's JSON error shape; invalid campaigns list their problems. */
@Catch(CampaignError)
export class CampaignErrorFilter implements ExceptionFilter {
  catch(error: CampaignError, host: ArgumentsHost): void {
    sendCodedError(host, STATUS[error.code], {
      code: error.code,
      message: error.message,
      ...(error.details && { problems: error.details }),
    });
  }
}
