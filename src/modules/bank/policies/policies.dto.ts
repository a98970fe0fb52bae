import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';

export class UpdatePolicyDto extends createZodDto(z.strictObject({ autoEnabled: z.boolean() })) {}
