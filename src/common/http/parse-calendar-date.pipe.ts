import { Injectable, mixin, type PipeTransform, type Type } from '@nestjs/common';
import { ECONOMY_YEARS, isCalendarDate } from '../dates';
import { notFound } from '../errors/domain-error';

const pipes = new Map<string, Type<PipeTransform<unknown, string>>>();

/**
 * `@Param('date', ParseCalendarDatePipe('contract_payment'))`: a path segment that names a record by its day. Like a
 * wrong-shape id, something that is not a calendar date `YYYY-MM-DD` cannot name one: the same 404 as a missing day.
 */
export function ParseCalendarDatePipe(type: string): Type<PipeTransform<unknown, string>> {
  const known = pipes.get(type);
  if (known) return known;

  @Injectable()
  class ParseCalendarDateOfType implements PipeTransform<unknown, string> {
    transform(value: unknown): string {
      if (typeof value === 'string' && isCalendarDate(value, ECONOMY_YEARS)) return value;
      throw notFound(type);
    }
  }
  const pipe = mixin(ParseCalendarDateOfType);
  pipes.set(type, pipe);
  return pipe;
}
