import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

export interface FileResponseOptions {
  description: string;
  /** Default 200. */
  status?: number;
  /** `binary` (default) for files (PDF, Excel, images), `text` for text formats (iCalendar, Prometheus, CSV). */
  format?: 'binary' | 'text';
}

/**
 * OpenAPI for a success that is not JSON: a download or a text format, each content type with a string schema
 * (`format: binary` for files). Errors of the route keep the JSON error body (`ErrorResponse`).
 */
export const ApiFileResponse = (
  contentTypes: string[],
  { description, status = HttpStatus.OK, format = 'binary' }: FileResponseOptions,
): MethodDecorator =>
  applyDecorators(
    ApiResponse({
      status,
      description,
      content: Object.fromEntries(
        contentTypes.map((type) => [
          type,
          { schema: format === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' } },
        ]),
      ),
    }),
  );

/** OpenAPI for a redirect: the status (default 302 Found) and the `Location` header, no body. */
export const ApiRedirectResponse = (description: string, status = HttpStatus.FOUND): MethodDecorator =>
  applyDecorators(
    ApiResponse({
      status,
      description,
      headers: { Location: { description: 'Where to go', schema: { type: 'string' } } },
    }),
  );
