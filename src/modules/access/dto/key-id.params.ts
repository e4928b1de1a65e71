import { IsString, Matches } from 'class-validator';

export class KeyIdParams {
  /** The id only: a whole key pasted here is refused without being repeated in the answer. */
  @IsString()
  @Matches(/^[a-z0-9]{12}$/, { message: 'keyId must be the 12 lower-case letters and digits after jc_ in a key' })
  keyId!: string;
}
