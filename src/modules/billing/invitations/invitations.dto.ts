import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { email } from '../../../common/http/zod';

export class AcceptBillingInvitationDto extends createZodDto(
  z.strictObject({ token: z.string().min(10).max(200) }),
) {}

export class CreateBillingInvitationDto extends createZodDto(
  z.strictObject({ email, plan: z.enum(['pro', 'trial']) }),
) {}
