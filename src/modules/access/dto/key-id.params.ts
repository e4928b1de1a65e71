import { IsString, Matches } from 'class-validator';
import { KEY_ID_PATTERN } from '../domain/api-key';

export class KeyIdParams {
  /** The id only: a whole key pasted here is refused without being repeated in the answer. */
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: 'keyId must be the 12 lower-case letters and digits after jc_ in a key' })
  keyId!: string;
}
