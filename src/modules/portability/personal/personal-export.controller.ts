import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiFileResponse } from '../../../common/http/api-responses';
import type { Response } from 'express';
import { PersonalExportService } from './personal-export.service';

/** A person's own data export (GDPR art. 15/20): not tied to an organization, so read-only mode never blocks it. */
@ApiTags('me')
@Controller('me')
export class PersonalExportController {
  constructor(private readonly personal: PersonalExportService) {}

  @Get('export')
  @ApiOperation({
    summary: 'Download your own data (GDPR art. 15 and 20) as a ZIP',
    description:
      'account.json, memberships.json, security-events.jsonl and, per organization, the records you created (JSON Lines), with manifest.json (counts and SHA-256 per entry). Streamed at once.',
  })
  @ApiFileResponse(['application/zip'], { description: 'The ZIP (Content-Disposition: attachment)' })
  async export(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', 'attachment; filename="westwallet-personal-data.zip"');
    res.setHeader('Cache-Control', 'private, no-store');
    await this.personal.write(res);
  }
}
