import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { StoredModelInfo } from '../../../common/model-store/model.repository';

export class RankerVersionResponse {
  @ApiProperty({ description: 'Version of the trained model (lr-<training time> unless named)' }) version!: string;
  @ApiPropertyOptional({ description: 'When it was stored (absent for the prior, which never is)' })
  storedAt?: string;
  @ApiPropertyOptional({ description: 'Labelled examples it was trained on, all splits' }) examples?: number;
  @ApiPropertyOptional({ description: 'AUC on its validation split, the latest examples' }) validationAuc?: number;
  @ApiPropertyOptional({ description: 'AUC of the documented prior on the same split' }) priorValidationAuc?: number;
}

export class RankerModelResponse extends RankerVersionResponse {
  @ApiProperty({ description: 'True while no trained model was promoted: builds rank with the documented prior' })
  prior!: boolean;
  @ApiPropertyOptional({
    type: RankerVersionResponse,
    description: 'A retrain stored since, not promoted: it ranked the latest examples worse than the model in use',
  })
  rejectedSince?: RankerVersionResponse;
}

export class RankerRetrainAcceptedResponse {
  @ApiProperty({ description: 'The queued retrain job; poll GET /v1/ranking-models/current for the new version' })
  jobId!: string;
}

/** A stored ranker version as the API shows it: when, on how many examples, and how well it ranked. */
export function toRankerVersion(info: StoredModelInfo): RankerVersionResponse {
  const { examples, validationAuc, priorValidationAuc } = info.meta as {
    examples?: { train: number; calibration: number; validation: number };
    validationAuc?: number;
    priorValidationAuc?: number;
  };
  return {
    version: info.version,
    storedAt: info.createdAt.toISOString(),
    ...(examples !== undefined && { examples: examples.train + examples.calibration + examples.validation }),
    ...(typeof validationAuc === 'number' && { validationAuc }),
    ...(typeof priorValidationAuc === 'number' && { priorValidationAuc }),
  };
}
