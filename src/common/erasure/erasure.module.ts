import { Global, Module } from '@nestjs/common';
import { TimeZoneChanges } from '../users/time-zone-changes';
import { UserErasureRegistry } from './user-erasure.registry';

/**
 * Global so any feature module can register a per-user hook without a dependency on ingest: an eraser, or a
 * listener to a user's new time zone.
 */
@Global()
@Module({ providers: [UserErasureRegistry, TimeZoneChanges], exports: [UserErasureRegistry, TimeZoneChanges] })
export class ErasureModule {}
