import { Controller, Post, UseFilters, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FormBody } from '../../../common/http/form-body';
import { ConsoleAuthGuard } from '../session/console-auth.guard';
import { CsrfInterceptor } from '../session/csrf.interceptor';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsolePageInterceptor } from './console-page.interceptor';
import { CONSOLE_FORM } from './respond';

/**
 * A controller of console pages under `/console/<path>`: out of the API docs, errors shown as pages,
 * page headers set, and (unless `signedIn` is false) only for a signed-in session.
 */
export function ConsolePages(path: string, options: { signedIn?: boolean } = {}): ClassDecorator {
  return applyDecorators(
    ApiExcludeController(),
    Controller(path),
    ...(options.signedIn === false ? [] : [UseGuards(ConsoleAuthGuard)]),
    UseFilters(ConsoleExceptionFilter),
    UseInterceptors(ConsolePageInterceptor),
  );
}

/** A console form's POST: a small form body, and (unless `csrf` is false) the session's form token checked. */
export function ConsoleForm(path: string, options: { csrf?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    Post(path),
    FormBody(CONSOLE_FORM),
    ...(options.csrf === false ? [] : [UseInterceptors(CsrfInterceptor)]),
  );
}
