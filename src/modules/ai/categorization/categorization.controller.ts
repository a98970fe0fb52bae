import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AllowWhenReadOnly, OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ReadRateLimited } from '../../../common/http/throttling';
import { AutoCategorizeService } from './auto-categorize.service';
import {
  AiSettingsResponseDto,
  CategorizeBatchResultDto,
  CategorizeDto,
  CategorizeResultDto,
  SuggestionsQueryDto,
  SuggestionsResponseDto,
  UpdateAiSettingsDto,
} from './categorization.dto';
import { CategorizationService } from './categorization.service';
import { AiSettingsService } from './settings.service';

@ApiTags('ai')
@ApiExtraModels(CategorizeResultDto, CategorizeBatchResultDto)
@Controller('ai')
export class CategorizationController {
  constructor(
    private readonly categorization: CategorizationService,
    private readonly auto: AutoCategorizeService,
    private readonly settings: AiSettingsService,
  ) {}

  @Post('categorize')
  @HttpCode(200)
  @OrgScoped('viewer')
  @AllowWhenReadOnly()
  @ReadRateLimited()
  @ApiOperation({
    summary:
      'Ranked categories with confidence and reasons (sv/en) and the canonical merchant, for one payment or `{items}` (1–500); a read: works in read-only mode',
  })
  @ApiOkResponse({
    description: 'One result for one payment; `{items}` in input order for a batch',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CategorizeResultDto) },
        { $ref: getSchemaPath(CategorizeBatchResultDto) },
      ],
    },
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFound('supplier', 'supplierId names no supplier of the organization')
  async categorize(@Body() body: CategorizeDto) {
    if (body.items) return { items: await this.categorization.categorize(body.items) };
    const { text, amount, direction } = body;
    if (text === undefined || amount === undefined || direction === undefined) return undefined; // refined away
    const [result] = await this.categorization.categorize([{ ...body, text, amount, direction }]);
    return result;
  }

  @Get('suggestions')
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'What categorization did with created transactions or imported bank lines: applied automatically, or the ranked suggestion (missing: none was made)',
  })
  @ApiOkResponse({ type: SuggestionsResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  async suggestions(@Query() query: SuggestionsQueryDto) {
    const subject = query.transactionIds ? 'transaction' : 'bank_line';
    return {
      items: await this.auto.suggestionsFor(query.transactionIds ?? query.bankLineIds ?? [], subject),
    };
  }

  @Get('settings')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "The organization's automatic categorization: on/off and the confidence threshold",
  })
  @ApiOkResponse({ type: AiSettingsResponseDto })
  getSettings() {
    return this.settings.get();
  }

  @Put('settings')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Change automatic categorization (admins; audited as ai.settings_updated)' })
  @ApiOkResponse({ type: AiSettingsResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN (not an admin), ACCOUNT_READ_ONLY' })
  updateSettings(@Body() body: UpdateAiSettingsDto) {
    return this.settings.update(body);
  }
}
