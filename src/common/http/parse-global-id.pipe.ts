import { Inject, Injectable, mixin, type PipeTransform, type Type } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isGlobalId } from '../../infrastructure/mongo/global-id';
import { notFound } from '../errors/domain-error';

const pipes = new Map<string, Type<PipeTransform<unknown, string>>>();

/**
 * `@Param('id', ParseGlobalIdPipe('bill'))`: a path id of the wrong shape cannot name a record, so it answers the
 * same 404 as a missing one of that type (`notFound(type)`). One pipe class per record type, made once.
 */
export function ParseGlobalIdPipe(type: string): Type<PipeTransform<unknown, string>> {
  const known = pipes.get(type);
  if (known) return known;

  @Injectable()
  class ParseGlobalIdOfType implements PipeTransform<unknown, string> {
    constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

    transform(value: unknown): string {
      if (!isGlobalId(this.config.globalIdPrefix, value)) throw notFound(type);
      return value;
    }
  }
  const pipe = mixin(ParseGlobalIdOfType);
  pipes.set(type, pipe);
  return pipe;
}
