import { createZodDto as createNestZodDto } from 'nestjs-zod';
import { z } from 'zod';

/**
 * `createZodDto` of nestjs-zod, with the OpenAPI 3.0 repair of nestjs-zod #473 in the one place every DTO passes.
 *
 * zod ≥ 4.5 writes a bare nullable primitive (`z.string().nullable()`, `z.number().nullable()`) and a union of bare
 * primitives as a JSON-Schema type list, `type: ["string", "null"]`. nestjs-zod 5.5 does not convert that form to
 * OpenAPI 3.0: nested fields keep the list (invalid in 3.0) and a top-level field reaches @nestjs/swagger, which reads
 * a list as "an array of the first type" — `nextCursor: string | null` was published as `string[]`. By then the
 * document can no longer tell `string | null` from `string | number`, so the repair runs on the DTO's metadata,
 * before Swagger sees it: `type: [T, "null"]` → `type: T, nullable: true`; several types → `anyOf`.
 * Import `createZodDto` from `src/common/http/zod.ts`, never from nestjs-zod directly.
 */
export function createZodDto<TSchema extends Parameters<typeof createNestZodDto>[0]>(schema: TSchema) {
  const dto = createNestZodDto(schema);
  const metadata = dto._OPENAPI_METADATA_FACTORY.bind(dto);
  dto._OPENAPI_METADATA_FACTORY = () => openApi30Properties(metadata());
  return dto;
}

/** nestjs-zod's marker: the property has no single `type` (cleanupOpenApiDoc removes `type: ''` when it is set). */
const EMPTY_TYPE_KEY = 'x-nestjs_zod-empty-type';

/** The top-level properties a DTO hands Swagger, each repaired; a property left without a type gets nestjs-zod's
 *  "no type" marker, as nestjs-zod does for its own `anyOf` properties. */
export function openApi30Properties(properties: unknown): unknown {
  if (!isRecord(properties)) return properties;
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const fixed = openApi30Types(property);
    if (isRecord(fixed) && fixed.type === undefined) {
      fixed.type = '';
      fixed[EMPTY_TYPE_KEY] = true;
    }
    out[name] = fixed;
  }
  return out;
}

/** Keywords whose values are data, not schemas (`required`: a list of names, or Swagger's flag): never rewritten. */
const VALUE_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const', 'required']);
/** Keywords whose values map names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'x-nestjs_zod-defs']);

/**
 * Rewrites every JSON-Schema type list in a schema (deeply, a copy) to OpenAPI 3.0: `["T", "null"]` → `type: T,
 * nullable: true`; `["A", "B"(, "null")]` → `anyOf: [{type: A}, {type: B}](, nullable: true)`; `["null"]` →
 * `nullable: true`. Anything else is kept as it is.
 */
export function openApi30Types<T>(schema: T): T {
  return rewrite(schema) as T;
}

function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALUE_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key) && isRecord(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, rewrite(sub)]));
    else out[key] = rewrite(value);
  }
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t): t is string => typeof t === 'string');
    const present = types.filter((t) => t !== 'null');
    delete out.type;
    if (present.length === 1) out.type = present[0];
    else if (present.length > 1) out.anyOf = present.map((type) => ({ type }));
    if (present.length < types.length) out.nullable = true;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it leaves the API in JSON: dates become ISO strings, everything else keeps its shape. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer I)[]
    ? Json<I>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/**
 * Keeps a response schema and the service's view type from drifting apart: `fitsView<OrganizationView>()(schema)`
 * returns the schema unchanged, and does not compile when a view (as JSON) is not a valid output of the schema — a
 * field the schema promises is missing from the view, or has another type.
 */
export const fitsView =
  <View>() =>
  <S extends z.ZodType>(schema: S, ..._fits: [Json<View>] extends [z.output<S>] ? [] : [never]): S =>
    schema;

/** The response of a keyset-paged list (`Page<T>` of src/infrastructure/mongo/pagination.ts). */
export const pageResponse = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
  });
