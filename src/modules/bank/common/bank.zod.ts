import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { pageQuery } from '../../../common/http/zod';

/** Shared input pieces of the bank API. */

export const globalId = z.string().regex(/^[A-Z]{1,3}\d{6,}$/, 'must be an id');

export class PageQueryDto extends createZodDto(pageQuery) {}
