import { createZodDto, fitsView } from '../../../common/http/zod';
import type { AllowedNetworkView } from './networks.service';
import { z } from 'zod';
import { text } from '../../../common/http/zod';

export class AddNetworkDto extends createZodDto(
  z
    .strictObject({
      cidr: z
        .string()
        .trim()
        .min(2)
        .max(64)
        .describe('An address or CIDR network, IPv4 (≥ /16) or IPv6 (≥ /48)'),
      note: text(200).nullable().optional(),
    })
    .meta({ example: { cidr: '192.168.1.20/32', note: 'Home Assistant hos familjen Berg' } }),
) {}
export class RemoveNetworkQueryDto extends createZodDto(
  z.strictObject({ cidr: z.string().trim().min(2).max(64) }),
) {}
const network = fitsView<AllowedNetworkView>()(
  z.object({
    cidr: z.string(),
    note: z.string().nullable(),
    source: z.enum(['admin', 'config']),
    createdAt: z.iso.datetime().nullable(),
  }),
);
export class NetworkResponseDto extends createZodDto(network) {}
export class NetworkListResponseDto extends createZodDto(z.array(network)) {}
