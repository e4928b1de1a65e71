import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DependencyUnavailableFilter } from './common/http/dependency-unavailable.filter';
import { DeclaredQueryInterceptor } from './common/http/declared-query.interceptor';
import { JsonBodyInterceptor } from './common/http/json-body.interceptor';
import { createValidationPipe } from './common/http/validation.pipe';
import { settingsModule } from './config/config.module';
import { Settings } from './config/settings';
import { modulesForRole, servesOps } from './app.roles';

/** The composed application for one role, built from explicit settings (never from the process environment). */
@Module({})
export class AppModule {
  static forRoot(settings: Settings): DynamicModule {
    return {
      module: AppModule,
      imports: [settingsModule(settings), ...modulesForRole(settings.app.role, servesOps(settings.app))],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: DeclaredQueryInterceptor },
        { provide: APP_FILTER, useClass: DependencyUnavailableFilter },
      ],
    };
  }
}
