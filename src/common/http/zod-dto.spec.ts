import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiOkResponse, SwaggerModule } from '@nestjs/swagger';
import { createZodDto as createNestZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { finishOpenApiDocument } from './openapi';
import { createZodDto, openApi30Types } from './zod-dto';

const shape = z.object({
  nextCursor: z.string().nullable(),
  count: z.number().int().nullable(),
  either: z.union([z.string(), z.number()]),
  tags: z.array(z.string()),
  nested: z.object({ note: z.string().nullable(), when: z.iso.date().nullable() }),
  list: z.array(z.object({ id: z.string().nullable() })),
});

class FixedDto extends createZodDto(shape) {}
class UpstreamDto extends createNestZodDto(shape) {}

@Controller('probe')
class ProbeController {
  @Get('fixed') @ApiOkResponse({ type: FixedDto }) fixed() {}
  @Get('upstream') @ApiOkResponse({ type: UpstreamDto }) upstream() {}
  @Post() @ApiOkResponse({ type: FixedDto }) create(@Body() _body: FixedDto) {}
}
@Module({ controllers: [ProbeController] })
class ProbeModule {}

type Schemas = Record<string, { properties: Record<string, Record<string, unknown>> }>;

/** The document of a one-controller app (preview mode: nothing starts), as the app publishes it. */
async function documentSchemas(): Promise<Schemas> {
  const app = await NestFactory.create(ProbeModule, { preview: true, logger: false });
  const raw = SwaggerModule.createDocument(app, {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
  });
  await app.close();
  return finishOpenApiDocument(raw).components!.schemas as Schemas;
}

describe('createZodDto: nullable primitives in OpenAPI 3.0 (nestjs-zod #473)', () => {
  let schemas: Schemas;
  beforeAll(async () => {
    schemas = await documentSchemas();
  });

  it('upstream publishes a top-level nullable string as an array (the bug this works around)', () => {
    expect(schemas.UpstreamDto.properties.nextCursor).toMatchObject({ type: 'array' });
  });

  it('a top-level nullable string or number is a nullable scalar, not an array', () => {
    const p = schemas.FixedDto.properties;
    expect(p.nextCursor).toEqual({ type: 'string', nullable: true });
    expect(p.count).toMatchObject({ type: 'integer', nullable: true });
    expect(p.tags).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('a union of primitives becomes anyOf; nested nullable fields are nullable scalars', () => {
    const p = schemas.FixedDto.properties;
    expect(p.either).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(p.nested).toMatchObject({
      properties: { note: { type: 'string', nullable: true }, when: { type: 'string', nullable: true } },
    });
    expect(p.list).toMatchObject({ items: { properties: { id: { type: 'string', nullable: true } } } });
  });

  it('leaves no type list anywhere in the document', () => {
    expect(JSON.stringify(schemas)).not.toMatch(/"type":\[/);
  });

  it('keeps the DTO validating as before', () => {
    expect(FixedDto.create({ ...valid, nextCursor: null })).toMatchObject({ nextCursor: null });
    expect(() => FixedDto.create({ ...valid, nextCursor: 5 })).toThrow();
  });
});

const valid = {
  nextCursor: 'c',
  count: 1,
  either: 'x',
  tags: [],
  nested: { note: null, when: null },
  list: [],
};

describe('openApi30Types', () => {
  it('rewrites type lists and nothing else', () => {
    expect(openApi30Types({ type: ['string', 'null'], description: 'd' })).toEqual({
      type: 'string',
      nullable: true,
      description: 'd',
    });
    expect(openApi30Types({ type: ['null'] })).toEqual({ nullable: true });
    expect(openApi30Types({ type: ['string', 'boolean', 'null'] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'boolean' }],
      nullable: true,
    });
    // examples, enums and `required` lists are data
    const data = { type: 'object', example: { type: ['a', 'null'] }, required: ['type'], enum: [['x']] };
    expect(openApi30Types(data)).toEqual(data);
    // a property named like a keyword is still a schema
    expect(openApi30Types({ type: 'object', properties: { example: { type: ['number', 'null'] } } })).toEqual(
      { type: 'object', properties: { example: { type: 'number', nullable: true } } },
    );
  });
});
