import { ApiNotFoundResponse } from '@nestjs/swagger';

/** OpenAPI for the one 404 of `notFound(type)`: a missing record, another organization's and a wrong-shape id. */
export const ApiNotFound = (type: string, also?: string): MethodDecorator & ClassDecorator =>
  ApiNotFoundResponse({
    description: `NOT_FOUND with details.type '${type}' (missing, another organization's, or a wrong-shape id)${also ? `; ${also}` : ''}`,
  });
