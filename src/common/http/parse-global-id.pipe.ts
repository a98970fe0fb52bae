import { Inject, Injectable, PipeTransform } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isGlobalId } from '../../infrastructure/mongo/global-id';
import { CommonError } from '../errors/domain-error';

/** A path id of the wrong shape cannot name a record: the same 404 as a missing one. */
@Injectable()
export class ParseGlobalIdPipe implements PipeTransform<unknown, string> {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  transform(value: unknown): string {
    if (!isGlobalId(this.config.globalIdPrefix, value)) throw new CommonError('NOT_FOUND');
    return value;
  }
}
