import { Global, Module } from '@nestjs/common';
import { UserErasureRegistry } from './user-erasure.registry';

/** Global so any feature module can register an eraser without a dependency on ingest. */
@Global()
@Module({ providers: [UserErasureRegistry], exports: [UserErasureRegistry] })
export class ErasureModule {}
