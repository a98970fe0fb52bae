import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class UpdatePolicyDto extends createZodDto(z.strictObject({ autoEnabled: z.boolean() })) {}
