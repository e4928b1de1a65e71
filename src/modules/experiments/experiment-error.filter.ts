import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { sendCodedError } from '../../common/http/coded-error-response';
import { ExperimentError, ExperimentErrorCode } from './domain';

const STATUS: Record<ExperimentErrorCode, HttpStatus> = {
  'experiments.not-found': HttpStatus.NOT_FOUND,
  'experiments.invalid-definition': HttpStatus.BAD_REQUEST,
  'experiments.invalid-statistics': HttpStatus.BAD_REQUEST,
};

/** Maps coded experiment errors to the API's JSON error shape, naming the offending fields. */
@Catch(ExperimentError)
export class ExperimentErrorFilter implements ExceptionFilter {
  catch(error: ExperimentError, host: ArgumentsHost): void {
    sendCodedError(host, STATUS[error.code], {
      code: error.code,
      message: error.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '),
      errors: error.problems,
    });
  }
}
